// Canonical JSON: object keys sorted at every depth, so two values compare
// equal exactly when they mean the same thing, whatever order they were written in.

export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortDeep(value));
}

export function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
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
