// npm run fixtures:ionworks: writes test/fixtures/ionworks/elements.json, the
// keys each Ionworks element type's config takes, read from Ionworks' schema
// package by scripts/ionworks_elements.py in the vendor SDKs' virtualenv (the
// version it came from is in its `x-derived-from`). `npm run schemas` builds
// the declarations' checks from it; a test fails when it is stale.
import * as fs from "node:fs";
import * as path from "node:path";
import { run } from "../provider/cli/process";
import { ensureVendorSdks } from "../test/helpers/vendorSdks";

const ROOT = (() => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, "package.json"))) dir = path.dirname(dir);
  return dir;
})();
export const IONWORKS_ELEMENTS = path.join(ROOT, "test", "fixtures", "ionworks", "elements.json");

/** The document as the installed package describes it. */
export async function deriveIonworksElements(venv: string): Promise<string> {
  return run(path.join(venv, "bin", "python"), [path.join(ROOT, "scripts", "ionworks_elements.py")]);
}

if (require.main === module) {
  (async () => {
    fs.mkdirSync(path.dirname(IONWORKS_ELEMENTS), { recursive: true });
    fs.writeFileSync(IONWORKS_ELEMENTS, await deriveIonworksElements(await ensureVendorSdks()));
    process.stdout.write(`wrote ${path.relative(process.cwd(), IONWORKS_ELEMENTS)}\n`);
  })().catch((e) => {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(1);
  });
}
