export type { BlockLanguage, BlockType } from "../../backends/mage/block";
export type { PipelineType, Scalar } from "../../backends/mage/pipeline";
export type { ScheduleStatus, ScheduleType } from "../../backends/mage/schedule";
export { Block, BlockArgs } from "./block";
export { Pipeline, PipelineArgs } from "./pipeline";
export { Schedule, ScheduleArgs } from "./schedule";
export { Secret, SecretArgs } from "./secret";
