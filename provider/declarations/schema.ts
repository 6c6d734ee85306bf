// Validates a parsed file against the generated JSON Schema and says what is
// wrong in words a pipeline author uses, at the line of the offending field.
// Each pipeline is checked against its own engine's definition (chosen by
// `engine`), so one typo yields one error, not one per union branch.
import { createHash } from "node:crypto";
import type { default as Ajv, ErrorObject, ValidateFunction } from "ajv";
import schema from "../../schemas/pipelines.schema.json";
import { type DeclarationError, didYouMean, formatPath, type PathPart } from "./errors";
import {
  DECLARATION_SECRET_PLACES,
  isSecretRef,
  maskSecrets,
  SECRET_DECLARATION_PLACES,
  secretProblems,
} from "./secrets";
import { positionOf, type Source } from "./source";
import { ENGINES, type Engine, RESOURCE_INPUTS, type ResourceInputsName } from "./types";

const DEFINITION: Record<Engine, string> = {
  mage: "MagePipeline",
  feldera: "FelderaPipeline",
  ionworks: "IonworksPipeline",
};

/** The validators' options: scripts/validators.ts compiles with the same ones at build time. */
export const AJV_OPTIONS = { allErrors: true, verbose: true, strict: false } as const;
/** The definitions compiled at build time: each engine's declaration and each resource's inputs. */
export const PREBUILT_DEFINITIONS = [...Object.values(DEFINITION), ...RESOURCE_INPUTS];

/** Identifies the schema a prebuilt validator was compiled from. */
export function schemaStamp(): string {
  return createHash("sha256").update(JSON.stringify(schema)).digest("hex").slice(0, 16);
}

let ajv: Ajv | undefined;
let prebuilt: Record<string, ValidateFunction> | null | undefined;

/**
 * Validators compiled at build time (dist/schemas/validators.js): compiling
 * them here costs every program and provider process ~0.5 s of CPU. Not
 * there (running from source) or from another schema: undefined.
 */
function prebuiltValidators(): Record<string, ValidateFunction> | undefined {
  if (prebuilt === undefined) {
    try {
      const mod = require("../../schemas/validators.js");
      prebuilt = mod.__schemaStamp === schemaStamp() ? mod : null;
    } catch {
      prebuilt = null;
    }
  }
  return prebuilt ?? undefined;
}

/** The validator of one definition of the generated schema (compiled once per process unless prebuilt). */
function definition(name: string): ValidateFunction {
  const ready = prebuiltValidators()?.[name];
  if (ready) return ready;
  if (!ajv) {
    // Loaded only here: with the prebuilt validators a process never needs Ajv itself (a tenth of `compile`'s run).
    const { default: AjvClass } = require("ajv") as typeof import("ajv");
    ajv = new AjvClass(AJV_OPTIONS);
    ajv.addSchema(schema, "pipelines");
  }
  const validate = ajv.getSchema(`pipelines#/definitions/${name}`);
  if (!validate) throw new Error(`the generated schema has no definition ${name} (run npm run schemas)`);
  return validate;
}

function engineValidators(): Record<Engine, ValidateFunction> {
  return Object.fromEntries(ENGINES.map((e) => [e, definition(DEFINITION[e])])) as Record<Engine, ValidateFunction>;
}

/**
 * What is wrong with one resource's inputs, checked against the same
 * generated schema and worded as the YAML loader words it. `skip` leaves out
 * places whose value is not known yet (a preview's unknowns).
 */
export function inputProblems(
  name: ResourceInputsName,
  inputs: Record<string, unknown>,
  skip: (value: unknown) => boolean = () => false,
): { path: PathPart[]; message: string }[] {
  const validate = definition(name);
  if (validate(inputs)) return [];
  const problems: { path: PathPart[]; message: string }[] = [];
  for (const e of reported(validate.errors)) {
    const at = pointer(e.instancePath);
    if (at.some((_, i) => skip(valueAt(inputs, at.slice(0, i + 1))))) continue;
    const { path, message } = translate(e, []);
    if (!problems.some((p) => formatPath(p.path) === formatPath(path) && p.message === message)) {
      problems.push({ path, message });
    }
  }
  return problems;
}

