// npm run schemas: regenerates schemas/pipelines.schema.json from the declaration
// types in provider/declarations/types.ts. A test fails when the committed file is stale.
import * as fs from "node:fs";
import * as path from "node:path";
import * as TJS from "typescript-json-schema";
import { RESOURCE_INPUTS } from "../provider/declarations/types";

/** The package root, whether this runs from scripts/ (tests) or dist/scripts/ (npm run schemas). */
const ROOT = (() => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, "package.json"))) dir = path.dirname(dir);
  return dir;
})();
export const SCHEMA_FILE = path.join(ROOT, "schemas", "pipelines.schema.json");

export function generatePipelinesSchema(): string {
  const program = TJS.getProgramFromFiles(
    [path.join(ROOT, "provider", "declarations", "types.ts")],
    { strictNullChecks: true, skipLibCheck: true, target: "es2022", lib: ["es2022"], types: ["node"] },
    ROOT,
  );
  const settings: TJS.PartialArgs = {
    required: true,
    noExtraProps: true,
    strictNullChecks: true,
    ref: true,
    titles: false,
  };
  const schema = TJS.generateSchema(program, "PipelinesFile", settings);
  if (!schema) throw new Error("typescript-json-schema produced no schema");
  // The resources' inputs join the definitions: providers' check() validates against them.
  const generator = TJS.buildGenerator(program, settings);
  if (!generator) throw new Error("typescript-json-schema could not build a generator");
  const inputs = generator.getSchemaForSymbols([...RESOURCE_INPUTS]);
  const { $schema: _draft, definitions, ...body } = schema;
  const doc = {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "pulumi-pipelines declarations",
    ...body,
    definitions: sortKeys({ ...definitions, ...inputs.definitions }),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

function sortKeys<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b))) as T;
}

if (require.main === module) {
  fs.mkdirSync(path.dirname(SCHEMA_FILE), { recursive: true });
  fs.writeFileSync(SCHEMA_FILE, generatePipelinesSchema());
  process.stdout.write(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}\n`);
}
