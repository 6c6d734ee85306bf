// What a Python or Pulumi YAML user has: the package from its packed tarball
// (which brings the provider plugin, node_modules/.bin/pulumi-resource-pipelines,
// and the Python SDK, node_modules/pulumi-pipelines/sdk/python), `pulumi` from
// PyPI, and the language hosts (provider/cli/languageHosts.ts).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cacheRoot, isComplete, markComplete } from "../../provider/cli/cache";
import { findPython } from "../../provider/cli/mageInstall";
import { progress, run } from "../../provider/cli/process";
import { sdkVersion } from "../../provider/cli/pulumiCli";

const REPO = path.resolve(__dirname, "..", "..");

/** `npm pack` of this repository installed, with the SDK, into a fresh project; resolves with that project. */
export async function installPackedPackage(): Promise<string> {
  const app = fs.mkdtempSync(path.join(os.tmpdir(), "pp-packed-"));
  const out = await run("npm", ["pack", "--json", "--pack-destination", app], { cwd: REPO });
  const tarball = path.join(app, JSON.parse(out)[0].filename);
  fs.writeFileSync(path.join(app, "package.json"), '{ "private": true }\n');
  await run(
    "npm",
    ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball, `@pulumi/pulumi@${sdkVersion()}`],
    {
      cwd: app,
    },
  );
  return app;
}

/** A virtualenv with `pulumi` from PyPI at the CLI's version (cached); a Python program installs its own requirements. */
export async function ensurePulumiPython(): Promise<string> {
  const venv = path.join(cacheRoot(), `python-pulumi-${sdkVersion()}`);
  if (!isComplete(venv)) {
    fs.rmSync(venv, { recursive: true, force: true });
    progress(`installing pulumi ${sdkVersion()} from PyPI into ${venv} (first run only)…`);
    await run(await findPython(), ["-m", "venv", venv]);
    await run(path.join(venv, "bin", "pip"), [
      "install",
      "--quiet",
      "--disable-pip-version-check",
      `pulumi==${sdkVersion()}`,
    ]);
    markComplete(venv);
  }
  return path.join(venv, "bin");
}

/**
 * A copy of examples/<name> in a temp folder; with `packed`, its node_modules is the packed install's (for a
 * Pulumi.yaml that points there).
 */
export function exampleProject(name: string, packed?: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `pp-${name}-`));
  fs.cpSync(path.join(REPO, "examples", name), dir, { recursive: true });
  if (packed) fs.symlinkSync(path.join(packed, "node_modules"), path.join(dir, "node_modules"));
  return dir;
}

/**
 * PATH as a Python team without Node has it: the CLI, the Python virtualenv and the language hosts, nothing else.
 * Throws if `node` could be found on it, so a test using it cannot pass by reaching Node.
 */
export function pathWithoutNode(pulumiBin: string, langs: { python: string; hosts: string }): string {
  const dirs = [pulumiBin, langs.python, langs.hosts];
  const node = dirs.find((d) => fs.existsSync(path.join(d, "node")) || fs.existsSync(path.join(d, "nodejs")));
  if (node) throw new Error(`${node} holds a node executable`);
  return dirs.join(path.delimiter);
}

/** The schema's version: the plugin's, and the one `pulumi plugin install` is given. */
export const PLUGIN_VERSION = JSON.parse(fs.readFileSync(path.join(REPO, "schemas", "pulumi.schema.json"), "utf8"))
  .version as string;

/** `pulumi plugin install resource pipelines <version> --file <archive>` in a stack's environment, as the docs say. */
export async function installPluginArchive(
  pulumiBin: string,
  stack: { cliEnv: NodeJS.ProcessEnv; programDir: string },
  archive: string,
): Promise<void> {
  await run(
    path.join(pulumiBin, "pulumi"),
    ["plugin", "install", "resource", "pipelines", PLUGIN_VERSION, "--file", archive],
    { env: stack.cliEnv, cwd: stack.programDir },
  );
}
