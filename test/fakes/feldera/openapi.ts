// Checks every response the Feldera emulator sends against Feldera's own
// OpenAPI document, as kept in test/fixtures/feldera/openapi.json (derived
// from the upstream document by scripts/feldera-openapi.ts; the version it
// came from is in its `x-derived-from`).
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv, { type ValidateFunction } from "ajv";

export const FELDERA_OPENAPI = path.resolve(__dirname, "..", "..", "fixtures", "feldera", "openapi.json");

type Spec = {
  "x-derived-from": { version: string };
  paths: Record<string, Record<string, any>>;
  components: { schemas: Record<string, any> };
};

/** The fixture as parsed: its paths, schemas and the Feldera version it was derived from. */
export function felderaOpenApi(): Spec {
  return JSON.parse(fs.readFileSync(FELDERA_OPENAPI, "utf8"));
}

export class FelderaResponseValidator {
  private readonly spec: Spec;
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  private readonly cache = new Map<string, ValidateFunction>();

  constructor() {
    this.spec = felderaOpenApi();
    this.ajv.addSchema({ components: openApi30ToJsonSchema(this.spec.components) }, "feldera");
  }

  /** Undefined when the response is one the spec allows, else what is wrong. */
  check(method: string, route: string, status: number, body: unknown): string | undefined {
    const op = this.spec.paths[route]?.[method.toLowerCase()];
    if (!op) return `${method} ${route} is not in the OpenAPI document`;
    const response = op.responses?.[String(status)];
    if (!response)
      return `${method} ${route} → ${status} is not a documented status (documented: ${Object.keys(op.responses ?? {}).join(", ")})`;
    const schema = response.content?.["application/json"]?.schema;
    if (!schema) return undefined; // documented without a body schema (e.g. 202 actions)
    const key = `${method} ${route} ${status}`;
    let validate = this.cache.get(key);
    if (!validate) {
      validate = this.ajv.compile(rebase(openApi30ToJsonSchema(schema)));
      this.cache.set(key, validate);
    }
    if (validate(body)) return undefined;
    return `${key}: ${this.ajv.errorsText(validate.errors, { dataVar: "body" })}`;
  }
}

/** A request value against one of the document's component schemas: the first problem, with its path, or undefined. */
export function checkComponent(name: string, value: unknown): { path: string; message: string } | undefined {
  const validate = componentValidator(name);
  if (validate(value)) return undefined;
  const e = validate.errors![0];
  return { path: e.instancePath.split("/").filter(Boolean).join("."), message: e.message ?? "is invalid" };
}

const componentAjv = new Ajv({ strict: false, allErrors: false, validateFormats: false });
const components = new Map<string, ValidateFunction>();
function componentValidator(name: string): ValidateFunction {
  let v = components.get(name);
  if (!v) {
    if (!componentAjv.getSchema("feldera")) {
      componentAjv.addSchema({ components: openApi30ToJsonSchema(felderaOpenApi().components) }, "feldera");
    }
    v = componentAjv.compile({ $ref: `feldera#/components/schemas/${name}` });
    components.set(name, v);
  }
  return v;
}

/** OpenAPI 3.0 `nullable: true` → JSON Schema `anyOf: [schema, null]`, at every depth. */
function openApi30ToJsonSchema<T>(node: T): T {
  if (Array.isArray(node)) return node.map(openApi30ToJsonSchema) as T;
  if (!node || typeof node !== "object") return node;
  const { nullable, ...rest } = node as Record<string, unknown>;
  const converted = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, openApi30ToJsonSchema(v)]));
  return (nullable === true ? { anyOf: [converted, { type: "null" }] } : converted) as T;
}

/** Local refs (#/components/…) point into the schema registered as "feldera". */
function rebase<T>(node: T): T {
  if (Array.isArray(node)) return node.map(rebase) as T;
  if (!node || typeof node !== "object") return node;
  return Object.fromEntries(
    Object.entries(node).map(([k, v]) => [
      k,
      k === "$ref" && typeof v === "string" && v.startsWith("#/") ? `feldera${v}` : rebase(v),
    ]),
  ) as T;
}
