// The real Pulumi CLI, at the version of the installed @pulumi/pulumi SDK.
// No prebuilt binary can be downloaded here, so it is built from the Go module
// proxy (pkg/v3/cmd/pulumi) and cached. The Node language host is a nested Go
// module that module proxies may not serve at the release commit; when it
// cannot be had, the host from sdk/v3@v3.68.0 (the last release that still
// shipped it inside the sdk module) is built instead: the CLI talks to it
// over the same LanguageRuntime gRPC protocol.
import * as fs from "node:fs";
import * as path from "node:path";
import { cacheRoot, isComplete, markComplete, progress, run, which } from "./cache";

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
  if (isComplete(home)) return bin;

  fs.rmSync(home, { recursive: true, force: true });
  fs.mkdirSync(bin, { recursive: true });
  const started = Date.now();
  progress(`building the Pulumi CLI v${version} from the Go module proxy (first run only; several minutes)…`);
  await buildCli(version, home, bin);
  fs.copyFileSync(dynamicProviderScript(), path.join(bin, "pulumi-resource-pulumi-nodejs"));
  fs.chmodSync(path.join(bin, "pulumi-resource-pulumi-nodejs"), 0o755);
  fs.rmSync(path.join(home, "build"), { recursive: true, force: true });
  markComplete(home);
  progress(`Pulumi CLI ready in ${Math.round((Date.now() - started) / 1000)} s: ${bin}`);
  return bin;
}

/** Environment for running the CLI fully offline against a local file backend. */
export function pulumiEnv(bin: string, stateDir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  fs.mkdirSync(path.join(stateDir, "backend"), { recursive: true });
  fs.mkdirSync(path.join(stateDir, "home"), { recursive: true });
  return {
    ...process.env,
    PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}`,
    PULUMI_BACKEND_URL: `file://${path.join(stateDir, "backend")}`,
    PULUMI_HOME: path.join(stateDir, "home"),
    PULUMI_CONFIG_PASSPHRASE: "",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
    PULUMI_NODEJS_TRANSPILE_ONLY: "false",
    ...extra,
  };
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

async function buildCli(version: string, home: string, bin: string): Promise<void> {
  const go = which("go");
  if (!go)
    throw new Error("building the Pulumi CLI needs Go ≥ 1.25 on PATH (https://go.dev/dl/ or your package manager)");
  const build = path.join(home, "build");
  fs.mkdirSync(build, { recursive: true });
  const goEnv: NodeJS.ProcessEnv = { ...process.env, GOTOOLCHAIN: "local", GOFLAGS: "-mod=mod", GOWORK: "off" };
  const go_ = (args: string[], cwd = build) =>
    withSumdbFallback(goEnv, (env) => run(go, args, { cwd, env })).catch((e) => {
      throw new Error(`Pulumi CLI build failed at 'go ${args.join(" ")}': ${e.message}`);
    });
  const ldflags = (v: string) => `-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${v}`;

  await go_(["mod", "init", "local/pulumi-cli"]);
  await go_(["mod", "edit", "-go=1.25.11"]);
  // pkg/go.mod's own replace (a clipboard fork); replaces are not inherited by dependents.
  await go_([
    "mod",
    "edit",
    "-replace",
    "github.com/atotto/clipboard=github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e",
  ]);
  await go_(["get", `github.com/pulumi/pulumi/pkg/v3@v${version}`, `github.com/pulumi/pulumi/sdk/v3@v${version}`]);
  await go_([
    "build",
    "-trimpath",
    "-tags",
    "osusergo,grpcnotrace",
    "-ldflags",
    ldflags(`v${version}`),
    "-o",
    path.join(bin, "pulumi"),
    "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi",
  ]);

  try {
    const hash = JSON.parse(await go_(["mod", "download", "-json", `github.com/pulumi/pulumi/pkg/v3@v${version}`]))
      .Origin?.Hash;
    const host = path.join(home, "build-host");
    fs.mkdirSync(host, { recursive: true });
    await go_(["mod", "init", "local/pulumi-host"], host);
    await go_(["get", `${NODEJS_HOST_MODULE}@${hash}`], host);
    await go_(
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
  } catch {
    progress(
      `the Node language host at v${version} is not on this module proxy; building it from sdk/v3@${FALLBACK_HOST_SDK}`,
    );
    const host = path.join(home, "build-host-fallback");
    fs.mkdirSync(host, { recursive: true });
    await go_(["mod", "init", "local/pulumi-host"], host);
    await go_(["get", `github.com/pulumi/pulumi/sdk/v3@${FALLBACK_HOST_SDK}`], host);
    await go_(
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
  }
}

/**
 * Checksums are verified against sum.golang.org when it answers; where only
 * the module proxy is reachable, the build goes on without the checksum
 * database (GOSUMDB=off), and says so. An explicit GOSUMDB is always kept.
 */
async function withSumdbFallback<T>(env: NodeJS.ProcessEnv, fn: (env: NodeJS.ProcessEnv) => Promise<T>): Promise<T> {
  if (env.GOSUMDB || sumdbOff) return fn(sumdbOff ? { ...env, GOSUMDB: "off" } : env);
  try {
    return await fn(env);
  } catch (e) {
    if (!/sum\.golang\.org|verifying module|checksum database/i.test(String(e))) throw e;
    progress("the Go checksum database is not reachable; continuing with GOSUMDB=off (module proxy only)");
    sumdbOff = true;
    return fn({ ...env, GOSUMDB: "off" });
  }
}
let sumdbOff = false;

function dynamicProviderScript(): string {
  return path.join(path.dirname(require.resolve("@pulumi/pulumi/package.json")), "pulumi-resource-pulumi-nodejs");
}

/**
 * `pulumi stack init` writes Pulumi.<stack>.yaml (the passphrase salt) into the
 * program directory and has no --config-file flag; the tools keep stack config
 * in their state folder instead, so the file is moved there.
 */
export function moveStackFile(programDir: string, stack: string, configFile: string): void {
  const written = path.join(programDir, `Pulumi.${stack}.yaml`);
  if (fs.existsSync(written)) {
    fs.copyFileSync(written, configFile);
    fs.rmSync(written);
  }
}
