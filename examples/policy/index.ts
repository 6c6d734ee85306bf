// A team's own policy pack: every shipped guardrail, configured per stack as the package's pack is, and two rules of
// the team's own, each typed from a kind's class and matched in both resource families.
import { PolicyPack } from "@pulumi/policy";
import { feldera, mage } from "pulumi-pipelines";
import { pipelinesPolicies, stackPolicyConfig, validateResourceOfKind } from "pulumi-pipelines/policy";

new PolicyPack(
  "orders-guardrails",
  {
    policies: [
      ...pipelinesPolicies(),
      {
        name: "exporters-read-upstream",
        description: "A Mage data exporter writes what an upstream block produced.",
        enforcementLevel: "mandatory",
        validateResource: validateResourceOfKind(mage.Block, (block, args, report) => {
          if (block.type === "data_exporter" && !block.upstream?.length)
            report(`${args.name}: a data exporter with no upstream block`);
        }),
      },
      {
        name: "feldera-workers",
        description: "A Feldera pipeline asks for at most 8 workers (the cluster's nodes have 8 cores).",
        enforcementLevel: "advisory",
        validateResource: validateResourceOfKind(feldera.Pipeline, (pipeline, args, report) => {
          const workers = Number(pipeline.runtimeConfig?.workers ?? 1);
          if (workers > 8) report(`${args.name}: ${workers} workers; at most 8`);
        }),
      },
    ],
  },
  stackPolicyConfig(),
);