function valueAt(root: unknown, path: PathPart[]): unknown {
  let cur = root;
  for (const part of path) cur = cur && typeof cur === "object" ? (cur as Record<string, unknown>)[part] : undefined;
  return cur;
}

export function validateSchema(source: Source): DeclarationError[] {
  const errors: DeclarationError[] = [];
  const at = (path: PathPart[], message: string, key = false) =>
    errors.push({ file: source.file, ...positionOf(source, path, { key }), path: formatPath(path), message });
  const data = source.data;

  if (!isObject(data)) {
    at([], `expected a mapping with a 'pipelines' list, got ${describe(data)}`);
    return errors;
  }
  for (const key of Object.keys(data))
    if (!TOP_KEYS.includes(key)) at([key], `unknown key '${key}'${didYouMean(key, TOP_KEYS)}`, true);
  if ("secrets" in data) validateSecrets(data.secrets, at);
  if (!("pipelines" in data)) {
    if (!("secrets" in data)) at([], "missing required key 'pipelines'");
  } else if (!Array.isArray(data.pipelines))
    at(["pipelines"], `must be a list of pipelines, got ${describe(data.pipelines)}`);
  else {
    for (const [i, p] of (data.pipelines as unknown[]).entries()) {
      const base: PathPart[] = ["pipelines", i];
      if (!isObject(p)) at(base, `each pipeline must be a mapping, got ${describe(p)}`);
      else if (p.engine === undefined) at(base, `missing required key 'engine' (one of ${ENGINES.join(", ")})`);
      else if (!(ENGINES as readonly unknown[]).includes(p.engine)) {
        const hint = didYouMean(String(p.engine), ENGINES);
        at([...base, "engine"], `unknown engine '${String(p.engine)}'; expected one of ${ENGINES.join(", ")}${hint}`);
      } else {
        const misplaced = secretProblems(p, DECLARATION_SECRET_PLACES[p.engine as Engine]);
        for (const problem of misplaced) at([...base, ...problem.path], problem.message);
        // A reference stands for a string: the schema sees one in its place (one message per misplaced one).
        const said = misplaced.map((m) => formatPath([...base, ...m.path]));
        const validate = engineValidators()[p.engine as Engine];
        if (!validate(maskSecrets(p))) {
          for (const e of reported(validate.errors)) {
            const { path, message, key } = translate(e, base);
            if (!said.some((s) => formatPath(path).startsWith(s))) at(path, message, key);
          }
        }
      }
    }
  }
  return errors;
}

const TOP_KEYS = ["pipelines", "secrets"];

/** `secrets:` entries: Mage secrets whose value is a reference, never the value itself. */
function validateSecrets(secrets: unknown, at: (path: PathPart[], message: string, key?: boolean) => void): void {
  if (!Array.isArray(secrets)) {
    at(["secrets"], `must be a list of secrets, got ${describe(secrets)}`);
    return;
  }
  const validate = definition("MageSecret");
  for (const [i, s] of secrets.entries()) {
    const base: PathPart[] = ["secrets", i];
    if (isObject(s) && s.value !== undefined && !isSecretRef(s.value)) {
      at([...base, "value"], "must be a secret reference ({ secret: NAME }), so the value itself never sits in a file");
      continue;
    }
    for (const problem of secretProblems(s, SECRET_DECLARATION_PLACES)) at([...base, ...problem.path], problem.message);
    if (!validate(s))
      for (const e of reported(validate.errors)) {
        const { path, message, key } = translate(e, base);
        at(path, message, key);
      }
  }
}

