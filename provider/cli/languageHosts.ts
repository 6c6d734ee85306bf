// The Python, Go and YAML language hosts, and the SDK generator, for Pulumi
// programs in other languages (the provider plugin, provider/plugin/), built
// from the Go module proxy when no Pulumi install is present, as the Node host
// is (pulumiCli.ts): the proxy serves no Python or Go host at the CLI's
// release (they are nested modules), so the last ones inside the sdk/v3
// module are built: Python's from v3.68.0, with its exec script beside it, and
// Go's from v3.66.0; the YAML host is pulumi-yaml's own release. All speak the
// LanguageRuntime protocol the CLI of today drives. Cached per version under
// ~/.cache/pulumi-pipelines.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { cacheRoot, isComplete, markComplete } from "./cache";
import { progress, run, which } from "./process";

export const PYTHON_HOST_SDK = "v3.68.0";
/** The last sdk/v3 release holding go/pulumi-language-go (later it is a module of its own the proxy does not serve). */
export const GO_HOST_SDK = "v3.66.0";
/** The flags the Pulumi CLI is built with (pulumiCli.ts): Go code built with them shares its build cache. */
export const CLI_BUILD_FLAGS = ["-trimpath", "-tags", "osusergo,grpcnotrace"];
export const YAML_HOST = "v1.25.0";
/** The go line of the CLI's own go.mod (pkg/v3 at the pinned release): the oldest Go that builds it, GOTOOLCHAIN=local. */
export const GO_MINIMUM = "1.25.11";

const goEnv = (): NodeJS.ProcessEnv => ({ ...process.env, GOTOOLCHAIN: "local", GOFLAGS: "-mod=mod", GOWORK: "off" });

function go(): string {
  const found = which("go");
  if (!found) throw new Error(`building the language hosts needs Go ${GO_MINIMUM} or later on PATH`);
  return found;
}

/** What the language hosts are built from, in words (`bootstrap --languages` prints it). */
export function describeLanguageHosts(): string {
  return [
    `Python language host built from github.com/pulumi/pulumi/sdk/v3@${PYTHON_HOST_SDK} (python/cmd/pulumi-language-python, with its exec script)`,
    `Go language host built from github.com/pulumi/pulumi/sdk/v3@${GO_HOST_SDK} (go/pulumi-language-go)`,
    `YAML language host built from github.com/pulumi/pulumi-yaml@${YAML_HOST} (cmd/pulumi-language-yaml)`,
  ].join("\n");
}

/**
 * The Python, Go and YAML language hosts, linked beside the CLI in `cliBin`; returns the directory holding them all.
 */
export async function ensureLanguageHosts(cliBin: string): Promise<string> {
  linkBesideCli(cliBin, await buildLanguageHosts());
  await ensureYamlHost(cliBin);
  return cliBin;
}

/**
 * The YAML language host alone, linked beside the CLI: the GitOps program `init` writes runs on it
 * (`pulumi-pipelines compile` under Pulumi YAML), so `bootstrap` and the tests' set-up always provide it, as a
 * Pulumi release bundles it.
 */
export async function ensureYamlHost(cliBin: string): Promise<void> {
  const home = path.join(cacheRoot(), `yaml-host-${YAML_HOST}`);
  const bin = path.join(home, "bin");
  if (!isComplete(home)) {
    fs.rmSync(home, { recursive: true, force: true });
    fs.mkdirSync(bin, { recursive: true });
    progress(`building the YAML language host from the Go module proxy (first run only)…`);
    await goBuild(home, "yaml", {
      module: `github.com/pulumi/pulumi-yaml@${YAML_HOST}`,
      pkg: "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml",
      out: "pulumi-language-yaml",
    });
    markComplete(home);
  }
  linkBesideCli(cliBin, bin);
}

