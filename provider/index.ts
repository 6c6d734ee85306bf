// pulumi-pipelines: Pulumi resources for data-pipeline engines.
//   import { mage } from "pulumi-pipelines";
export * as mage from "./resources/mage";
export { PipelineApiError } from "./http/client";
