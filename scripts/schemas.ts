// npm run schemas: regenerates schemas/pipelines.schema.json from the declaration
// types in provider/declarations/types.ts. A test fails when the committed file is stale.
import * as fs from "node:fs";
import * as path from "node:path";
import * as TJS from "typescript-json-schema";

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
    { strictNullChecks: true, skipLibCheck: true },
    ROOT,
  );
  const schema = TJS.generateSchema(program, "PipelinesFile", {
    required: true,
    noExtraProps: true,
    strictNullChecks: true,
    ref: true,
    titles: false,
  });
  if (!schema) throw new Error("typescript-json-schema produced no schema");
  const { $schema: _draft, ...body } = schema;
  const doc = { $schema: "http://json-schema.org/draft-07/schema#", title: "pulumi-pipelines declarations", ...body };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

if (require.main === module) {
  fs.mkdirSync(path.dirname(SCHEMA_FILE), { recursive: true });
  fs.writeFileSync(SCHEMA_FILE, generatePipelinesSchema());
  process.stdout.write(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}\n`);
}