/** Builds `pkg` of `module` into `<home>/bin/<out>`, in a module of its own under `<home>/<dir>`. */
async function goBuild(home: string, dir: string, what: { module: string; pkg: string; out: string }): Promise<void> {
  const cwd = path.join(home, dir);
  fs.mkdirSync(cwd, { recursive: true });
  await run(go(), ["mod", "init", `local/${dir}`], { cwd, env: goEnv() });
  await run(go(), ["get", what.module], { cwd, env: goEnv() });
  await run(go(), ["build", "-trimpath", "-o", path.join(home, "bin", what.out), what.pkg], { cwd, env: goEnv() });
}

/**
 * Pulumi takes a language host found next to its own executable as one bundled with it, as a release ships them;
 * for any other it warns on every command ("using pulumi-language-… from $PATH"). Each link replaces the last
 * by a rename, so a command running meanwhile never misses a host.
 */
export function linkBesideCli(cliBin: string, hosts: string): void {
  for (const name of fs.readdirSync(hosts)) {
    const link = path.join(cliBin, name);
    const tmp = `${link}.${process.pid}.link`;
    fs.rmSync(tmp, { force: true });
    fs.symlinkSync(path.join(hosts, name), tmp);
    fs.renameSync(tmp, link);
  }
}

async function buildLanguageHosts(): Promise<string> {
  const home = path.join(cacheRoot(), `language-hosts_python-${PYTHON_HOST_SDK}_go-${GO_HOST_SDK}`);
  const bin = path.join(home, "bin");
  if (isComplete(home)) return bin;
  fs.rmSync(home, { recursive: true, force: true });
  fs.mkdirSync(bin, { recursive: true });
  progress(`building the Python and Go language hosts from the Go module proxy (first run only)…`);
  await goBuild(home, "python", {
    module: `github.com/pulumi/pulumi/sdk/v3@${PYTHON_HOST_SDK}`,
    pkg: "github.com/pulumi/pulumi/sdk/v3/python/cmd/pulumi-language-python",
    out: "pulumi-language-python",
  });
  // The host runs programs through this script, which it expects beside itself.
  const sdk = (
    await run(go(), ["list", "-m", "-f", "{{.Dir}}", "github.com/pulumi/pulumi/sdk/v3"], {
      cwd: path.join(home, "python"),
      env: goEnv(),
    })
  ).trim();
  const exec = path.join(bin, "pulumi-language-python-exec");
  fs.copyFileSync(path.join(sdk, "python", "cmd", "pulumi-language-python-exec"), exec);
  fs.chmodSync(exec, 0o755);
  await goBuild(home, "go", {
    module: `github.com/pulumi/pulumi/sdk/v3@${GO_HOST_SDK}`,
    pkg: "github.com/pulumi/pulumi/sdk/v3/go/pulumi-language-go",
    out: "pulumi-language-go",
  });
  markComplete(home);
  return bin;
}

/** scripts/sdkgen built, cached by its sources (main.go, go.mod, go.sum). */
export async function ensureSdkgen(root: string): Promise<string> {
  const src = path.join(root, "scripts", "sdkgen");
  const hash = createHash("sha256");
  for (const f of ["main.go", "go.mod", "go.sum"]) hash.update(fs.readFileSync(path.join(src, f)));
  const home = path.join(cacheRoot(), `sdkgen-${hash.digest("hex").slice(0, 16)}`);
  const exe = path.join(home, "sdkgen");
  if (isComplete(home)) return exe;
  fs.rmSync(home, { recursive: true, force: true });
  fs.mkdirSync(home, { recursive: true });
  progress("building the SDK generator (scripts/sdkgen, Pulumi's pkg/v3/codegen; first run only)…");
  // Module checksums come from the committed go.sum; -mod=readonly keeps it as committed. The CLI's build flags,
  // over the CLI's module versions, let Go's build cache reuse what building the CLI compiled.
  await run(go(), ["build", "-mod=readonly", ...CLI_BUILD_FLAGS, "-o", exe, "."], {
    cwd: src,
    env: { ...goEnv(), GOFLAGS: "" },
  });
  markComplete(home);
  return exe;
}
