// Secrets, all of it in one module: how a declaration names a credential a
// pipeline uses without holding it, and every step between that reference and
// the one request that carries the value.
// - References: a value written `{ secret: NAME }`, or `${secret:NAME}` inside
//   SQL or UDF text, stands for the secret NAME; declarations, state, reviews
//   and exports keep the reference. Where each kind takes them (places), masks
//   for schema checks, substitution, and mapping a server's values back.
// - Resolution: stack config `pipelines:secrets.<NAME>` (set with --secret),
//   else the environment variable NAME; and export's resolution of the names a
//   stack's state references.
// - Digests: what state keeps (a salted scrypt) so a new value is a change,
//   and which secrets a change rotated.
// - The engine's wrapper: how a secret travels over the provider protocol.
// The classes, the provider, the plugin, the YAML program and export call these.
import { scryptSync } from "node:crypto";
import { readJson, type TargetSource } from "./configSource";
import type { PathPart } from "./errors";

/** What a declaration writes where a credential goes. */
export interface SecretRef {
  secret: string;
  /**
   * Set by refresh when the server holds another value than the secret's:
   * the state says so without keeping what the server holds.
   */
  drift?: true;
}

export const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Inside text. Feldera's own `${secret:kubernetes:…}` references have a ':' and are left alone. */
const PLACEHOLDER = /\$\{secret:([A-Za-z_][A-Za-z0-9_]*)\}/g;
/** What schema checks see in place of a reference: a string, as the value it stands for is. */
const STAND_IN = "secret-reference";

export const placeholder = (name: string) => `\${secret:${name}}`;

/** A mapping whose one key is `secret` (refresh may add `drift`). */
export function isSecretRef(value: unknown): value is SecretRef {
  if (!value || typeof value !== "object" || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return "secret" in value && keys.every((k) => k === "secret" || k === "drift");
}

export interface SecretUse {
  path: PathPart[];
  name: string;
  /** A `${secret:NAME}` inside a string, rather than a whole value. */
  inText: boolean;
}

/** Every reference in `value`, with where it is. */
export function secretUses(value: unknown, path: PathPart[] = []): SecretUse[] {
  if (isSecretRef(value)) return [{ path, name: String(value.secret), inText: false }];
  if (typeof value === "string")
    return [...value.matchAll(PLACEHOLDER)].map((m) => ({ path, name: m[1], inText: true }));
  if (Array.isArray(value)) return value.flatMap((v, i) => secretUses(v, [...path, i]));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => secretUses(v, [...path, k]));
  return [];
}

export function secretNames(value: unknown): string[] {
  return [...new Set(secretUses(value).map((u) => u.name))].sort();
}

/**
 * Where a resource kind takes references: paths of whole values (`*` any key
 * or index, `**` anything below) and of strings that may hold placeholders.
 */
export interface SecretPlaces {
  values: readonly (readonly string[])[];
  text: readonly (readonly string[])[];
}

/** Where each resource kind takes references (its descriptor's `secrets`); none elsewhere. */
export const KIND_SECRET_PLACES = {
  "mage:Pipeline": { values: [["variables", "*"]], text: [] },
  // Code reads Mage's own secrets (get_secret_value, see mage.Secret); configuration may hold references.
  "mage:Block": { values: [["configuration", "**"]], text: [] },
  "mage:Schedule": { values: [["variables", "*"]], text: [] },
  "mage:Secret": { values: [["value"]], text: [] },
  // Connector credentials live in the SQL (WITH connectors) and in the process environment.
  "feldera:Pipeline": {
    values: [["runtimeConfig", "env", "*"]],
    text: [["blocks", "*", "sql"], ["udfRust"], ["udfToml"]],
  },
  "ionworks:Pipeline": { values: [["blocks", "*", "config", "**"]], text: [] },
} as const satisfies Record<string, SecretPlaces>;

/** The places of an entry, and the same under its values per stack (`environments.<stack>`). */
const perStack = (places: SecretPlaces): SecretPlaces => ({
  values: [...places.values, ...places.values.map((p) => ["environments", "*", ...p])],
  text: [...places.text, ...places.text.map((p) => ["environments", "*", ...p])],
});

/** The places of a kind declared inside a pipeline's list (`blocks`, `schedules`), as the pipeline's. */
const within = (list: string, places: SecretPlaces): SecretPlaces => ({
  values: places.values.map((p) => [list, "*", ...p]),
  text: places.text.map((p) => [list, "*", ...p]),
});

