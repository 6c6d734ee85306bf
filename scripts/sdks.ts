// npm run sdks: the Python and Go SDKs under sdk/, generated from
// schemas/pulumi.schema.json by Pulumi's own generators (scripts/sdkgen, built
// once and cached). The languages lane fails when a committed SDK differs from
// what this writes.
import * as fs from "node:fs";
import * as path from "node:path";
import { ensureSdkgen } from "../provider/cli/languageHosts";
import { run } from "../provider/cli/process";

const ROOT = (() => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, "package.json"))) dir = path.dirname(dir);
  return dir;
})();
export const SDK_LANGUAGES = ["python", "go"] as const;
const SCHEMA = path.join(ROOT, "schemas", "pulumi.schema.json");

/** Writes each SDK into `<into>/<language>` (the repository's sdk/ by default). */
export async function generateSdks(into = path.join(ROOT, "sdk")): Promise<void> {
  const sdkgen = await ensureSdkgen(ROOT);
  for (const language of SDK_LANGUAGES) await run(sdkgen, [SCHEMA, language, path.join(into, language)]);
}

if (require.main === module)
  generateSdks().then(
    () => process.stdout.write(`wrote ${SDK_LANGUAGES.map((l) => `sdk/${l}`).join(", ")}\n`),
    (e: Error) => {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    },
  );
