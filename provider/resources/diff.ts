// Diff of the normalised declared spec stored in outputs against the
// normalised new inputs. Server echoes never take part, and neither does
// __provider (a code change of the provider alone is not a change).
import { sameJson } from "../backends/shared/json";

/** The engine's placeholder for values not known during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export interface SpecDiff {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace?: boolean;
}

export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

/** Keys whose values differ; an unknown value counts as a difference. */
export function changedKeys(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  keys: readonly string[],
): string[] {
  return keys.filter((k) => containsUnknown(news[k]) || !sameJson(olds[k] ?? null, news[k] ?? null));
}

export function diffSpecs(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  keys: readonly string[],
  replaceKeys: readonly string[],
): SpecDiff {
  const changed = changedKeys(olds, news, keys);
  const replaces = changed.filter((k) => replaceKeys.includes(k));
  // The new object has the same identity (uuid) as the old: delete first.
  return { changes: changed.length > 0, replaces, ...(replaces.length ? { deleteBeforeReplace: true } : {}) };
}
