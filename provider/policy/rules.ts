// The guardrails: what must never be deployed, as rules over a resource's declared inputs. One list, read by the
// policy pack (policy/pack.ts, run by `pulumi preview --policy-pack`) for both resource families, and by anything
// that checks declarations offline. No Pulumi import: a rule is a pure function of the inputs, the stack's name and
// the rule's settings.
import { minutesBetweenRuns } from "../declarations/cron";
import type { PathPart } from "../declarations/errors";
import { inPlace, isSecretRef, KIND_SECRET_PLACES } from "../declarations/secrets";
import type { UpdateEffect } from "../resources/kind";
import type { ResourceType } from "../resources/kinds";

export type Enforcement = "mandatory" | "advisory" | "disabled";

/** One resource as a rule sees it: its kind, its Pulumi name and the inputs it is registered with. */
export interface GuardedResource {
  type: ResourceType;
  name: string;
  inputs: Record<string, unknown>;
}

/** A setting of a rule, as JSON Schema (the policy pack's config schema is made of these). */
export interface RuleSetting {
  type: "string" | "number" | "boolean" | "array";
  items?: { type: "string" };
  description: string;
  default: unknown;
}

export interface Rule<S extends Record<string, unknown> = Record<string, unknown>> {
  /** The policy's name in the pack and in `--policy-pack-config`. */
  id: string;
  description: string;
  enforcement: Enforcement;
  kinds: readonly ResourceType[];
  settings: { [K in keyof S]: RuleSetting };
  /** What is wrong with `resource`, one message per violation; none when it complies. */
  check(resource: GuardedResource, settings: S, stack: string): string[];
}

/** A rule with its settings' types erased, as the list holds it. */
export type AnyRule = Rule<Record<string, unknown>>;

const rule = <S extends Record<string, unknown>>(r: Rule<S>): AnyRule => r as unknown as AnyRule;

const SECRET_LIKE = /pass(word)?|secret|token|api[_-]?key|private[_-]?key|credential/i;

/** Every string in `value` with where it is; a secret reference is no literal and is not entered. */
function strings(value: unknown, at: PathPart[] = []): [PathPart[], string][] {
  if (typeof value === "string") return [[at, value]];
  if (!value || typeof value !== "object" || isSecretRef(value)) return [];
  return Object.entries(value).flatMap(([k, v]) => strings(v, [...at, Array.isArray(value) ? Number(k) : k]));
}

const tagsOf = (inputs: Record<string, unknown>): string[] =>
  Array.isArray(inputs.tags) ? inputs.tags.filter((t): t is string => typeof t === "string") : [];

const PIPELINES = ["mage:Pipeline", "feldera:Pipeline", "ionworks:Pipeline"] as const;

/** What check() says the update does (resources/kind.ts UpdateEffect), from the `updateEffects` input. */
const effectsOf = (inputs: Record<string, unknown>): UpdateEffect[] =>
  Array.isArray(inputs.updateEffects) ? (inputs.updateEffects as UpdateEffect[]) : [];

/** The environment variable a workflow lists allowed rules in, from a pull request's `allow:<rule>` labels. */
export const ALLOW_ENV = "PIPELINES_POLICY_ALLOW";

/**
 * A mandatory rule that holds a Feldera update with `effect` (what check() plans, in `updateEffects`) until it is
 * allowed: on a stack by its `allow` setting, or for one command by PIPELINES_POLICY_ALLOW.
 */
function effectRule(r: {
  id: string;
  effect: UpdateEffect;
  description: string;
  allows: string;
  says: string;
}): AnyRule {
  return rule<{ allow: boolean }>({
    id: r.id,
    description: r.description,
    enforcement: "mandatory",
    kinds: ["feldera:Pipeline"],
    settings: {
      allow: {
        type: "boolean",
        description: `Allow updates to ${r.allows} on this stack (a pull request allows it with the label \`allow:${r.id}\`).`,
        default: false,
      },
    },
    check({ inputs }, { allow }) {
      if (allow || !effectsOf(inputs).includes(r.effect)) return [];
      const how = `allow it with the pull request label 'allow:${r.id}', or on this stack with pipelines:policy {"${r.id}": {"allow": true}}`;
      return [`${r.says}: ${inputs.updatePlan}; ${how}`];
    },
  });
}

