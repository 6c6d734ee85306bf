export type {
  BlockLanguage,
  BlockType,
  PipelineType,
  Scalar,
  ScheduleStatus,
  ScheduleType,
} from "../../backends/mage/api";
export { Block, BlockArgs } from "./block";
export { Pipeline, PipelineArgs } from "./pipeline";
export { Schedule, ScheduleArgs } from "./schedule";
export { Secret, SecretArgs } from "./secret";
