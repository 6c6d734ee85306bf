// pulumi-pipelines: Pulumi resources for data-pipeline engines.
//   import { mage, feldera } from "pulumi-pipelines";
export * as mage from "./resources/mage";
export * as feldera from "./resources/feldera";
export { PipelineApiError } from "./http/client";
