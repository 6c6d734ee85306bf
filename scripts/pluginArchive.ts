// npm run plugin:archive -- [--node <path>] [--out <dir>]
// The provider plugin as Pulumi installs plugins: one executable,
// pulumi-resource-pipelines, in pulumi-resource-pipelines-v<version>-<os>-<arch>.tar.gz,
// the name `pulumi plugin install resource pipelines <version>` downloads
// from the schema's pluginDownloadURL (the GitHub release's assets) and the
// layout it unpacks. The executable is a Node single executable application:
// the plugin bundled with its dependencies (esbuild) and injected (postject)
// into a copy of the given Node binary with the Pulumi schema as an asset, so
// a Python, Go or YAML team needs no Node. It is built natively on each
// platform (the release workflow's matrix), with an official Node build: its
// platform is the archive's.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as esbuild from "esbuild";
import { PACKAGE_ROOT } from "../provider/cli/args";
import { run } from "../provider/cli/process";
import { SCHEMA_ASSET } from "../provider/plugin/schema";

const ROOT = PACKAGE_ROOT;
export const PLUGIN_EXECUTABLE = "pulumi-resource-pipelines";
/** The fuse Node's single executable applications look for (Node's docs, "Single executable applications"). */
const SEA_FUSE = "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2";
/**
 * What the SDK loads with its runtime but the plugin never runs: function serialization's TypeScript (9 MB, parsed
 * on every start were it bundled) and the dependency walk of closure packaging. In the bundle they throw when used.
 */
const NEVER_RUN = [
  /[\\/]@pulumi[\\/]pulumi[\\/]typescript-shim\.js$/,
  /[\\/]@npmcli[\\/]arborist[\\/]lib[\\/]index\.js$/,
];

const PULUMI_OS: Record<string, string> = { linux: "linux", darwin: "darwin", win32: "windows" };
const PULUMI_ARCH: Record<string, string> = { x64: "amd64", arm64: "arm64" };

/** The archive's file name, as Pulumi's plugin download asks for it. */
export function archiveName(version: string, platform: string, arch: string): string {
  const o = PULUMI_OS[platform];
  const a = PULUMI_ARCH[arch];
  if (!o || !a) throw new Error(`Pulumi has no plugin builds for ${platform}-${arch}`);
  return `${PLUGIN_EXECUTABLE}-v${version}-${o}-${a}.tar.gz`;
}

/** The sdkModules.ts the bundle holds: static requires, resolved from the SDK's folder as the file does at run time. */
const sdkModules: esbuild.Plugin = {
  name: "sdk-modules",
  setup(build) {
    build.onLoad({ filter: /[\\/]plugin[\\/]sdkModules\.ts$/ }, () => ({
      contents: [
        'exports.grpc = require("@grpc/grpc-js");',
        'exports.structproto = require("google-protobuf/google/protobuf/struct_pb");',
        'exports.emptyproto = require("google-protobuf/google/protobuf/empty_pb");',
      ].join("\n"),
      loader: "js",
      resolveDir: path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [ROOT] })),
    }));
  },
};

const neverRun: esbuild.Plugin = {
  name: "never-run",
  setup(build) {
    for (const filter of NEVER_RUN)
      build.onLoad({ filter }, (args) => ({
        contents: `module.exports = new Proxy({}, { get(_, key) { if (key === "__esModule") return false; throw new Error(${JSON.stringify(`${path.basename(args.path)} is not in the plugin executable`)}); } });`,
        loader: "js",
      }));
  },
};

/** The license of each package in the bundle, from the bundle's own list of inputs. */
function thirdPartyNotices(meta: esbuild.Metafile, nodeVersion: string): string {
  const roots = new Set<string>();
  for (const input of Object.keys(meta.inputs)) {
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (m) roots.add(m[1]);
  }
  const sections = [...roots].sort().map((dir) => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, dir, "package.json"), "utf8"));
    const file = fs.readdirSync(path.join(ROOT, dir)).find((f) => /^(licen[cs]e|copying)/i.test(f));
    const text = file ? fs.readFileSync(path.join(ROOT, dir, file), "utf8").trim() : `License: ${pkg.license}`;
    return `## ${pkg.name} ${pkg.version}\n\n${text}\n`;
  });
  return [
    "# Third-party software in pulumi-resource-pipelines\n",
    `The executable is Node.js ${nodeVersion} (MIT License, https://github.com/nodejs/node/blob/v${nodeVersion}/LICENSE)`,
    "with these packages bundled into it:\n",
    ...sections,
  ].join("\n");
}

