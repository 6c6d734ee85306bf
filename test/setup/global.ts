// One real Mage server and the real Pulumi CLI for the whole run. Either one
// missing fails the run: contract and e2e tests never skip.
import type { TestProject } from "vitest/node";
import { startMage } from "../../provider/cli/mageSandbox";
import { ensurePulumiCli } from "../../provider/cli/pulumiCli";

declare module "vitest" {
  export interface ProvidedContext {
    mage: { url: string; email: string; password: string; projectDir: string };
    pulumiBin: string;
  }
}

export default async function setup(project: TestProject) {
  const pulumiBin = await ensurePulumiCli();
  const mage = await startMage();
  project.provide("pulumiBin", pulumiBin);
  project.provide("mage", { url: mage.url, email: mage.email, password: mage.password, projectDir: mage.projectDir });
  return async () => {
    await mage.stop();
  };
}
