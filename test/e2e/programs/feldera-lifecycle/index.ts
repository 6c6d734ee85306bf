// One Feldera pipeline whose views come from the file named by e2e:views.
import * as pulumi from "@pulumi/pulumi";
import { feldera } from "pulumi-pipelines";

const cfg = new pulumi.Config("e2e");

const pipeline = new feldera.Pipeline("fraud", {
  name: cfg.require("name"),
  description: "e2e lifecycle",
  runtimeConfig: {
    workers: cfg.getNumber("workers") ?? 4,
    cpu_profiler: true,
    // Fault tolerance (Feldera Enterprise): the pipeline checkpoints, so a restart after a program change bootstraps.
    ...(cfg.get("faultTolerance") ? { fault_tolerance: { model: cfg.get("faultTolerance")! } } : {}),
  },
  desiredState: "running",
  compileTimeoutSeconds: 30,
  blocks: [
    { name: "tables", sqlFile: "sql/tables.sql" },
    { name: "views", sqlFile: `sql/${cfg.require("views")}.sql` },
  ],
});

export const status = pipeline.deploymentStatus;
export const plan = pipeline.updatePlan;
