export { Pipeline, PipelineArgs, SqlBlockArgs } from "./pipeline";
export type { DesiredState } from "../../backends/feldera/pipeline";
