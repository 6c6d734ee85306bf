export type { ElementType, WaitFor } from "../../backends/ionworks/pipeline";
export { ElementBlockArgs, Pipeline, PipelineArgs } from "./pipeline";