/** The rules allowed by the environment (a comma-separated list of rule ids in PIPELINES_POLICY_ALLOW). */
export function allowedRules(env: NodeJS.ProcessEnv = process.env): Set<string> {
  return new Set(
    (env[ALLOW_ENV] ?? "")
      .split(/[\s,]+/)
      .map((id) => id.replace(/^allow:/, ""))
      .filter(Boolean),
  );
}

/** Every shipped rule, in the order the docs list them. */
export const RULES: readonly AnyRule[] = [
  rule<{ minimumMinutes: number }>({
    id: "schedule-interval",
    description: "A Mage time trigger runs no more often than a set period (a shared server runs every trigger).",
    enforcement: "mandatory",
    kinds: ["mage:Schedule"],
    settings: {
      minimumMinutes: { type: "number", description: "The shortest period allowed between runs.", default: 15 },
    },
    check({ inputs }, { minimumMinutes }) {
      if (inputs.type !== "time" || typeof inputs.interval !== "string" || inputs.interval === "@always_on") return [];
      const every = minutesBetweenRuns(inputs.interval);
      return every !== undefined && every < minimumMinutes
        ? [`interval '${inputs.interval}' runs every ${every} minute(s); the least allowed is ${minimumMinutes}`]
        : [];
    },
  }),
  rule<{ stacks: string[] }>({
    id: "always-on-stacks",
    description: "An `@always_on` trigger (a pipeline that never stops) only on the stacks allowed to hold one.",
    enforcement: "mandatory",
    kinds: ["mage:Schedule"],
    settings: {
      stacks: {
        type: "array",
        items: { type: "string" },
        description: "The stacks that may run always-on pipelines.",
        default: ["prod"],
      },
    },
    check({ inputs }, { stacks }, stack) {
      return inputs.interval === "@always_on" && !stacks.includes(stack)
        ? [`an @always_on trigger on stack '${stack}'; allowed on: ${stacks.join(", ") || "no stack"}`]
        : [];
    },
  }),
  effectRule({
    id: "feldera-storage-clear",
    effect: "clears-storage",
    description:
      "A Feldera update that clears a pipeline's storage (its state is lost: a storage-bound runtime_config key changed) is made only where allowed.",
    allows: "clear a pipeline's storage",
    says: "the update clears the pipeline's storage",
  }),
  effectRule({
    id: "feldera-stop",
    effect: "stops",
    description:
      "A Feldera update that stops a running or paused pipeline (to recompile or reconfigure it, or as declared) is made only where allowed.",
    allows: "stop a running pipeline",
    says: "the update stops the running pipeline",
  }),
  rule<{ minimum: number }>({
    id: "mage-retries",
    description: "A Mage pipeline retries a failed block (retryConfig.retries).",
    enforcement: "advisory",
    kinds: ["mage:Pipeline"],
    settings: { minimum: { type: "number", description: "The fewest retries allowed.", default: 1 } },
    check({ inputs }, { minimum }) {
      const retries = (inputs.retryConfig as { retries?: unknown } | undefined)?.retries;
      return typeof retries === "number" && retries >= minimum
        ? []
        : [`retryConfig.retries is ${retries ?? "not set"}; at least ${minimum} required`];
    },
  }),
  rule({
    id: "secret-references",
    description:
      "A value that holds a credential is a secret reference ({ secret: NAME }), never a literal in the repository.",
    enforcement: "mandatory",
    kinds: ["mage:Pipeline", "mage:Block", "mage:Schedule", "mage:Secret", "feldera:Pipeline", "ionworks:Pipeline"],
    settings: {},
    check({ type, inputs }) {
      return strings(inputs)
        .filter(([at, v]) => v !== "" && inPlace(KIND_SECRET_PLACES[type].values, at))
        .filter(([at]) => type === "mage:Secret" || SECRET_LIKE.test(at.join(".")))
        .map(([at]) => `${at.join(".")} is a literal value; write it as { secret: NAME }`);
    },
  }),
  rule<{ prefix: string }>({
    id: "owner-tag",
    description: "Every pipeline names its owner in a tag (`owner:<team>`).",
    enforcement: "advisory",
    kinds: ["mage:Pipeline", "feldera:Pipeline"],
    settings: { prefix: { type: "string", description: "How the owner tag starts.", default: "owner:" } },
    check({ inputs }, { prefix }) {
      return tagsOf(inputs).some((t) => t.startsWith(prefix) && t.length > prefix.length)
        ? []
        : [`no '${prefix}<team>' tag`];
    },
  }),
  rule<{ pattern: string }>({
    id: "pipeline-names",
    description: "Pipeline names follow the team's pattern.",
    enforcement: "advisory",
    kinds: PIPELINES,
    settings: {
      pattern: {
        type: "string",
        description: "A regular expression every pipeline name matches.",
        default: "^[a-z][a-z0-9_ -]*$",
      },
    },
    check({ inputs }, { pattern }) {
      const name = String(inputs.name ?? "");
      return new RegExp(pattern).test(name) ? [] : [`name '${name}' does not match ${pattern}`];
    },
  }),
];

