// The languages lane (npm run test:languages): everything npm test's set-up
// starts (Mage, the Pulumi CLI), and what programs in other languages need
// besides: their language hosts, `pulumi` from PyPI, the release's artifacts
// built as the release workflow builds them (the plugin archive, on the Node
// the workflow uses, and the Python SDK's wheel), and the packed npm package
// (whose plugin Pulumi YAML programs run from node_modules).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { TestProject } from "vitest/node";
import { ensureLanguageHosts } from "../../provider/cli/languageHosts";
import { ensurePulumiCli } from "../../provider/cli/pulumiCli";
import { buildPluginArchive } from "../../scripts/pluginArchive";
import { buildPythonSdk } from "../../scripts/pythonSdk";
import { ensurePulumiPython, installPackedPackage } from "../helpers/languages";
import { ensureNode } from "../helpers/node";
import base from "./global";

declare module "vitest" {
  export interface ProvidedContext {
    languages: { hosts: string; python: string; packed: string };
    /** The release's assets, in one folder as the GitHub release holds them. */
    release: { dir: string; archive: string; wheel: string };
  }
}

export default async function setup(project: TestProject) {
  const teardown = await base(project);
  const hosts = await ensureLanguageHosts(await ensurePulumiCli());
  const python = await ensurePulumiPython();
  const packed = await installPackedPackage();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pp-release-"));
  const archive = await buildPluginArchive({ node: path.join(await ensureNode("22"), "node"), out: dir });
  const { wheel } = await buildPythonSdk(dir);
  project.provide("languages", { hosts, python, packed });
  project.provide("release", { dir, archive, wheel });
  return async () => {
    await teardown();
    fs.rmSync(packed, { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