const joined = (...all: SecretPlaces[]): SecretPlaces => ({
  values: all.flatMap((p) => p.values),
  text: all.flatMap((p) => p.text),
});

/** Where an entry of a file's `secrets:` takes its reference. */
export const SECRET_DECLARATION_PLACES: SecretPlaces = perStack(KIND_SECRET_PLACES["mage:Secret"]);

/** Where a YAML pipeline declaration takes references, by engine: its kinds' places, where YAML nests them. */
export const DECLARATION_SECRET_PLACES: Record<"mage" | "feldera" | "ionworks", SecretPlaces> = {
  mage: joined(
    perStack(KIND_SECRET_PLACES["mage:Pipeline"]),
    within("blocks", perStack(KIND_SECRET_PLACES["mage:Block"])),
    within("schedules", perStack(KIND_SECRET_PLACES["mage:Schedule"])),
  ),
  feldera: perStack(KIND_SECRET_PLACES["feldera:Pipeline"]),
  ionworks: perStack(KIND_SECRET_PLACES["ionworks:Pipeline"]),
};

/** Whether `path` is one of the places a pattern names (`*` any key or index, `**` anything below). */
export function inPlace(patterns: readonly (readonly string[])[], path: PathPart[]): boolean {
  return patterns.some((p) => matches(p, path));
}

function matches(pattern: readonly string[], path: PathPart[]): boolean {
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] === "**") return path.length > i;
    if (i >= path.length || (pattern[i] !== "*" && pattern[i] !== String(path[i]))) return false;
  }
  return path.length === pattern.length;
}

/** A reference that is malformed or where the engine would not get its value. */
export function secretProblems(value: unknown, places: SecretPlaces): { path: PathPart[]; message: string }[] {
  const problems: { path: PathPart[]; message: string }[] = [];
  for (const use of secretUses(value)) {
    if (!use.inText && !SECRET_NAME.test(use.name))
      problems.push({
        path: [...use.path, "secret"],
        message: `a secret name is letters, digits and '_', not starting with a digit; got ${JSON.stringify(use.name)}`,
      });
    else if (!inPlace(use.inText ? places.text : places.values, use.path))
      problems.push({
        path: use.path,
        message: use.inText
          ? `\${secret:${use.name}} is not allowed in this text: secrets go into ${describePlaces(places)}`
          : `a secret reference is not allowed here: secrets go into ${describePlaces(places)}`,
      });
  }
  return problems;
}

function describePlaces(places: SecretPlaces): string {
  // A place under an entry's values per stack is the same field: said once.
  const show = (p: readonly string[]) => p.filter((s) => s !== "*" && s !== "**" && s !== "environments").join(".");
  const all = [...places.values.map(show), ...places.text.map((p) => `${show(p)} (as \${secret:NAME})`)];
  return all.length ? [...new Set(all)].join(", ") : "other resources (none here)";
}

/** The value with each reference replaced by a string, for schema checks. */
export function maskSecrets(value: unknown): unknown {
  return mapSecrets(
    value,
    () => STAND_IN,
    (text) => text,
  );
}

/** Each reference replaced by its secret's value, as `lookup` gives it (a whole-value reference is passed too). */
export function substituteSecrets(value: unknown, lookup: (name: string, ref?: SecretRef) => string): unknown {
  return mapSecrets(
    value,
    (ref) => lookup(ref.secret, ref),
    (text) => text.replace(PLACEHOLDER, (_m, n) => lookup(n)),
  );
}

function mapSecrets(value: unknown, ref: (r: SecretRef) => unknown, text: (s: string) => string): unknown {
  if (isSecretRef(value)) return ref(value);
  if (typeof value === "string") return text(value);
  if (Array.isArray(value)) return value.map((v) => mapSecrets(v, ref, text));
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapSecrets(v, ref, text)]));
  return value;
}

/**
 * What the server holds, mapped back onto the declaration's references: where
 * the declaration has a reference, the server's value becomes that reference
 * when it is the secret's value, and a drifted reference when it is not; in
 * every string, each secret's value becomes its placeholder. No value of
 * `values` survives.
 */
