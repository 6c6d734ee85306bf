// One real Mage server, the real Pulumi CLI and the vendors' Python SDKs for
// the whole run, and PostgreSQL installed for the tests that keep state in it.
// Any one missing fails the run: contract, conformance and e2e tests never skip.
import type { TestProject } from "vitest/node";
import { startMage } from "../../provider/cli/mageSandbox";
import { ensurePulumiCli } from "../../provider/cli/pulumiCli";
import { ensurePostgres } from "../helpers/postgres";
import { ensureVendorSdks } from "../helpers/vendorSdks";

declare module "vitest" {
  export interface ProvidedContext {
    mage: { url: string; email: string; password: string; projectDir: string };
    pulumiBin: string;
    vendorSdks: string;
  }
}

export default async function setup(project: TestProject) {
  const pulumiBin = await ensurePulumiCli();
  await ensurePostgres();
  project.provide("vendorSdks", await ensureVendorSdks());
  const mage = await startMage();
  project.provide("pulumiBin", pulumiBin);
  project.provide("mage", { url: mage.url, email: mage.email, password: mage.password, projectDir: mage.projectDir });
  return async () => {
    await mage.stop();
  };
}
