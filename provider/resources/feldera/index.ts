export type { DesiredState } from "../../backends/feldera/pipeline";
export { Pipeline, PipelineArgs, SqlBlockArgs } from "./pipeline";
