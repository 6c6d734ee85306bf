// One real Mage server, the real Pulumi CLI and the vendors' Python SDKs for
// the whole run, and PostgreSQL installed for the tests that keep state in it.
// Any one missing fails the run: contract, conformance and e2e tests never skip.
import type { TestProject } from "vitest/node";
import { ensureYamlHost } from "../../provider/cli/languageHosts";
import { startMage } from "../../provider/cli/mageSandbox";
import { ensurePulumiCli } from "../../provider/cli/pulumiCli";
import { ensurePostgres } from "../helpers/postgres";
import { ensureVendorSdks } from "../helpers/vendorSdks";

declare module "vitest" {
  export interface ProvidedContext {
    mage: {
      url: string;
      email: string;
      password: string;
      projectDir: string;
      version: string;
      metadata: "sqlite" | "postgres";
    };
    pulumiBin: string;
    vendorSdks: string;
  }
}

export default async function setup(project: TestProject) {
  const pulumiBin = await ensurePulumiCli();
  // The GitOps program init writes runs on Pulumi YAML (pulumi-pipelines compile).
  await ensureYamlHost(pulumiBin);
  await ensurePostgres();
  project.provide("vendorSdks", await ensureVendorSdks());
  // The version lane (npm run test:mage-versions) runs the same tests against another Mage or PostgreSQL metadata.
  const mage = await startMage({
    version: process.env.PULUMI_PIPELINES_MAGE_VERSION || undefined,
    metadata: process.env.PULUMI_PIPELINES_MAGE_METADATA === "postgres" ? "postgres" : "sqlite",
  });
  process.stderr.write(`[pulumi-pipelines] Mage ${mage.version} at ${mage.url}, metadata in ${mage.metadata}\n`);
  project.provide("pulumiBin", pulumiBin);
  project.provide("mage", {
    url: mage.url,
    email: mage.email,
    password: mage.password,
    projectDir: mage.projectDir,
    version: mage.version,
    metadata: mage.metadata.startsWith("postgresql") ? "postgres" : "sqlite",
  });
  return async () => {
    await mage.stop();
  };
}
