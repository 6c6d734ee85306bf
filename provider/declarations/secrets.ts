// Secret references: how a declaration names a credential a pipeline uses
// without holding it. A value written `{ secret: NAME }`, or `${secret:NAME}`
// inside SQL or UDF text, stands for the secret NAME; declarations, state,
// reviews and exports keep the reference, and only a request to an engine
// carries the value. Pure functions over plain JSON: resolving a name to its
// value is the resources' job (provider/resources/secrets.ts).
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

/** Where a YAML pipeline declaration takes references, by engine. */
export const DECLARATION_SECRET_PLACES: Record<"mage" | "feldera" | "ionworks", SecretPlaces> = {
  mage: {
    values: [
      ["variables", "*"],
      ["blocks", "*", "configuration", "**"],
      ["schedules", "*", "variables", "*"],
    ],
    text: [],
  },
  feldera: { values: [["runtimeConfig", "env", "*"]], text: [["blocks", "*", "sql"], ["udfRust"], ["udfToml"]] },
  ionworks: { values: [["blocks", "*", "config", "**"]], text: [] },
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
  const show = (p: readonly string[]) => p.filter((s) => s !== "*" && s !== "**").join(".");
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
