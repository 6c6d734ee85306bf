// Canonical JSON: object keys sorted at every depth, so two values compare
// equal exactly when they mean the same thing, whatever order they were written in.

export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortDeep(value));
}

export function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/**
 * Whether `stored` holds everything `declared` says: each declared key with an
 * equal value (objects compared key by key, so keys the server adds, and key
 * order, do not count; lists and scalars compared whole).
 */
export function holdsDeclared(declared: unknown, stored: unknown): boolean {
  const isMap = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);
  if (isMap(declared) && isMap(stored))
    return Object.entries(declared).every(([k, v]) => k in stored && holdsDeclared(v, stored[k]));
  return sameJson(declared, stored);
}

export function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((k) => [k, sortDeep((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}
