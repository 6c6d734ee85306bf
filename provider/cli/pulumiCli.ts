// The real Pulumi CLI, at the version of the installed @pulumi/pulumi SDK.
// No prebuilt binary can be downloaded here, so it is built from the Go module
// proxy (pkg/v3/cmd/pulumi) and cached. The Node language host is a nested Go
// module that module proxies may not serve at the release commit; when it
// cannot be had, the host from sdk/v3@v3.68.0 (the last release that still
// shipped it inside the sdk module) is built instead: the CLI talks to it
// over the same LanguageRuntime gRPC protocol. What was built, and whether
// its modules' checksums were verified, is recorded beside it (BUILD.json)
// and printed by `pulumi-pipelines bootstrap`.
import * as fs from "node:fs";
import * as path from "node:path";
import { cacheRoot, isComplete, markComplete } from "./cache";
import { installHostLauncher } from "./languageHostShim";
import { CLI_BUILD_FLAGS, GO_MINIMUM } from "./languageHosts";
import { progress, run, which } from "./process";

const NODEJS_HOST_MODULE = "github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3";
const FALLBACK_HOST_SDK = "v3.68.0";

export function sdkVersion(): string {
  return JSON.parse(fs.readFileSync(require.resolve("@pulumi/pulumi/package.json"), "utf8")).version;
}

/** A directory holding pulumi, pulumi-language-nodejs and pulumi-resource-pulumi-nodejs at the SDK's version. */
export async function ensurePulumiCli(): Promise<string> {
  const version = sdkVersion();
  const onPath = await matchingPulumiOnPath(version);
  if (onPath) return onPath;

  const home = path.join(cacheRoot(), `pulumi-${version}`);
  const bin = path.join(home, "bin");
  if (isComplete(home)) {
    if (usesFallbackHost(home)) installHostLauncher(bin);
    return bin;
  }

  fs.rmSync(home, { recursive: true, force: true });
  fs.mkdirSync(bin, { recursive: true });
  const started = Date.now();
  progress(`building the Pulumi CLI v${version} from the Go module proxy (first run only; several minutes)…`);
  const built = await buildCli(version, home, bin);
  fs.writeFileSync(path.join(home, BUILD_RECORD), `${JSON.stringify(built, null, 2)}\n`);
  if (usesFallbackHost(home)) installHostLauncher(bin);
  fs.copyFileSync(dynamicProviderScript(), path.join(bin, "pulumi-resource-pulumi-nodejs"));
  fs.chmodSync(path.join(bin, "pulumi-resource-pulumi-nodejs"), 0o755);
  fs.rmSync(path.join(home, "build"), { recursive: true, force: true });
  markComplete(home);
  progress(`Pulumi CLI ready in ${Math.round((Date.now() - started) / 1000)} s: ${bin}`);
  return bin;
}

async function matchingPulumiOnPath(version: string): Promise<string | undefined> {
  const found = which("pulumi");
  if (!found) return undefined;
  const dir = path.dirname(fs.realpathSync(found));
  const hasPlugins = ["pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"].every(
    (p) => fs.existsSync(path.join(dir, p)) || which(p),
  );
  try {
    const v = (await run(found, ["version"], { env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } })).trim();
    return v === `v${version}` && hasPlugins ? dir : undefined;
  } catch {
    return undefined;
  }
}

/** What a bootstrap built, from which modules, and how their checksums were checked. */
export interface BuildRecord {
  cli: string;
  languageHost: string;
  checksums: string;
}
const BUILD_RECORD = "BUILD.json";

/** Whether `home` holds the fallback host (caches from before BUILD.json have only its build folder to say so). */
function usesFallbackHost(home: string): boolean {
  const record = path.join(home, BUILD_RECORD);
  if (!fs.existsSync(record)) return fs.existsSync(path.join(home, "build-host-fallback"));
  return (JSON.parse(fs.readFileSync(record, "utf8")) as BuildRecord).languageHost.includes(FALLBACK_HOST_SDK);
}

/** What the CLI in `bin` is, in words: where it came from and how far it was verified. */
export function describeBuild(bin: string): string {
  const record = path.join(path.dirname(bin), BUILD_RECORD);
  if (!fs.existsSync(record))
    return `Pulumi CLI: ${path.join(bin, "pulumi")} (found on PATH or built without a record)`;
  const b = JSON.parse(fs.readFileSync(record, "utf8")) as BuildRecord;
  return [
    `Pulumi CLI built from ${b.cli}`,
    `Node language host built from ${b.languageHost}`,
    `Module checksums: ${b.checksums}`,
  ].join("\n");
}

