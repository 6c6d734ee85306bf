// What a resource kind is, in one descriptor per kind (resources/<engine>/<kind>.ts): its fields and which replace,
// where secrets may appear, its outputs, the files its inputs are read from, its import id and its CRUD through the
// backend. Every path derives from it: the resource class (resourceClass.ts), the dynamic provider
// (kindProvider.ts) and the plugin (plugin/) through kindCalls.ts, the YAML program's mapping
// (program/declaredResources.ts), the review, the reference pages and the Pulumi package schema (scripts/).
// The fields themselves, with their types, defaults and descriptions, are the declaration types
// (declarations/types.ts → schemas/pipelines.schema.json): `inputs` names the kind's definition there.
// No Pulumi import here: the plugin and the providers load descriptors without the SDK.
import schema from "../../schemas/pipelines.schema.json";
import { readDeclaredFile } from "../declarations/files";
import type { RuledKind } from "../declarations/rules";
import type { SecretPlaces } from "../declarations/secrets";
import type { ResourceInputsName } from "../declarations/types";
import type { TargetSource } from "./config";
import type { CheckFailure } from "./validate";

export type Engine = "mage" | "feldera" | "ionworks";

/**
 * What an update does to a live object that a guardrail may forbid (policy/rules.ts): `stops` a running pipeline,
 * `clears-storage` loses a pipeline's state.
 */
export type UpdateEffect = "stops" | "clears-storage";

/** A kind's plan for one change: the preview's text, and its effects as data. */
export interface KindPlan {
  text: string;
  effects: UpdateEffect[];
}

/** An output beyond the inputs (every input is also an output): its TypeScript type, as the docs show it. */
export interface OutputField {
  type: "string" | "number" | "string[]" | "Record<string, string>" | "Record<string, unknown>";
  doc: string;
}

/**
 * A file a program names instead of writing its content inline: the class and the plugin read `file` (relative to
 * the Pulumi project) into `into`; the YAML program re-bases `file` from the YAML file to the project. With `at`,
 * the field is in each entry of that list (named by the entry's `name`).
 */
export interface FileField {
  file: string;
  into: string;
  at?: string;
  /** The input that keeps the path once read (state shows where the content came from); none: the path is dropped. */
  keepAs?: string;
  /** Whether one of the two must be given (else neither is allowed, e.g. a block with no code). */
  required?: boolean;
}

/**
 * How a review shows a field that is more than a value: `text`, a unified diff of code in `language` (or in the
 * language another field names); `entries`, a list whose entries are matched by name and each shown as a diff of
 * `text(entry)`, with a change of their order said apart.
 */
export type FieldDisplay =
  | { as: "text"; language: string | { field: string; default: string } }
  | { as: "entries"; what: string; language: string; text(entry: Record<string, unknown>): unknown };

