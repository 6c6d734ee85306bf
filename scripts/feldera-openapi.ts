// npm run fixtures:feldera -- <openapi.json> [out]
//
// Derives the test fixture the Feldera emulator is held to from Feldera's own
// OpenAPI document. Feldera publishes that document as `openapi.json` at the
// root of its source repository (feldera/feldera on GitHub), one per release
// tag; the pipeline manager is generated from the same code. The fixture keeps
// what a response or request check needs — paths, methods, status codes,
// parameters and schemas (with their defaults) — and drops prose: descriptions,
// summaries, examples. The source version is recorded in `x-derived-from`.
// Run it again when the emulated Feldera version moves.
import * as fs from "node:fs";
import * as path from "node:path";

export const FIXTURE = path.join("test", "fixtures", "feldera", "openapi.json");

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

/** Keys that only document a schema or an operation. */
const PROSE = new Set([
  "description",
  "summary",
  "example",
  "examples",
  "externalDocs",
  "title",
  "operationId",
  "tags",
]);
/** Keys whose value is data (a default, the allowed values): copied as they are. */
const DATA = new Set(["default", "enum", "const"]);
/** Keys whose value maps names (of properties, schemas, statuses…) to schemas: their keys are data, not prose. */
const NAME_MAPS = new Set(["properties", "patternProperties", "schemas", "responses", "content", "paths"]);

const isObj = (v: Json | undefined): v is Obj => !!v && typeof v === "object" && !Array.isArray(v);

/** A schema, operation or response with its prose removed, at every depth. */
export function stripProse(node: Json, nameMap = false): Json {
  if (Array.isArray(node)) return node.map((n) => stripProse(n));
  if (!isObj(node)) return node;
  const out: Obj = {};
  for (const [key, value] of Object.entries(node)) {
    if (!nameMap && PROSE.has(key)) continue;
    out[key] = !nameMap && DATA.has(key) ? value : stripProse(value, !nameMap && NAME_MAPS.has(key));
  }
  return out;
}

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"];

export function deriveFixture(upstream: Obj, source: string): Obj {
  const info = isObj(upstream.info) ? upstream.info : {};
  const paths: Obj = {};
  for (const [route, item] of Object.entries(isObj(upstream.paths) ? upstream.paths : {})) {
    if (!isObj(item)) continue;
    const ops: Obj = {};
    for (const method of METHODS) {
      const op = item[method];
      if (!isObj(op)) continue;
      ops[method] = stripProse({
        parameters: op.parameters ?? [],
        requestBody: op.requestBody ?? null,
        responses: op.responses ?? {},
      });
    }
    paths[route] = ops;
  }
  const components = isObj(upstream.components) ? upstream.components : {};
  return {
    "x-derived-from": {
      document: String(info.title ?? "Feldera API"),
      version: String(info.version ?? "unknown"),
      source,
      by: "scripts/feldera-openapi.ts (npm run fixtures:feldera)",
    },
    openapi: upstream.openapi ?? "3.0.3",
    paths,
    components: { schemas: stripProse(components.schemas ?? {}, true) },
  };
}

function main(argv: string[]): void {
  const [input, out = FIXTURE] = argv;
  if (!input) {
    process.stderr.write("usage: npm run fixtures:feldera -- <Feldera openapi.json> [out]\n");
    process.exit(2);
  }
  const upstream = JSON.parse(fs.readFileSync(input, "utf8")) as Obj;
  const fixture = deriveFixture(upstream, `feldera/feldera openapi.json (${path.basename(input)})`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(fixture, null, 1)}\n`);
  const derived = fixture["x-derived-from"] as Obj;
  process.stdout.write(`${out}: Feldera ${derived.version}, ${Object.keys(fixture.paths as Obj).length} paths\n`);
}

if (require.main === module) main(process.argv.slice(2));
