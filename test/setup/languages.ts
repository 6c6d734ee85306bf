// The languages lane (npm run test:languages): everything npm test's set-up
// starts (Mage, the Pulumi CLI), and what Python and Pulumi YAML programs need
// besides: their language hosts, `pulumi` from PyPI, and the packed package
// whose provider plugin they run (and whose Python SDK a program installs).
import * as fs from "node:fs";
import type { TestProject } from "vitest/node";
import { ensureLanguageHosts } from "../../provider/cli/languageHosts";
import { ensurePulumiPython, installPackedPackage } from "../helpers/languages";
import base from "./global";

declare module "vitest" {
  export interface ProvidedContext {
    languages: { hosts: string; python: string; packed: string };
  }
}

export default async function setup(project: TestProject) {
  const teardown = await base(project);
  const hosts = await ensureLanguageHosts();
  const python = await ensurePulumiPython();
  const packed = await installPackedPackage();
  project.provide("languages", { hosts, python, packed });
  return async () => {
    await teardown();
    fs.rmSync(packed, { recursive: true, force: true });
  };
}