export interface Kind<Spec extends object = object> {
  engine: Engine;
  /** The class name, as TypeScript users write it after the engine (`mage.Block`). */
  name: string;
  /** The declaration type its inputs are checked against (schemas/pipelines.schema.json), worded as YAML's. */
  inputs: ResourceInputsName;
  /** Outputs beyond the inputs, filled by the server or the provider. */
  outputs: Readonly<Record<string, OutputField>>;
  /** Outputs that are always secret, whatever the inputs (the plugin marks them so; the classes pass them to the engine). */
  secretOutputs?: readonly string[];
  /** Fields a review shows as diffs rather than values (every other field shows before and after). */
  display?: Readonly<Record<string, FieldDisplay>>;
  /** Inputs a program may give as a file instead of the content. */
  files?: readonly FileField[];
  /**
   * For the reference page: what it is on the server, where YAML declares it, and the id `pulumi import` takes
   * (or why it cannot be imported).
   */
  doc: { page: string; summary: string; yaml: string; importId: string };
  /** Spec keys whose change creates a new object on the server (a unit test holds them to the spec's keys). */
  replaceKeys: readonly string[];
  /**
   * The object's identity on the server (e.g. Mage's pipeline/block uuid). A
   * replacement with the same identity must delete the old object first; one
   * with a new identity is created first and the old one deleted after its
   * dependents moved over, so a rename with dependents converges in one `up`.
   * Without it, a replacement always deletes first; with `false`, never.
   */
  identity?: { keys: readonly string[]; of(spec: Record<string, unknown>): string } | false;
  /** Inputs carried into state and back into refreshed inputs, but never diffed (every other input is). */
  passthrough?: readonly string[];
  /** Where inputs may reference secrets (none elsewhere); the backend sees the values, state the references. */
  secrets?: SecretPlaces;
  /**
   * Spec keys added after states were first written, with the value that means
   * unset: a state without one reads as unset, so an upgrade shows no change.
   */
  addedKeys?: Readonly<Record<string, unknown>>;
  /** Its rules of one declaration (declarations/rules.ts), the YAML check's own. */
  rules?: RuledKind;
  /** Check the inputs as written, references included (a secret's value is nothing but one), not as what they stand for. */
  checkAsWritten?: boolean;
  /** What the target server refuses that the inputs use (an older Mage's missing features): asked only once the rest passes. */
  serverFailures?(
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
    targets: TargetSource,
  ): Promise<CheckFailure[]>;
  /** Anything else check() must refuse; `news` with secret references as strings, `raw` as given. */
  validate?(news: Record<string, unknown>, raw: Record<string, unknown>): CheckFailure[];
  /**
   * What an update (or, without old inputs, a create) will do on the server,
   * added by check() as the `updatePlan` input so the preview shows it, and its
   * effects as the `updateEffects` input so a policy can see them. The engine
   * checks a replacement again with no old inputs.
   */
  plan?(olds: Record<string, unknown> | undefined, news: Record<string, unknown>): KindPlan | undefined;
  /**
   * The spec from inputs check() validated against the kind's schema definition (so a descriptor may read them as
   * its backend's input type), with defaults filled in; references stand where secrets go.
   */
  normalize(news: Record<string, unknown>): Spec;
  /**
   * The spec as diff compares it, where two spellings mean the same to the
   * server (e.g. SQL that differs only in trailing newlines). State keeps the
   * spec as declared. Unknown values (preview) may appear anywhere in it.
   */
  comparable?(spec: Record<string, unknown>): Record<string, unknown>;
  create(
    spec: Spec,
    inputs: Record<string, unknown>,
    targets: TargetSource,
  ): Promise<{ id: string; extra?: Record<string, unknown> }>;
  /** Undefined when the object is gone. */
  read(
    id: string,
    state: Record<string, unknown>,
    targets: TargetSource,
  ): Promise<{ spec: Spec; extra?: Record<string, unknown> } | undefined>;
  /** Resolves with outputs beyond the spec that changed, if any. */
  update(
    id: string,
    old: Spec,
    next: Spec,
    state: Record<string, unknown>,
    targets: TargetSource,
  ): Promise<Record<string, unknown> | undefined>;
  delete(id: string, state: Record<string, unknown>, targets: TargetSource): Promise<void>;
}

/** Why `pulumi import` cannot take the kind (its `doc.importId` reads "none: <why>"), or undefined if it can. */
export const importRefusal = (kind: Pick<Kind, "doc">): string | undefined =>
  kind.doc.importId.startsWith("none: ") ? kind.doc.importId.slice("none: ".length) : undefined;

/** A kind as `<engine>:<Name>`, the program's, review's and plugin's key. */
export const typeOf = (kind: Pick<Kind, "engine" | "name">): `${Engine}:${string}` => `${kind.engine}:${kind.name}`;

interface SchemaProperty {
  not?: unknown;
}
const definitions = (
  schema as unknown as { definitions: Record<string, { properties: Record<string, SchemaProperty> }> }
).definitions;

/**
 * The kind's inputs, as its definition in the generated schema lists them; fields the schema refuses with a reason
 * (`not`: never managed) are none of them.
 */