/** A rule's settings: its defaults, what the configuration gives, and `allow` where the environment allows it. */
export function settingsOf(
  rule: AnyRule,
  given: Record<string, unknown> = {},
  allowed: ReadonlySet<string> = new Set(),
): Record<string, unknown> {
  const defaults = Object.fromEntries(Object.entries(rule.settings).map(([k, s]) => [k, s.default]));
  const settings = { ...defaults, ...Object.fromEntries(Object.entries(given).filter(([k]) => k in rule.settings)) };
  return "allow" in rule.settings && allowed.has(rule.id) ? { ...settings, allow: true } : settings;
}

/** The stack config key whose value configures the rules per stack: `{ "<rule>": "advisory" | { … } }`. */
export const STACK_POLICY_KEY = "pipelines:policy";

/** A rule's configuration as `--policy-pack-config` and `pipelines:policy` give it: a level, or a level and settings. */
export type RuleConfig = Enforcement | ({ enforcementLevel?: Enforcement } & Record<string, unknown>);

/** The rules' configuration, by rule id. */
export type PolicyConfig = Record<string, RuleConfig>;

/**
 * The rules' configuration from a `pipelines:policy` value (a JSON object by rule id, or its text), refusing a rule
 * that does not exist; `key` names where it came from in the error.
 */
export function policyConfigOf(value: unknown, key: string): PolicyConfig {
  if (value === undefined) return {};
  const parsed = typeof value === "string" ? JSON.parse(value) : value;
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed))
    throw new Error(`${key}: a mapping of rule ids to their configuration, not ${JSON.stringify(parsed)}`);
  const unknown = Object.keys(parsed).filter((id) => !RULES.some((r) => r.id === id));
  if (unknown.length)
    throw new Error(
      `${key}: no rule ${unknown.map((u) => `'${u}'`).join(", ")}; the rules are ${RULES.map((r) => r.id).join(", ")}`,
    );
  return parsed as PolicyConfig;
}

/** One rule's finding on one resource. */
export interface Violation {
  rule: string;
  enforcement: "mandatory" | "advisory";
  /** The resource's Pulumi name. */
  resource: string;
  message: string;
}

/** Where the rules run: the stack, its configuration, and the rules the environment allows. */
export interface RuleContext {
  stack: string;
  config: PolicyConfig;
  allowed: ReadonlySet<string>;
}

/**
 * Every shipped rule on `resources`, as the pack would report them for this stack: enforcement from the
 * configuration (a disabled rule says nothing), mandatory findings first. The offline review calls this; the pack
 * leaves enforcement to Pulumi, which reads the same configuration.
 */
export function violations(resources: readonly GuardedResource[], context: RuleContext): Violation[] {
  const found: Violation[] = [];
  for (const rule of RULES) {
    const given = context.config[rule.id];
    const { enforcementLevel, ...settings } = typeof given === "string" ? { enforcementLevel: given } : (given ?? {});
    const enforcement = enforcementLevel ?? rule.enforcement;
    if (enforcement === "disabled") continue;
    for (const resource of resources) {
      if (!rule.kinds.includes(resource.type)) continue;
      for (const message of rule.check(resource, settingsOf(rule, settings, context.allowed), context.stack))
        found.push({ rule: rule.id, enforcement, resource: resource.name, message });
    }
  }
  return inReviewOrder(found);
}

/** Findings as a review lists them: mandatory first, then by resource and rule (a stable order, whoever found them). */
export function inReviewOrder(found: readonly Violation[]): Violation[] {
  const key = (v: Violation) => `${v.enforcement === "mandatory" ? 0 : 1}\u0000${v.resource}\u0000${v.rule}`;
  return [...found].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
