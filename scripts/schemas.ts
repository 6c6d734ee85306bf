// npm run schemas: regenerates schemas/pipelines.schema.json from the declaration
// types in provider/declarations/types.ts, with Feldera's runtime and program
// config types taken from Feldera's OpenAPI document (the repository's derived
// copy, test/fixtures/feldera/openapi.json, whose x-derived-from names the
// release), and Ionworks element configs from Ionworks' schema package (see
// scripts/ionworks-schema.ts), so a value of the wrong type is an error at its
// file and line before any request. A test fails when the committed file is stale.
import * as fs from "node:fs";
import * as path from "node:path";
import * as TJS from "typescript-json-schema";
import { RESOURCE_INPUTS } from "../provider/declarations/types";
import { ionworksBlockRules, ionworksDefinitions, readElementsDoc } from "./ionworks-schema";

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
  const all: Record<string, SchemaNode> = { ...definitions, ...inputs.definitions };
  const ionworks = readElementsDoc(ROOT);
  for (const def of Object.values(all)) {
    const props = def?.properties;
    // Only the reference (draft-07 ignores keywords beside a $ref) and the description.
    if (props?.runtimeConfig)
      props.runtimeConfig = {
        description: props.runtimeConfig.description,
        $ref: "#/definitions/FelderaApiRuntimeConfig",
      };
    if (
      def?.properties?.engine?.const === "feldera" ||
      def === all.FelderaPipelineInputs ||
      def === all.FelderaPipelineValues
    )
      if (props?.tags) props.tags = { ...props.tags, items: FELDERA_TAG };
    // Fields a declaration may not set (typed `never`, which the generator leaves out): refused with why.
    if (def === all.MagePipeline || def === all.MagePipelineInputs || def === all.MagePipelineValues)
      for (const key of ["executorConfig", "executorCount", "notificationConfig"])
        props[key] = {
          not: {},
          "x-message":
            "is not managed: Mage 0.9.80's API never writes it (it lives only in the pipeline's metadata.yaml)",
        };
    if (def === all.IonworksBlock) def.allOf = ionworksBlockRules(ionworks, true);
    if (def === all.IonworksBlockInputs) def.allOf = ionworksBlockRules(ionworks, false);
    if (props?.programConfig)
      props.programConfig = {
        description: props.programConfig.description,
        $ref: "#/definitions/FelderaApiProgramConfig",
      };
  }
  const doc = {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "pulumi-pipelines declarations",
    ...body,
    definitions: sortKeys({ ...all, ...felderaConfigDefinitions(), ...ionworksDefinitions(ionworks) }),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** A Feldera tag, as validate_tags in its pipeline manager (db/types/utils.rs) accepts it (empty: minLength). */
const FELDERA_TAG = {
  type: "string",
  minLength: 1,
  maxLength: 50,
  pattern: "^[a-zA-Z0-9 ._/|\\\\:=-]*$",
  "x-pattern-message":
    "may contain only ASCII letters (a-z, A-Z), numbers (0-9), or one of space, '.', '_', '/', '|', '\\', ':', '=' and '-'",
};

/**
 * RuntimeConfig and ProgramConfig from Feldera's OpenAPI document, and what
 * they reference, as draft-07 definitions named FelderaApi<Name>. Unknown keys
 * stay allowed (a newer server may know them; the provider refuses a key the
 * server drops when it applies). The two fields feldera-types deserializes by
 * hand accept more than the document says: `storage` also a boolean,
 * `fault_tolerance` also null or "initial_state"/"latest_checkpoint"
 * (config.rs: deserialize_storage_options, deserialize_fault_tolerance).
 */
export function felderaConfigDefinitions(): Record<string, unknown> {
  const openapi = JSON.parse(fs.readFileSync(path.join(ROOT, "test", "fixtures", "feldera", "openapi.json"), "utf8"));
  const schemas: Record<string, SchemaNode> = openapi.components.schemas;
  const version = openapi["x-derived-from"]?.version;
  const out: Record<string, unknown> = {};
  const visit = (name: string) => {
    if (`FelderaApi${name}` in out) return;
    out[`FelderaApi${name}`] = {};
    out[`FelderaApi${name}`] = convert(schemas[name], visit, schemas);
  };
  visit("RuntimeConfig");
  visit("ProgramConfig");
  const runtime = out.FelderaApiRuntimeConfig as { properties: Record<string, unknown>; description?: string };
  runtime.properties.storage = {
    anyOf: [{ type: "boolean" }, { type: "null" }, { $ref: "#/definitions/FelderaApiStorageOptions" }],
  };
  runtime.properties.fault_tolerance = {
    anyOf: [
      { type: "null" },
      { enum: ["initial_state", "latest_checkpoint"] },
      { $ref: "#/definitions/FelderaApiFtConfig" },
    ],
  };
  runtime.description = `Feldera runtime_config (types from Feldera ${version}'s OpenAPI); only the keys given are managed.`;
  (out.FelderaApiProgramConfig as { description?: string }).description =
    `Feldera program_config (types from Feldera ${version}'s OpenAPI); only the keys given are managed.`;
  return out;
}

/**
 * OpenAPI 3.0 → draft-07: nullable as a null alternative, refs renamed,
 * formats and OpenAPI-only keywords dropped. A reference to a string enum is
 * written in place (with null when nullable), so a wrong value gets one
 * message listing the values rather than three about the alternatives.
 */
function convert(node: SchemaNode, visit: (name: string) => void, schemas: Record<string, SchemaNode>): SchemaNode {
  const recurse = (n: unknown) => convert(n, visit, schemas);
  if (Array.isArray(node)) return node.map(recurse);
  if (!node || typeof node !== "object") return node;
  const { nullable, format: _f, discriminator: _d, deprecated: _x, default: _default, ...rest } = node;
  const only = Array.isArray(rest.allOf) && rest.allOf.length === 1 && Object.keys(rest).length === 1 && rest.allOf[0];
  const target = only?.$ref && schemas[String(only.$ref).split("/").pop()!];
  if (target && Array.isArray(target.enum) && !target.oneOf)
    return { enum: nullable === true ? [...target.enum, null] : [...target.enum] };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rest)) {
    if (k === "$ref" && typeof v === "string") {
      const name = v.split("/").pop()!;
      visit(name);
      out.$ref = `#/definitions/FelderaApi${name}`;
    } else out[k] = k === "properties" ? mapValues(v as object, recurse) : recurse(v);
  }
  if (nullable !== true) return out;
  if (typeof out.type === "string") return { ...out, type: [out.type, "null"] };
  return Object.keys(out).length ? { anyOf: [out, { type: "null" }] } : out;
}

/** A JSON Schema or OpenAPI node: arbitrary JSON, walked generically. */
// biome-ignore lint/suspicious/noExplicitAny: schema documents are untyped JSON
type SchemaNode = any;

function mapValues(o: object, f: (v: unknown) => unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));
}

function sortKeys<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b))) as T;
}

if (require.main === module) {
  fs.mkdirSync(path.dirname(SCHEMA_FILE), { recursive: true });
  fs.writeFileSync(SCHEMA_FILE, generatePipelinesSchema());
  process.stdout.write(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}\n`);
}
