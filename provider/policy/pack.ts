// The guardrails (rules.ts) as a Pulumi policy pack (@pulumi/policy, CrossGuard): `pulumi-pipelines/policy`.
// Each rule is one resource policy, matched to the kinds of both resource families (`pipelines:mage:Schedule` and
// `pulumi-nodejs:dynamic/mage:Schedule`), so it holds for TypeScript programs, the GitOps program and programs in
// any language alike. main.ts is the pack the package ships; a team's own pack adds these to its policies.
import type {
  PolicyPackConfig,
  ReportViolation,
  ResourceValidation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
} from "@pulumi/policy";
import type * as pulumi from "@pulumi/pulumi";
import { classOf } from "../resources/classes";
import { RESOURCE_TYPES, type ResourceType, resourceTypeOf } from "../resources/kinds";
import type { ResourceClass } from "../resources/resourceClass";
import { type AnyRule, allowedRules, policyConfigOf, RULES, STACK_POLICY_KEY, settingsOf } from "./rules";

export { STACK_POLICY_KEY };

/** The stack the pack runs for: Pulumi sets PULUMI_STACK for an analyzer it starts. */
const stackName = (env: NodeJS.ProcessEnv): string => env.PULUMI_STACK ?? env.PULUMI_NODEJS_STACK ?? "";

/** One rule as a policy: its id, description, default enforcement and settings schema. */
export function rulePolicy(rule: AnyRule, env: NodeJS.ProcessEnv = process.env): ResourceValidationPolicy {
  return {
    name: rule.id,
    description: rule.description,
    enforcementLevel: rule.enforcement,
    configSchema: { properties: rule.settings as NonNullable<ResourceValidationPolicy["configSchema"]>["properties"] },
    validateResource(args, report) {
      const type = resourceTypeOf(args.type);
      if (!type || !rule.kinds.includes(type)) return;
      const settings = settingsOf(rule, args.getConfig<Record<string, unknown>>(), allowedRules(env));
      for (const message of rule.check({ type, name: args.name, inputs: args.props }, settings, stackName(env)))
        report(`${args.name}: ${message}`);
    },
  };
}

/** Every shipped rule as a policy; `except` leaves out rules by id. */
export function pipelinesPolicies(options: { except?: string[] } = {}): ResourceValidationPolicy[] {
  return RULES.filter((r) => !options.except?.includes(r.id)).map((r) => rulePolicy(r));
}

/**
 * The rules' configuration for this stack, from its config (`pipelines:policy`, a JSON object by rule id, as
 * `--policy-pack-config` takes it): Pulumi hands an analyzer the stack's config in PULUMI_CONFIG. A
 * `--policy-pack-config` file given on the command line still overrides it.
 */
export function stackPolicyConfig(env: NodeJS.ProcessEnv = process.env): PolicyPackConfig {
  if (!env.PULUMI_CONFIG) return {};
  const config = JSON.parse(env.PULUMI_CONFIG) as Record<string, unknown> | null;
  return policyConfigOf(config?.[STACK_POLICY_KEY], STACK_POLICY_KEY) as PolicyPackConfig;
}

/** A kind's inputs as a policy sees them: plain values, resources given by name. */
export type PolicyInputs<Args> = pulumi.Unwrap<NonNullable<Args>>;

/**
 * A resource validation for one kind, typed from its class's args (`mage.Pipeline`, `feldera.Pipeline`, …), that
 * matches the kind in both resource families.
 */
export function validateResourceOfKind<Args>(
  resourceClass: ResourceClass<Args, unknown>,
  validate: (inputs: PolicyInputs<Args>, args: ResourceValidationArgs, report: ReportViolation) => void | Promise<void>,
): ResourceValidation {
  const type = kindOfClass(resourceClass);
  return (args, report) => {
    if (resourceTypeOf(args.type) !== type) return;
    return validate(args.props as PolicyInputs<Args>, args, report);
  };
}

function kindOfClass(resourceClass: unknown): ResourceType {
  const type = RESOURCE_TYPES.find((t) => classOf(t) === resourceClass);
  if (!type) throw new Error("validateResourceOfKind: not a pulumi-pipelines resource class (mage.Pipeline, …)");
  return type;
}