/** The errors worth a message: an `if` error only says that its `then` failed, which is reported itself. */
function reported(errors: ErrorObject[] | null | undefined): ErrorObject[] {
  // Where a secret reference is one of the alternatives, the others say what is wrong (a reference is
  // masked before validation, so this branch only ever fails for values that are not one).
  return (errors ?? []).filter(
    (e) => e.keyword !== "if" && !e.schemaPath.includes("/SecretRef/") && !isSecretRefAlternative(e),
  );
}

function isSecretRefAlternative(e: ErrorObject): boolean {
  return e.keyword === "anyOf" && JSON.stringify(e.schema ?? "").includes("#/definitions/SecretRef");
}

/** Where an ajv error is and what to tell the user about it. */
function translate(e: ErrorObject, base: PathPart[]): { path: PathPart[]; message: string; key?: boolean } {
  const path = [...base, ...pointer(e.instancePath)];
  // Ajv's params per keyword (its *Params types), read as the keyword at hand has them.
  const p = e.params as {
    additionalProperty: string;
    missingProperty: string;
    type: string | string[];
    allowedValues: unknown[];
    allowedValue: unknown;
    limit: number;
  };
  switch (e.keyword) {
    case "additionalProperties": {
      const known = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const message = `unknown key '${p.additionalProperty}'${didYouMean(p.additionalProperty, known)}`;
      return { path: [...path, p.additionalProperty], message, key: true };
    }
    case "required":
      return { path, message: `missing required key '${p.missingProperty}'` };
    case "type":
      return { path, message: `must be ${orList([p.type].flat().map(article))}, got ${describe(e.data)}` };
    case "enum": {
      const words = p.allowedValues.filter((v): v is string => typeof v === "string");
      const hint = typeof e.data === "string" ? didYouMean(e.data, words) : "";
      const values = p.allowedValues.map((v) => (typeof v === "string" ? v : JSON.stringify(v)));
      return { path, message: `must be one of ${values.join(", ")}; got ${JSON.stringify(e.data)}${hint}` };
    }
    case "const":
      return { path, message: `must be ${JSON.stringify(p.allowedValue)}` };
    case "minLength":
      return { path, message: "must not be empty" };
    case "pattern": {
      const own = (e.parentSchema as { "x-pattern-message"?: string } | undefined)?.["x-pattern-message"];
      return {
        path,
        message: own
          ? `${JSON.stringify(e.data)}: ${own}`
          : `${JSON.stringify(e.data)} is not a valid name (letters, digits, '_', '.', '-'; starting with a letter or digit)`,
      };
    }
    case "maxLength":
      return { path, message: `must be at most ${p.limit} characters, got ${[...String(e.data)].length}` };
    case "maxItems":
      return { path, message: `must have at most ${p.limit} entries, got ${(e.data as unknown[]).length}` };
    case "minItems":
      return { path, message: p.limit === 1 ? "needs at least one entry" : `needs at least ${p.limit} entries` };
    case "minimum":
      return { path, message: `must be at least ${p.limit}, got ${JSON.stringify(e.data)}` };
    case "minProperties":
      return { path, message: p.limit === 1 ? "needs at least one key" : `needs at least ${p.limit} keys` };
    case "not":
      // A rule an engine states in code, carried with the engine's words (see scripts/ionworks-schema.ts).
      return { path, message: (e.parentSchema as { "x-message"?: string } | undefined)?.["x-message"] ?? "is invalid" };
    default:
      return { path, message: e.message ?? "is invalid" };
  }
}

function pointer(instancePath: string): PathPart[] {
  if (!instancePath) return [];
  return instancePath
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function orList(items: string[]): string {
  return items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

function article(type: string): string {
  const words: Record<string, string> = {
    object: "a mapping",
    array: "a list",
    string: "a string",
    number: "a number",
    integer: "a whole number",
    boolean: "a boolean",
    null: "null",
  };
  return words[type] ?? type;
}

export function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  if (typeof v === "string") return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return `${typeof v === "number" ? "the number" : typeof v === "boolean" ? "the boolean" : typeof v} ${String(v)}`;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
