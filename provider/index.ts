// pulumi-pipelines: Pulumi resources for data-pipeline engines.
//   import { mage, feldera, ionworks } from "pulumi-pipelines";
export * as mage from "./resources/mage";
export * as feldera from "./resources/feldera";
export * as ionworks from "./resources/ionworks";
export { PipelineApiError } from "./http/client";
