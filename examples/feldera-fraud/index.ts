// The same pipeline as pipelines/fraud.yaml, in TypeScript.
import { feldera } from "pulumi-pipelines";

const fraud = new feldera.Pipeline("fraud-detection", {
  name: "fraud-detection",
  description: "Card transactions scored as they arrive",
  desiredState: "running",
  runtimeConfig: { workers: 4, storage: { compression: "snappy" } },
  programConfig: { profile: "optimized" },
  compileTimeoutSeconds: 900,
  blocks: [
    { name: "tables", sqlFile: "sql/tables.sql" },
    { name: "views", sqlFile: "sql/views.sql" },
  ],
});

export const status = fraud.deploymentStatus;
