// pulumi-pipelines: Pulumi resources for data-pipeline engines.
//   import { mage, feldera, ionworks } from "pulumi-pipelines";

export { PipelineApiError } from "./http/client";
export { forStack } from "./resources/environments";
export * as feldera from "./resources/feldera";
export * as ionworks from "./resources/ionworks";
export * as mage from "./resources/mage";