export function restoreSecrets(live: unknown, declared: unknown, values: ReadonlyMap<string, string>): unknown {
  if (isSecretRef(declared) && (typeof live !== "object" || live === null)) {
    if (live === undefined) return undefined;
    return live === values.get(declared.secret)
      ? { secret: declared.secret }
      : { secret: declared.secret, drift: true };
  }
  if (typeof live === "string") return scrubText(live, values);
  if (Array.isArray(live))
    return live.map((v, i) => restoreSecrets(v, Array.isArray(declared) ? declared[i] : undefined, values));
  if (live && typeof live === "object") {
    const d = declared && typeof declared === "object" ? (declared as Record<string, unknown>) : {};
    return Object.fromEntries(Object.entries(live).map(([k, v]) => [k, restoreSecrets(v, d[k], values)]));
  }
  return live;
}

/** Any value that holds a secret's value anywhere, with each occurrence replaced by its placeholder. */
export function scrubSecrets(value: unknown, values: ReadonlyMap<string, string>): unknown {
  return restoreSecrets(value, undefined, values);
}

function scrubText(text: string, values: ReadonlyMap<string, string>): string {
  let out = text;
  // Longest first, so a secret that contains another is replaced whole.
  for (const [name, value] of [...values].sort((a, b) => b[1].length - a[1].length))
    if (value) out = out.split(value).join(placeholder(name));
  return out;
}

// ---------------------------------------------------------------- resolution

/** Shorter values would be masked wherever their characters happen to occur. */
const MIN_LENGTH = 4;

/** A secret's value: stack config `pipelines:secrets.<name>`, else the environment variable `<name>`. */
export function secretValue(name: string, source: TargetSource): string {
  const fromConfig = readJson<Record<string, unknown>>(source, "pipelines:secrets")?.[name];
  const value = fromConfig ?? (source.env ?? process.env)[name];
  if (value === undefined || value === null || value === "")
    throw new Error(
      `secret '${name}' is not set: pulumi config set --secret --path 'pipelines:secrets.${name}' …, or set the ${name} environment variable`,
    );
  if (typeof value === "object") throw new Error(`stack config pipelines:secrets.${name} must be a string`);
  const text = String(value);
  if (text.length < MIN_LENGTH) throw new Error(`secret '${name}' is shorter than ${MIN_LENGTH} characters`);
  return text;
}

export function secretValues(names: Iterable<string>, source: TargetSource): Map<string, string> {
  return new Map([...names].map((n) => [n, secretValue(n, source)]));
}

