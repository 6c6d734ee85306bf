// Input checks for check(): the resource's inputs against the definition the
// declaration types generate (schemas/pipelines.schema.json), worded as the
// YAML loader words them, plus each kind's rules across fields. Failures are
// keyed by property so the engine reports `property: reason` before any API
// call. Values not known yet (preview) are checked again once known.
import { formatPath } from "../declarations/errors";
import { declarationProblems, type RuledKind } from "../declarations/rules";
import { inputProblems } from "../declarations/schema";
import type { ResourceInputsName } from "../declarations/types";
import { containsUnknown } from "./diff";

/** A refused input, as check() reports it: the property and why. */
export interface CheckFailure {
  property: string;
  reason: string;
}

/**
 * Inputs that are bookkeeping, not declarations: the engine's `__provider`, check()'s `updatePlan` and
 * `updateEffects`, and the
 * constructor's `secretDigests` (secretArgs.ts). Every path that shows or checks inputs leaves these out.
 */
export const BOOKKEEPING: ReadonlySet<string> = new Set(["__provider", "updatePlan", "updateEffects", "secretDigests"]);

export function schemaFailures(name: ResourceInputsName, news: Record<string, unknown>): CheckFailure[] {
  const inputs = Object.fromEntries(Object.entries(news).filter(([k, v]) => v !== undefined && !BOOKKEEPING.has(k)));
  return inputProblems(name, inputs, containsUnknown).map((p) => ({
    property: formatPath(p.path) || "inputs",
    reason: p.message,
  }));
}

/** A rule across fields, applied only when every field it reads is known. */
export function known(news: Record<string, unknown>, ...keys: string[]): boolean {
  return keys.every((k) => !containsUnknown(news[k]));
}

/** The kind's rules (declarations/rules.ts, the YAML check's own), each once the fields it reads are known. */
export function ruleFailures(kind: RuledKind, news: Record<string, unknown>): CheckFailure[] {
  return declarationProblems(kind, news, (reads) => known(news, ...reads)).map((p) => ({
    property: formatPath(p.path),
    reason: p.message,
  }));
}
