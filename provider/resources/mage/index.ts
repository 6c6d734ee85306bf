export { Pipeline, PipelineArgs } from "./pipeline";
export { Block, BlockArgs } from "./block";
export { Schedule, ScheduleArgs } from "./schedule";
export type { PipelineType, Scalar } from "../../backends/mage/pipeline";
export type { BlockType, BlockLanguage } from "../../backends/mage/block";
export type { ScheduleType, ScheduleStatus } from "../../backends/mage/schedule";
