// What every adapter does with a kind (resources/kind.ts): the Pulumi provider contract as plain functions over
// JSON — check, diff, create, read, update, delete — with complete outputs, unknowns in preview, refresh semantics
// and secrets kept out of state. The dynamic provider (kindProvider.ts) and the provider plugin (plugin/) are thin
// adapters over these; the review normalises and compares with them too. Targets come with each call: an adapter
// holds the stack config it was handed.
import { sameJson } from "../backends/shared/json";
import { formatPath } from "../declarations/errors";
import {
  inputSecretProblems,
  knownSecretValues,
  maskSecrets,
  previousValue as previous,
  restoreSecrets,
  rotatedSecrets,
  SECRET_DIGESTS,
  scrubSecrets,
  secretNames,
  secretValues,
  substituteSecrets,
  withRotations,
} from "../declarations/secrets";
import { redact } from "../http/redact";
import type { TargetSource } from "./config";
import { containsUnknown, diffSpecs, type SpecDiff, UNKNOWN } from "./diff";
import { type Kind, specKeys } from "./kind";
import { type CheckFailure, ruleFailures, schemaFailures } from "./validate";

type Props = Record<string, unknown>;

export interface KindCalls {
  /** Inputs with what check() adds (the plan), or why they are refused, each at its property. */
  check(
    olds: Props | undefined,
    news: Props,
    targets: TargetSource,
  ): Promise<{ inputs: Props; failures: CheckFailure[] }>;
  diff(olds: Props, news: Props): SpecDiff;
  create(inputs: Props, targets: TargetSource): Promise<{ id: string; outs: Props }>;
  /** An empty id when the object is gone; `inputs` only when the server drifted from them (or on an import). */
  read(
    id: string,
    props: Props | undefined,
    targets: TargetSource,
  ): Promise<{ id: string; props?: Props; inputs?: Props }>;
  update(id: string, olds: Props, news: Props, targets: TargetSource): Promise<{ outs: Props }>;
  delete(id: string, props: Props, targets: TargetSource): Promise<void>;
  /** The inputs as state keeps them (the review compares declarations with it). */
  normalizeInputs(inputs: Props): Props;
  /** The fields diff() finds the same in `olds` (normalised) and `news`: the review lists only the others. */
  sameKeys(olds: Props, news: Props): Set<string>;
}

/**
 * `news` with the kind's plan for the change from `prior` (none: a create) added as check() returns them: the
 * `updatePlan` text and, where it has any, its `updateEffects`. The offline review adds them the same way.
 */
export function withPlan(kind: Kind, prior: Props | undefined, news: Props): Props {
  // A plan about values not known yet would guess; the preview shows them as unknown instead.
  const plan = kind.plan && !(prior && containsUnknown(news)) ? kind.plan(...withRotations(prior, news)) : undefined;
  if (!plan) return news;
  return { ...news, updatePlan: plan.text, ...(plan.effects.length ? { updateEffects: plan.effects } : {}) };
}