export function inputFields(kind: Pick<Kind, "inputs">): string[] {
  return Object.entries(definitions[kind.inputs].properties)
    .filter(([, p]) => !p.not)
    .map(([name]) => name);
}

/**
 * The fields diff compares and state keeps as the spec: every input but those carried through; the ones that
 * replace first, in the kind's order, so a diff names them in that order.
 */
export function specKeys(kind: Pick<Kind, "inputs" | "passthrough" | "replaceKeys">): string[] {
  const through = new Set(kind.passthrough ?? []);
  const fields = inputFields(kind).filter((k) => !through.has(k));
  return [...new Set([...kind.replaceKeys.filter((k) => fields.includes(k)), ...fields])];
}

/** Every property a resource of the kind registers, so each is an Output: its inputs and its own outputs. */
export const registeredFields = (kind: Pick<Kind, "inputs" | "outputs">): string[] => [
  ...inputFields(kind),
  ...Object.keys(kind.outputs),
];

/** What a program passes: the inputs, and the file fields read into them (`codeFile`, `udfRustFile`, …). */
export function argFields(kind: Pick<Kind, "inputs" | "files">): string[] {
  const top = (kind.files ?? []).filter((f) => !f.at).map((f) => f.file);
  return [...new Set([...inputFields(kind), ...top])];
}

/** The module the provider text loads at call time (a stable path: state refers to it). */
export const providerModule = (kind: Pick<Kind, "engine" | "name">): string =>
  `pulumi-pipelines/runtime/${kind.engine}/${kind.name[0].toLowerCase()}${kind.name.slice(1)}Provider`;

/**
 * The `__provider` text a dynamic resource stores (resources/dynamicResource.ts): it loads the implementation at
 * `moduleId` as the dynamic-provider host loads it.
 */
export function providerSource(moduleId: string): string {
  return `exports.handler = () => require("node:module").createRequire(process.cwd() + "/")(${JSON.stringify(moduleId)}).provider;\n`;
}

/** A file field given with its content, or not at all where one is required; `field` names the file field. */
export class FileFieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * `args` with each file field the kind has read into its content (`codeFile` → `code`), relative to `root` (the
 * Pulumi project); the path is kept where the kind keeps it. `who` names the resource in errors. The classes and
 * the plugin both read files with it.
 */
export function readFiles(
  kind: Pick<Kind, "files">,
  args: Record<string, unknown>,
  root: string,
  who: string,
): Record<string, unknown> {
  let out = args;
  for (const f of kind.files ?? []) {
    if (!f.at) {
      out = readFile(f, out, root, who, `set ${f.into} or ${f.file}, not both`);
      continue;
    }
    const list = out[f.at];
    if (!Array.isArray(list)) continue;
    out = {
      ...out,
      [f.at]: list.map((entry: Record<string, unknown>) =>
        readFile(
          f,
          entry,
          root,
          `${who}: ${singular(f.at!)} '${entry.name}'`,
          `needs exactly one of ${f.into} and ${f.file}`,
        ),
      ),
    };
  }
  return out;
}

function readFile(
  f: FileField,
  args: Record<string, unknown>,
  root: string,
  who: string,
  both: string,
): Record<string, unknown> {
  const path = args[f.file];
  const { [f.file]: _path, ...rest } = args;
  if (path !== undefined && args[f.into] !== undefined) throw new FileFieldError(f.file, `${who}: ${both}`);
  if (path === undefined) {
    if (f.required && args[f.into] === undefined) throw new FileFieldError(f.file, `${who}: ${both}`);
    return f.keepAs === f.file ? { ...rest, [f.file]: undefined } : rest;
  }
  let content: string;
  try {
    content = readDeclaredFile(root, String(path), f.at ? who : `${who}: ${f.file}`);
  } catch (e) {
    throw new FileFieldError(f.file, (e as Error).message);
  }
  return { ...rest, [f.into]: content, ...(f.keepAs ? { [f.keepAs]: path } : {}) };
}

const singular = (list: string) => list.replace(/s$/, "");
