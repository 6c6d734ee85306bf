// The policy pack the package ships: every guardrail (rules.ts), configured per stack from `pipelines:policy`.
// `pulumi preview --policy-pack node_modules/pulumi-pipelines` runs it: the package root's PulumiPolicy.yaml names
// the runtime `pipelines`, whose analyzer (analyzer.ts) starts this file; its version is the package's.
import { PolicyPack } from "@pulumi/policy";
import { pipelinesPolicies, stackPolicyConfig } from "./pack";

new PolicyPack(
  "pulumi-pipelines",
  {
    description: "Guardrails for Mage, Feldera and Ionworks pipelines (docs/guardrails.md).",
    policies: pipelinesPolicies(),
  },
  stackPolicyConfig(),
);