export function kindCalls(kind: Kind): KindCalls {
  const keys = specKeys(kind);
  const passthrough = [...(kind.passthrough ?? []), SECRET_DIGESTS];
  const pass = (from: Props) =>
    Object.fromEntries(passthrough.filter((k) => from[k] !== undefined).map((k) => [k, from[k]]));
  const pick = (from: Props) =>
    Object.fromEntries(keys.map((k) => [k, from[k] === undefined ? kind.addedKeys?.[k] : from[k]]));
  const filled = (state: Props) => ({ ...state, ...pick(state) });
  const comparable = kind.comparable ?? ((s: Props) => s);

  return {
    normalizeInputs: (inputs) => ({ ...pass(inputs), ...(kind.normalize(inputs) as Props) }),

    async check(olds, news, targets) {
      const secrets = inputSecretProblems(news, kind.secrets, targets).map((p) => ({
        property: formatPath(p.path),
        reason: p.message,
      }));
      // A misplaced reference is said once, as such, not again as the masked value's wrong type.
      const said = new Set(secrets.map((f) => f.property));
      const failures = [...secrets, ...validateInputs(kind, news).filter((f) => !said.has(f.property))];
      if (!failures.length && kind.serverFailures)
        failures.push(...(await kind.serverFailures(olds ?? {}, maskSecrets(news) as Props, targets)));
      if (failures.length) return { inputs: news, failures };
      return { inputs: withPlan(kind, olds?.name !== undefined ? olds : undefined, news), failures: [] };
    },

    sameKeys(olds, news) {
      const [a, b] = [comparable(filled(olds)), comparable(normalizeKnown(kind, olds, news))];
      return new Set(keys.filter((k) => sameJson(a[k], b[k])));
    },

    diff(olds, news) {
      const next = normalizeKnown(kind, olds, news);
      const d = diffSpecs(comparable(filled(olds)), comparable(next), keys, kind.replaceKeys);
      // A secret with a new value changes every field that references it (the values are not in state to compare).
      const rotated = rotatedSecrets(olds, news);
      const touched = keys.filter((k) => secretNames(next[k]).some((n) => rotated.has(n)));
      if (touched.length) {
        d.changes = true;
        d.replaces = [...new Set([...d.replaces, ...touched.filter((k) => kind.replaceKeys.includes(k))])];
        if (d.replaces.length) d.deleteBeforeReplace = true;
      }
      if (d.deleteBeforeReplace && !sameIdentity(kind.identity, olds, next)) delete d.deleteBeforeReplace;
      return d;
    },

    async create(inputs, targets) {
      const spec = kind.normalize(inputs);
      const values = secretValues(secretNames(spec), targets);
      const live = substituteSecrets(spec, (n) => values.get(n)!) as object;
      const { id, extra } = await guard(() => kind.create(live, inputs, targets), values);
      return { id, outs: { ...pass(inputs), ...spec, ...(scrubSecrets(extra, values) as object) } };
    },

    async read(id, props, targets) {
      const state = props ?? {};
      const values = knownSecretValues(secretNames(pick(state)), targets);
      // The backend compares what the server holds with the state as the server would hold it.
      const asSent = substituteSecrets(state, (n, ref) => (ref?.drift ? previous(n) : values.get(n)!));
      const found = await guard(() => kind.read(id, asSent as Props, targets), values);
      if (!found) return { id: "" };
      // An import has no state: what was read is normalised as a declaration of it would be (its default target, …).
      if (!Object.keys(state).length) found.spec = kind.normalize(found.spec as Props);
      found.spec = restoreSecrets(found.spec, pick(state), values) as object;
      found.extra = scrubSecrets(found.extra, values) as Props | undefined;
      const inputs = { ...pass(state), ...found.spec };
      const refreshed = { ...state, ...inputs, ...found.extra };
      // Without drift the stored inputs stay as they are: rewriting them (as
      // normalised values) would make every later `up` rewrite each resource's
      // state once, which costs seconds per hundred resources. Drift is seen by
      // diff through the outputs either way; an import has no spec yet.
      const drifted = !sameJson(pick(state), pick(found.spec as Props));
      return drifted ? { id, props: refreshed, inputs } : { id, props: refreshed };
    },

    async update(id, olds, news, targets) {
      const next = kind.normalize(news);
      const values = secretValues(secretNames(next), targets);
      // Where the old value is not the secret's current one (a new value, a drifted server), the backend
      // sees a stand-in that equals nothing, so it sends the value again.
      const rotated = rotatedSecrets(olds, news);
      const old = substituteSecrets(pick(olds), (n, ref) =>
        rotated.has(n) || ref?.drift || !values.has(n) ? previous(n) : values.get(n)!,
      ) as object;
      const live = substituteSecrets(next, (n) => values.get(n)!) as object;
      const extra = await guard(() => kind.update(id, old, live, olds, targets), values);
      return { outs: { ...olds, ...pass(news), ...next, ...((scrubSecrets(extra, values) as object) ?? {}) } };
    },

    async delete(id, props, targets) {
      await guard(() => kind.delete(id, props, targets));
    },
  };
}

/** Whether a replacement keeps the old object's identity; a value not known yet (preview) counts as the same. */
function sameIdentity(
  identity: Kind["identity"],
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
function normalizeKnown(kind: Kind, olds: Props, news: Props): Props {
  const unknown = Object.keys(news).filter((k) => k !== "__provider" && containsUnknown(news[k]));
  if (!unknown.length) return kind.normalize(news) as Props;
  const stand = { ...news, ...Object.fromEntries(unknown.map((k) => [k, olds[k]])) };
  const spec = kind.normalize(stand) as Props;
  for (const k of unknown) spec[k] = UNKNOWN;
  return spec;
}

/** The schema, the kind's rules and its own checks, on the inputs as the kind checks them. */
function validateInputs(kind: Kind, raw: Props): CheckFailure[] {
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

const made = new WeakMap<Kind, KindCalls>();

/** The calls of `kind`, made once per process. */
export function callsOf(kind: Kind): KindCalls {
  const calls = made.get(kind) ?? kindCalls(kind);
  made.set(kind, calls);
  return calls;
}
