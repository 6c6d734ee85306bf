// Compiles the JSON Schema validators once, at build time, into
// dist/schemas/validators.js (ajv standalone code), so neither the program
// nor a provider process compiles them on start: compiling took ~0.35–0.6 s
// of CPU per process, loading the compiled module ~20 ms. Same options as
// provider/declarations/schema.ts, so the errors are the same objects.
// Run by scripts/setup.js and the build after tsc; schema.ts compiles at run
// time when the file is missing or stale (e.g. under vitest, from source).
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv from "ajv";
import standaloneCode from "ajv/dist/standalone";
import { AJV_OPTIONS, PREBUILT_DEFINITIONS, schemaStamp } from "../provider/declarations/schema";
import schema from "../schemas/pipelines.schema.json";

export function validatorsCode(): string {
  const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true } });
  ajv.addSchema(schema, "pipelines");
  const refs = Object.fromEntries(PREBUILT_DEFINITIONS.map((d) => [d, `pipelines#/definitions/${d}`]));
  // The stamp ties the code to the schema it was compiled from: a stale file is never used.
  return `${standaloneCode(ajv, refs)}\nexports.__schemaStamp = ${JSON.stringify(schemaStamp())};\n`;
}

if (require.main === module) {
  const out = path.join(__dirname, "..", "schemas", "validators.js");
  fs.writeFileSync(out, validatorsCode());
}