/** Builds the archive into `out`; resolves with its path. `node` is the Node binary the executable is made of. */
export async function buildPluginArchive(opts: { node?: string; out: string }): Promise<string> {
  const node = opts.node ?? process.execPath;
  const [platform, arch, nodeVersion] = (
    await run(node, ["-p", "[process.platform, process.arch, process.versions.node].join(' ')"])
  )
    .trim()
    .split(" ");
  const schemaFile = path.join(ROOT, "schemas", SCHEMA_ASSET);
  const version = JSON.parse(fs.readFileSync(schemaFile, "utf8")).version as string;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "pp-plugin-"));
  try {
    const bundle = path.join(work, "plugin.js");
    const built = await esbuild.build({
      entryPoints: [path.join(ROOT, "provider", "plugin", "main.ts")],
      bundle: true,
      platform: "node",
      format: "cjs",
      target: `node${nodeVersion.split(".")[0]}`,
      outfile: bundle,
      plugins: [sdkModules, neverRun],
      metafile: true,
      logLevel: "error",
    });
    const blob = path.join(work, "plugin.blob");
    const config = {
      main: bundle,
      output: blob,
      disableExperimentalSEAWarning: true,
      // V8's code cache for the bundle: the engine starts the plugin on every command.
      useCodeCache: true,
      assets: { [SCHEMA_ASSET]: schemaFile },
    };
    fs.writeFileSync(path.join(work, "sea-config.json"), JSON.stringify(config));
    await run(node, ["--experimental-sea-config", path.join(work, "sea-config.json")], { cwd: work });

    const stage = path.join(work, "archive");
    fs.mkdirSync(stage);
    const exe = path.join(stage, PLUGIN_EXECUTABLE + (platform === "win32" ? ".exe" : ""));
    fs.copyFileSync(node, exe);
    fs.chmodSync(exe, 0o755);
    if (platform === "darwin") await run("codesign", ["--remove-signature", exe]);
    const { inject } = require("postject") as {
      inject: (file: string, name: string, data: Buffer, o: Record<string, unknown>) => Promise<void>;
    };
    // postject's ELF library warns through console.warn about note sections it leaves alone; nothing else it says.
    const warn = console.warn;
    console.warn = (...a: unknown[]) => /string offset for section name/.test(String(a[0])) || warn(...a);
    try {
      await inject(exe, "NODE_SEA_BLOB", fs.readFileSync(blob), {
        sentinelFuse: SEA_FUSE,
        ...(platform === "darwin" ? { machoSegmentName: "NODE_SEA" } : {}),
      });
    } finally {
      console.warn = warn;
    }
    if (platform === "darwin") await run("codesign", ["--sign", "-", exe]);
    fs.copyFileSync(path.join(ROOT, "LICENSE"), path.join(stage, "LICENSE"));
    fs.writeFileSync(path.join(stage, "THIRD-PARTY-NOTICES.md"), thirdPartyNotices(built.metafile, nodeVersion));

    fs.mkdirSync(opts.out, { recursive: true });
    const archive = path.join(path.resolve(opts.out), archiveName(version, platform, arch));
    await run("tar", ["-czf", archive, "-C", stage, ...fs.readdirSync(stage).sort()]);
    return archive;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function parseArgs(argv: string[]): { node?: string; out: string } {
  const opts: { node?: string; out: string } = { out: path.join(ROOT, "dist", "plugin") };
  for (let i = 0; i < argv.length; i++) {
    const value = () => {
      const v = argv[++i];
      if (!v) throw new Error(`${argv[i - 1]} needs a value`);
      return v;
    };
    if (argv[i] === "--node") opts.node = value();
    else if (argv[i] === "--out") opts.out = value();
    else throw new Error(`unknown option ${argv[i]}; use --node <path> --out <dir>`);
  }
  return opts;
}

if (require.main === module) {
  (async () => {
    const archive = await buildPluginArchive(parseArgs(process.argv.slice(2)));
    const sha = createHash("sha256").update(fs.readFileSync(archive)).digest("hex");
    process.stdout.write(`${archive}\nsha256 ${sha}\n`);
  })().catch((e: Error) => {
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  });
}
