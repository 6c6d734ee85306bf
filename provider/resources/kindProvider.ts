// Turns a resource kind's mapping into a dynamic ResourceProvider. The kind
// says how to validate, normalise and call its backend; this file owns the
// Pulumi contract: complete outputs, unknowns in preview, refresh semantics.
import type * as pulumi from "@pulumi/pulumi";
import { sameJson } from "../backends/shared/json";
import { redact } from "../http/redact";
import type { TargetSource } from "./config";
import { containsUnknown, diffSpecs, UNKNOWN } from "./diff";

export interface CheckFailure {
  property: string;
  reason: string;
}

export interface Kind<Spec extends object> {
  /** Spec keys compared by diff. */
  keys: readonly (keyof Spec & string)[];
  /** Keys whose change creates a new object on the server. */
  replaceKeys: readonly (keyof Spec & string)[];
  /**
   * The object's identity on the server (e.g. Mage's pipeline/block uuid). A
   * replacement with the same identity must delete the old object first; one
   * with a new identity is created first and the old one deleted after its
   * dependents moved over, so a rename with dependents converges in one `up`.
   * Without it, a replacement always deletes first; with `false`, never.
   */
  identity?: { keys: readonly string[]; of(spec: Record<string, unknown>): string } | false;
  /** Input keys carried into state and back into refreshed inputs, but never diffed. */
  passthrough?: readonly string[];
  validate(news: Record<string, unknown>): CheckFailure[];
  /**
   * What an update (or, without old inputs, a create) will do on the server,
   * added by check() as the `updatePlan` input so the preview shows it. The
   * engine checks a replacement again with no old inputs.
   */
  plan?(olds: Record<string, any> | undefined, news: Record<string, any>): string | undefined;
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

/** A dynamic provider that can also say how it normalises inputs (the review compares declarations with it). */
export type KindProvider = pulumi.dynamic.ResourceProvider & {
  normalizeInputs(inputs: Record<string, unknown>): Record<string, unknown>;
};

export function kindProvider<Spec extends object>(kind: Kind<Spec>): KindProvider {
  const pass = (from: Record<string, unknown>) =>
    Object.fromEntries((kind.passthrough ?? []).filter((k) => from[k] !== undefined).map((k) => [k, from[k]]));
  const pick = (from: Record<string, unknown>) => Object.fromEntries(kind.keys.map((k) => [k, from[k]]));

  // The stack config arrives in configure(), once per provider process; until then, the environment alone.
  let targets: TargetSource = {};

  return {
    normalizeInputs: (inputs) => ({ ...pass(inputs), ...(kind.normalize(inputs) as Record<string, unknown>) }),

    async configure(req) {
      targets = { config: req.config };
    },

    async check(olds, news) {
      const failures = kind.validate(news);
      if (failures.length) return { inputs: news, failures };
      const prior = olds?.name !== undefined ? olds : undefined;
      // A plan about values not known yet would guess; the preview shows them as unknown instead.
      const plan = kind.plan && !(prior && containsUnknown(news)) ? kind.plan(prior, news) : undefined;
      return { inputs: plan ? { ...news, updatePlan: plan } : news };
    },

    async diff(_id, olds, news) {
      const comparable = kind.comparable ?? ((s: Record<string, unknown>) => s);
      const next = normalizeKnown(kind, olds, news);
      const d = diffSpecs(comparable(olds), comparable(next), kind.keys, kind.replaceKeys);
      if (d.deleteBeforeReplace && !sameIdentity(kind.identity, olds, next)) delete d.deleteBeforeReplace;
      return d;
    },

    async create(inputs) {
      const spec = kind.normalize(inputs);
      const { id, extra } = await guard(() => kind.create(spec, inputs, targets));
      return { id, outs: { ...pass(inputs), ...spec, ...extra } };
    },

    async read(id, props) {
      const state = props ?? {};
      const found = await guard(() => kind.read(id, state, targets));
      if (!found) return { id: "" };
      const inputs = { ...pass(state), ...found.spec };
      const refreshed = { ...state, ...inputs, ...found.extra };
      // Without drift the stored inputs stay as they are: rewriting them (as
      // normalised values) would make every later `up` rewrite each resource's
      // state once, which costs seconds per hundred resources. Drift is seen by
      // diff through the outputs either way; an import has no spec yet.
      const drifted = !sameJson(pick(state), pick(found.spec as Record<string, unknown>));
      return drifted ? { id, props: refreshed, inputs } : { id, props: refreshed };
    },

    async update(id, olds, news) {
      const next = kind.normalize(news);
      const extra = await guard(() => kind.update(id, pick(olds) as Spec, next, olds, targets));
      return { outs: { ...olds, ...pass(news), ...next, ...(extra ?? {}) } };
    },

    async delete(id, props) {
      await guard(() => kind.delete(id, props, targets));
    },
  };
}

/** Whether a replacement keeps the old object's identity; a value not known yet (preview) counts as the same. */
function sameIdentity(
  identity: Kind<object>["identity"],
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): boolean {
  if (identity === false) return false;
  if (!identity || identity.keys.some((k) => containsUnknown(news[k]))) return true;
  return identity.of(olds) === identity.of(news);
}

/**
 * Normalises the new inputs; a field not known yet (preview) is normalised
 * from its old value (normalising is idempotent) and then marked unknown, so
 * diff reports exactly that field.
 */
function normalizeKnown<Spec extends object>(
  kind: Kind<Spec>,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
) {
  const unknown = Object.keys(news).filter((k) => k !== "__provider" && containsUnknown(news[k]));
  if (!unknown.length) return kind.normalize(news) as Record<string, unknown>;
  const stand = { ...news, ...Object.fromEntries(unknown.map((k) => [k, olds[k]])) };
  const spec = kind.normalize(stand) as Record<string, unknown>;
  for (const k of unknown) spec[k] = UNKNOWN;
  return spec;
}

/** Errors leave the provider redacted and without stack noise. */
async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw new Error(redact(message));
  }
}
