// Input checks for check(): each returns failures keyed by property so the
// engine reports `property: reason` before any API call. Unknown preview
// values are skipped: they are checked again when known.

import { containsUnknown } from "./diff";
import type { CheckFailure } from "./kindProvider";

type Rule = (value: unknown) => string | undefined;

export function checkFields(news: Record<string, unknown>, rules: Record<string, Rule[]>): CheckFailure[] {
  const failures: CheckFailure[] = [];
  for (const [property, list] of Object.entries(rules)) {
    const value = news[property];
    if (containsUnknown(value)) continue;
    for (const rule of list) {
      const reason = rule(value);
      if (reason) {
        failures.push({ property, reason });
        break;
      }
    }
  }
  return failures;
}

export const required: Rule = (v) => (v === undefined || v === null || v === "" ? "is required" : undefined);

/** Present, possibly empty. */
export const present: Rule = (v) => (v === undefined || v === null ? "is required" : undefined);

export const optional =
  (rule: Rule): Rule =>
  (v) =>
    v === undefined || v === null ? undefined : rule(v);

export const isString: Rule = (v) => (typeof v === "string" ? undefined : `must be a string, got ${typeof v}`);

export const isBoolean: Rule = (v) => (typeof v === "boolean" ? undefined : `must be true or false, got ${typeof v}`);

export const isNumber: Rule = (v) => (typeof v === "number" && Number.isFinite(v) ? undefined : "must be a number");

export const oneOf =
  (values: readonly string[]): Rule =>
  (v) =>
    values.includes(v as string) ? undefined : `must be one of ${values.join(", ")}; got '${String(v)}'`;

export const stringList: Rule = (v) =>
  Array.isArray(v) && v.every((x) => typeof x === "string" || containsUnknown(x))
    ? undefined
    : "must be a list of strings";

export const object: Rule = (v) => (v && typeof v === "object" && !Array.isArray(v) ? undefined : "must be a mapping");

export const scalarMap: Rule = (v) => {
  if (object(v)) return object(v);
  const bad = Object.entries(v as object).find(([, x]) => x !== null && typeof x === "object");
  return bad ? `value of '${bad[0]}' must be a string, number, boolean or null` : undefined;
};

export const identifierKeys: Rule = (v) => {
  const bad = Object.keys(v as object).find((k) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(k));
  return bad ? `variable name '${bad}' must be a Python identifier` : undefined;
};
