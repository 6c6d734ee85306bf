// Turns a resource kind's mapping into a dynamic ResourceProvider. The kind
// says how to validate, normalise and call its backend; this file owns the
// Pulumi contract: complete outputs, unknowns in preview, refresh semantics.

import type * as pulumi from "@pulumi/pulumi";
import { sameJson } from "../backends/shared/json";
import { formatPath } from "../declarations/errors";
import type { RuledKind } from "../declarations/rules";
import {
  inputSecretProblems,
  knownSecretValues,
  maskSecrets,
  previousValue as previous,
  restoreSecrets,
  rotatedSecrets,
  SECRET_DIGESTS,
  type SecretPlaces,
  scrubSecrets,
  secretNames,
  secretValues,
  substituteSecrets,
  withRotations,
} from "../declarations/secrets";
import type { ResourceInputsName } from "../declarations/types";
import { redact } from "../http/redact";
import type { TargetSource } from "./config";
import { containsUnknown, diffSpecs, UNKNOWN } from "./diff";
import { type CheckFailure, ruleFailures, schemaFailures } from "./validate";

export type { CheckFailure } from "./validate";

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
  /** Outputs that are always secret, whatever the inputs (the plugin marks them so; the classes pass them to the engine). */
  secretOutputs?: readonly string[];
  /** Input keys carried into state and back into refreshed inputs, but never diffed. */
  passthrough?: readonly string[];
  /** Where inputs may reference secrets (none elsewhere); the backend sees the values, state the references. */
  secrets?: SecretPlaces;
  /**
   * Spec keys added after states were first written, with the value that means
   * unset: a state without one reads as unset, so an upgrade shows no change.
   */
  addedKeys?: Readonly<Record<string, unknown>>;
  /** The declaration type its inputs are checked against (schemas/pipelines.schema.json), worded as YAML's. */
  inputs: ResourceInputsName;
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
  /** The fields diff() finds the same in `olds` (normalised) and `news`: the review lists only the others. */
  sameKeys(olds: Record<string, unknown>, news: Record<string, unknown>): Set<string>;
};