/** Why `name` cannot be resolved, or undefined when it can. */
export function resolutionError(name: string, source: TargetSource): string | undefined {
  try {
    secretValue(name, source);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** Every stack-config secret long enough to be recognised (not only the named ones). */
function configSecrets(source: TargetSource): Map<string, string> {
  const all = readJson<Record<string, unknown>>(source, "pipelines:secrets") ?? {};
  return new Map(
    Object.entries(all).filter((e): e is [string, string] => typeof e[1] === "string" && e[1].length >= MIN_LENGTH),
  );
}

/**
 * The values refresh masks: the named ones (an error when one cannot be had:
 * without it, what the server returns could not be told from the secret) and
 * every other secret in stack config.
 */
export function knownSecretValues(names: Iterable<string>, source: TargetSource): Map<string, string> {
  const values = secretValues(names, source);
  for (const [name, value] of configSecrets(source)) if (!values.has(name)) values.set(name, value);
  return values;
}

/**
 * The values an export writes back as references (with --stack): every secret in the stack's config, and each
 * name the stack's state references, resolved as deploy resolves it. A referenced name that cannot be resolved
 * here is said in a warning.
 */
export function exportSecretValues(
  source: TargetSource,
  referenced: string[],
  warnings: string[],
): Map<string, string> {
  const out = configSecrets(source);
  for (const name of referenced) {
    if (out.has(name)) continue;
    const error = resolutionError(name, source);
    if (error === undefined) out.set(name, secretValue(name, source));
    else
      warnings.push(
        `the stack's state references secret ${name}, which cannot be resolved here (${error}): its value, where exported, is not recognised`,
      );
  }
  return out;
}

// ---------------------------------------------------------------- digests and rotation

/**
 * The input that holds the digests of the secrets a resource references (a
 * Pulumi secret, so state keeps it encrypted): a new value is a change the
 * engine sees, though state never holds values.
 */
export const SECRET_DIGESTS = "secretDigests";

const digestCache = new Map<string, string>();

/**
 * What state keeps to notice a new value: a slow salted hash (scrypt, salted
 * by the name), so a stolen state file does not give a weak secret away.
 */
export function secretDigest(name: string, value: string): string {
  const key = `${name}\u0000${value}`;
  let digest = digestCache.get(key);
  if (!digest) {
    digest = `scrypt:${scryptSync(value, `pulumi-pipelines/secret/${name}`, 24, { N: 1 << 14 }).toString("base64url")}`;
    digestCache.set(key, digest);
  }
  return digest;
}

/**
 * The digests of the named secrets, by name: what a resource's `secretDigests` input holds. A name that does
 * not resolve is handed to `unresolved` (the program throws; check() reports it at each place that uses it).
 */
export function secretDigests(
  names: Iterable<string>,
  source: TargetSource,
  unresolved: (name: string, error: Error) => void,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    try {
      out[name] = secretDigest(name, secretValue(name, source));
    } catch (e) {
      unresolved(name, e as Error);
    }
  }
  return out;
}

/** Names whose digest differs between the old and new inputs. */
export function rotatedSecrets(olds: Record<string, unknown>, news: Record<string, unknown>): Set<string> {
  const before = (olds[SECRET_DIGESTS] ?? {}) as Record<string, string>;
  const after = (news[SECRET_DIGESTS] ?? {}) as Record<string, string>;
  return new Set(Object.keys(after).filter((n) => before[n] !== undefined && before[n] !== after[n]));
}

/** What stands for a value the server holds that is not the secret's current one: equal to nothing. */
export const previousValue = (name: string) => `\u0000previous value of secret ${name}`;

/**
 * Old and new inputs for a plan: a secret stands for one token on both
 * sides, unless its value changed (or the server drifted), so the plan sees
 * that field change as the update will.
 */
export function withRotations(
  olds: Record<string, unknown> | undefined,
  news: Record<string, unknown>,
): [Record<string, unknown> | undefined, Record<string, unknown>] {
  const same = (n: string) => `\u0000secret ${n}`;
  const rotated = olds ? rotatedSecrets(olds, news) : new Set<string>();
  const before =
    olds &&
    (substituteSecrets(olds, (n, ref) => (rotated.has(n) || ref?.drift ? previousValue(n) : same(n))) as typeof olds);
  return [before, substituteSecrets(news, same) as typeof news];
}

/**
 * Malformed or misplaced references in a resource's inputs, and references that cannot be resolved from
 * `source`: each place that uses an unresolvable name is named.
 */
export function inputSecretProblems(
  inputs: Record<string, unknown>,
  places: SecretPlaces | undefined,
  source: TargetSource,
): { path: PathPart[]; message: string }[] {
  const { [SECRET_DIGESTS]: _digests, ...declared } = inputs;
  const problems = secretProblems(declared, places ?? { values: [], text: [] });
  if (problems.length) return problems;
  const unresolved = new Map(secretNames(declared).map((name) => [name, resolutionError(name, source)]));
  return secretUses(declared)
    .filter((use) => unresolved.get(use.name))
    .map((use) => ({ path: use.path, message: unresolved.get(use.name)! }));
}

// ---------------------------------------------------------------- the engine's wrapper
// Over the provider protocol a secret travels as an object with Pulumi's
// signature key; the kinds never see one, and what was secret goes back secret.

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

const isWrapped = (v: unknown): v is { value: unknown } =>
  !!v && typeof v === "object" && (v as Record<string, unknown>)[SIG] === SECRET_SIG;

/** A value with every wrapped secret replaced by what it holds. */
export function unwrap(value: unknown): unknown {
  if (isWrapped(value)) return unwrap(value.value);
  if (Array.isArray(value)) return value.map(unwrap);
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrap(v)]));
  return value;
}

/** The top-level properties that hold a wrapped secret anywhere inside them. */
export function secretKeys(props: Record<string, unknown> | undefined): string[] {
  const holds = (v: unknown): boolean =>
    isWrapped(v) || (Array.isArray(v) ? v.some(holds) : !!v && typeof v === "object" && Object.values(v).some(holds));
  return Object.entries(props ?? {})
    .filter(([, v]) => holds(v))
    .map(([k]) => k);
}

/** `props` with `keys` (those present) wrapped as secrets, whole. */
export function markSecret(props: Record<string, unknown>, keys: Iterable<string>): Record<string, unknown> {
  const out = { ...props };
  for (const k of keys) if (out[k] !== undefined && !isWrapped(out[k])) out[k] = { [SIG]: SECRET_SIG, value: out[k] };
  return out;
}