async function buildCli(version: string, home: string, bin: string): Promise<BuildRecord> {
  const go = which("go");
  if (!go)
    throw new Error(
      `building the Pulumi CLI needs Go ${GO_MINIMUM} or later on PATH (https://go.dev/dl/ or your package manager)`,
    );
  const build = path.join(home, "build");
  fs.mkdirSync(build, { recursive: true });
  const goEnv: NodeJS.ProcessEnv = { ...process.env, GOTOOLCHAIN: "local", GOFLAGS: "-mod=mod", GOWORK: "off" };
  const checksums = checksumPolicy(goEnv);
  const goCommand = (args: string[], cwd = build) =>
    run(go, args, { cwd, env: goEnv }).catch((e) => {
      throw new Error(`Pulumi CLI build failed at 'go ${args.join(" ")}': ${sumdbAdvice(e.message)}`);
    });
  const ldflags = (v: string) => `-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${v}`;

  await goCommand(["mod", "init", "local/pulumi-cli"]);
  await goCommand(["mod", "edit", `-go=${GO_MINIMUM}`]);
  // pkg/go.mod's own replace (a clipboard fork); replaces are not inherited by dependents.
  await goCommand([
    "mod",
    "edit",
    "-replace",
    "github.com/atotto/clipboard=github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e",
  ]);
  await goCommand([
    "get",
    `github.com/pulumi/pulumi/pkg/v3@v${version}`,
    `github.com/pulumi/pulumi/sdk/v3@v${version}`,
  ]);
  await goCommand([
    "build",
    ...CLI_BUILD_FLAGS,
    "-ldflags",
    ldflags(`v${version}`),
    "-o",
    path.join(bin, "pulumi"),
    "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi",
  ]);
  const cli = `github.com/pulumi/pulumi/pkg/v3@v${version} (cmd/pulumi)`;

  try {
    const hash = JSON.parse(
      await goCommand(["mod", "download", "-json", `github.com/pulumi/pulumi/pkg/v3@v${version}`]),
    ).Origin?.Hash;
    const host = path.join(home, "build-host");
    fs.mkdirSync(host, { recursive: true });
    await goCommand(["mod", "init", "local/pulumi-host"], host);
    await goCommand(["get", `${NODEJS_HOST_MODULE}@${hash}`], host);
    await goCommand(
      [
        "build",
        "-trimpath",
        "-ldflags",
        ldflags(`v${version}`),
        "-o",
        path.join(bin, "pulumi-language-nodejs"),
        NODEJS_HOST_MODULE,
      ],
      host,
    );
    return { cli, languageHost: `${NODEJS_HOST_MODULE}@${hash} (the v${version} release commit)`, checksums };
  } catch {
    progress(
      `the Node language host at v${version} is not on this module proxy; building it from sdk/v3@${FALLBACK_HOST_SDK}`,
    );
    const host = path.join(home, "build-host-fallback");
    fs.mkdirSync(host, { recursive: true });
    await goCommand(["mod", "init", "local/pulumi-host"], host);
    await goCommand(["get", `github.com/pulumi/pulumi/sdk/v3@${FALLBACK_HOST_SDK}`], host);
    await goCommand(
      [
        "build",
        "-trimpath",
        "-ldflags",
        ldflags(FALLBACK_HOST_SDK),
        "-o",
        path.join(bin, "pulumi-language-nodejs"),
        "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs",
      ],
      host,
    );
    const languageHost = `github.com/pulumi/pulumi/sdk/v3@${FALLBACK_HOST_SDK} (nodejs/cmd/pulumi-language-nodejs; the host at v${version} was not on the module proxy, and this one speaks the same protocol; a launcher passes it Pulumi.yaml's runtime options as flags)`;
    return { cli, languageHost, checksums };
  }
}

/**
 * Module checksums are verified against the Go checksum database (directly or
 * through GOPROXY, which serves it) unless the user turned that off with Go's
 * own GOSUMDB=off: then the build says so, and records it.
 */
function checksumPolicy(env: NodeJS.ProcessEnv): string {
  if (env.GOSUMDB === "off") {
    progress(
      "WARNING: GOSUMDB=off — the Pulumi CLI's modules are NOT verified against the Go checksum database; " +
        "only the module proxy vouches for them",
    );
    return "NOT verified (GOSUMDB=off was set)";
  }
  return `verified against the Go checksum database (${env.GOSUMDB || "sum.golang.org"})`;
}

/** A failed verification says what to do instead of weakening it silently. */
export function sumdbAdvice(message: string): string {
  if (!/sum\.golang\.org|verifying module|checksum database|GOSUMDB/i.test(message)) return message;
  return (
    `${message}\nThe Go checksum database could not verify the Pulumi CLI's modules. Install the Pulumi CLI the usual ` +
    "way (https://www.pulumi.com/docs/install/) and put it on PATH; or, on a machine that reaches only a module proxy " +
    "that does not serve the checksum database, set GOSUMDB=off to build without that verification (a warning is printed)."
  );
}

function dynamicProviderScript(): string {
  return path.join(path.dirname(require.resolve("@pulumi/pulumi/package.json")), "pulumi-resource-pulumi-nodejs");
}