export function kindProvider<Spec extends object>(kind: Kind<Spec>): KindProvider {
  const passthrough = [...(kind.passthrough ?? []), SECRET_DIGESTS];
  const pass = (from: Record<string, unknown>) =>
    Object.fromEntries(passthrough.filter((k) => from[k] !== undefined).map((k) => [k, from[k]]));
  const pick = (from: Record<string, unknown>) =>
    Object.fromEntries(kind.keys.map((k) => [k, from[k] === undefined ? kind.addedKeys?.[k] : from[k]]));
  const filled = (state: Record<string, unknown>) => ({ ...state, ...pick(state) });

  // The stack config arrives in configure(), once per provider process; until then, the environment alone.
  let targets: TargetSource = {};

  return {
    normalizeInputs: (inputs) => ({ ...pass(inputs), ...(kind.normalize(inputs) as Record<string, unknown>) }),

    async configure(req) {
      targets = { config: req.config };
    },

    async check(olds, news) {
      const secrets = inputSecretProblems(news, kind.secrets, targets).map((p) => ({
        property: formatPath(p.path),
        reason: p.message,
      }));
      // A misplaced reference is said once, as such, not again as the masked value's wrong type.
      const said = new Set(secrets.map((f) => f.property));
      const failures = [...secrets, ...validateInputs(kind, news).filter((f) => !said.has(f.property))];
      if (!failures.length && kind.serverFailures)
        failures.push(...(await kind.serverFailures(olds ?? {}, maskSecrets(news) as typeof news, targets)));
      if (failures.length) return { inputs: news, failures };
      const prior = olds?.name !== undefined ? olds : undefined;
      // A plan about values not known yet would guess; the preview shows them as unknown instead.
      const plan =
        kind.plan && !(prior && containsUnknown(news)) ? kind.plan(...withRotations(prior, news)) : undefined;
      return { inputs: plan ? { ...news, updatePlan: plan } : news };
    },

    sameKeys(olds, news) {
      const comparable = kind.comparable ?? ((s: Record<string, unknown>) => s);
      const [a, b] = [comparable(filled(olds)), comparable(normalizeKnown(kind, olds, news))];
      return new Set(kind.keys.filter((k) => sameJson(a[k], b[k])));
    },

    async diff(_id, olds, news) {
      const comparable = kind.comparable ?? ((s: Record<string, unknown>) => s);
      const next = normalizeKnown(kind, olds, news);
      const d = diffSpecs(comparable(filled(olds)), comparable(next), kind.keys, kind.replaceKeys);
      // A secret with a new value changes every field that references it (the values are not in state to compare).
      const rotated = rotatedSecrets(olds, news);
      const touched = kind.keys.filter((k) => secretNames(next[k]).some((n) => rotated.has(n)));
      if (touched.length) {
        d.changes = true;
        d.replaces = [...new Set([...d.replaces, ...touched.filter((k) => kind.replaceKeys.includes(k))])];
        if (d.replaces.length) d.deleteBeforeReplace = true;
      }
      if (d.deleteBeforeReplace && !sameIdentity(kind.identity, olds, next)) delete d.deleteBeforeReplace;
      return d;
    },

    async create(inputs) {
      const spec = kind.normalize(inputs);
      const values = secretValues(secretNames(spec), targets);
      const live = substituteSecrets(spec, (n) => values.get(n)!) as Spec;
      const { id, extra } = await guard(() => kind.create(live, inputs, targets), values);
      return { id, outs: { ...pass(inputs), ...spec, ...(scrubSecrets(extra, values) as object) } };
    },

    async read(id, props) {
      const state = props ?? {};
      const values = knownSecretValues(secretNames(pick(state)), targets);
      // The backend compares what the server holds with the state as the server would hold it.
      const asSent = substituteSecrets(state, (n, ref) => (ref?.drift ? previous(n) : values.get(n)!));
      const found = await guard(() => kind.read(id, asSent as Record<string, unknown>, targets), values);
      if (!found) return { id: "" };
      // An import has no state: what was read is normalised as a declaration of it would be (its default target, …).
      if (!Object.keys(state).length) found.spec = kind.normalize(found.spec as Record<string, unknown>);
      found.spec = restoreSecrets(found.spec, pick(state), values) as Spec;
      found.extra = scrubSecrets(found.extra, values) as Record<string, unknown> | undefined;
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
      const values = secretValues(secretNames(next), targets);
      // Where the old value is not the secret's current one (a new value, a drifted server), the backend
      // sees a stand-in that equals nothing, so it sends the value again.
      const rotated = rotatedSecrets(olds, news);
      const old = substituteSecrets(pick(olds), (n, ref) =>
        rotated.has(n) || ref?.drift || !values.has(n) ? previous(n) : values.get(n)!,
      ) as Spec;
      const live = substituteSecrets(next, (n) => values.get(n)!) as Spec;
      const extra = await guard(() => kind.update(id, old, live, olds, targets), values);
      return { outs: { ...olds, ...pass(news), ...next, ...((scrubSecrets(extra, values) as object) ?? {}) } };
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

/** The schema, the kind's rules and its own checks, on the inputs as the kind checks them. */
function validateInputs<Spec extends object>(kind: Kind<Spec>, raw: Record<string, unknown>): CheckFailure[] {
  const news = kind.checkAsWritten ? raw : (maskSecrets(raw) as typeof raw);
  return [
    ...schemaFailures(kind.inputs, news),
    ...(kind.rules ? ruleFailures(kind.rules, news) : []),
    ...(kind.validate?.(news, raw) ?? []),
  ];
}

/** Errors leave the provider with secrets and credentials masked, and without stack noise. */
async function guard<T>(fn: () => Promise<T>, secrets: ReadonlyMap<string, string> = new Map()): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw new Error(redact(scrubSecrets(message, secrets) as string));
  }
}
