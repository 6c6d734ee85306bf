export { Pipeline, PipelineArgs, ElementBlockArgs } from "./pipeline";
export type { ElementType, WaitFor } from "../../backends/ionworks/pipeline";
