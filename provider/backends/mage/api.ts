// The Mage REST API as this backend uses it: only the fields the code reads or
// sends. Every response is wrapped in an envelope named after the resource
// ({pipeline: …}, {block: …}, {pipeline_schedules: […], metadata}); errors
// arrive as {error: …} (see errors.ts). Field names follow mage_ai's
// presenters (mage_ai/api/presenters/{Pipeline,Block,PipelineSchedule}Presenter.py).

// This file is the leaf of the Mage backend: the enums and wire types, importing nothing.

export const BLOCK_TYPES = [
  "data_loader",
  "transformer",
  "data_exporter",
  "custom",
  "sensor",
  "callback",
  "conditional",
  "extension",
  // Notes and experiments: ordinary blocks to Mage (markdowns/, scratchpads/), never run by a trigger.
  "markdown",
  "scratchpad",
  // Runs another pipeline's global data product and hands its blocks' outputs on: it has no code.
  "global_data_product",
  // A dbt model (language sql) or a dbt command (language yaml) of a dbt project in the Mage project.
  "dbt",
] as const;
export type BlockType = (typeof BLOCK_TYPES)[number];
export const BLOCK_LANGUAGES = ["python", "sql", "r", "yaml", "markdown"] as const;
export type BlockLanguage = (typeof BLOCK_LANGUAGES)[number];

export const PIPELINE_TYPES = ["python", "pyspark", "streaming", "integration", "databricks"] as const;
export type PipelineType = (typeof PIPELINE_TYPES)[number];
export type Scalar = string | number | boolean | null;
/** Mage's ExecutorType (data_preparation/models/constants.py); Mage stores any string, so the list is ours to check. */
export const EXECUTOR_TYPES = [
  "local_python",
  "local_python_force",
  "ecs",
  "gcp_cloud_run",
  "azure_container_instance",
  "k8s",
  "pyspark",
] as const;
export type ExecutorType = (typeof EXECUTOR_TYPES)[number];

export const SCHEDULE_TYPES = ["time", "event", "api"] as const;
export type ScheduleType = (typeof SCHEDULE_TYPES)[number];
export const SCHEDULE_STATUSES = ["active", "inactive"] as const;
export type ScheduleStatus = (typeof SCHEDULE_STATUSES)[number];

/** A block as the pipeline detail and GET …/blocks/{uuid} present it. */
export interface BlockInfo {
  uuid: string;
  name: string;
  type: BlockType;
  language?: BlockLanguage;
  /** Only with includes_content=true (detail) or on the block read. */
  content?: string | null;
  upstream_blocks?: string[];
  configuration?: Record<string, unknown> | null;
  /** Set on extension blocks read by themselves; the detail nests them under `extensions`. */
  extension_uuid?: string;
  retry_config?: Record<string, unknown> | null;
  timeout?: number | null;
  executor_type?: ExecutorType | null;
  color?: string | null;
}

/** GET /api/pipelines/{uuid} → {pipeline}. */
export interface PipelineInfo {
  uuid: string;
  name: string;
  type?: PipelineType;
  description?: string | null;
  tags?: string[] | null;
  variables?: Record<string, Scalar> | null;
  retry_config?: Record<string, unknown> | null;
  concurrency_config?: Record<string, unknown> | null;
  executor_type?: ExecutorType | null;
  run_pipeline_in_one_process?: boolean | null;
  cache_block_output_in_memory?: boolean | null;
  settings?: Record<string, unknown> | null;
  blocks?: BlockInfo[];
  callbacks?: BlockInfo[];
  conditionals?: BlockInfo[];
  extensions?: Record<string, { blocks?: BlockInfo[] }>;
}

/** A trigger row: GET /api/pipeline_schedules[/{id}], POST …/pipeline_schedules. */
export interface ScheduleInfo {
  id: number;
  pipeline_uuid: string;
  name: string;
  schedule_type: ScheduleType;
  schedule_interval?: string | null;
  start_time?: string | null;
  status: ScheduleStatus;
  description?: string | null;
  variables?: Record<string, Scalar> | null;
  tags?: string[] | null;
  sla?: number | null;
  settings?: Record<string, unknown> | null;
  /** The token in an API trigger's run URL (Mage gives every trigger one). */
  token: string;
  event_matchers?: { id: number; name: string; event_type: string; pattern: Record<string, unknown> | null }[];
}

/** GET /api/pipeline_runs (PipelineRunPresenter): only what the provider reads. */
export interface PipelineRunList {
  pipeline_runs?: { id: number; status: string; created_at: string }[];
}

/** A pipeline run as POST /api/pipeline_schedules/{id}/pipeline_runs/{token} and GET /api/pipeline_runs/{id} give it. */
export interface PipelineRunEnvelope {
  pipeline_run: { id: number; status: string; pipeline_uuid: string };
}

/** GET /api/block_runs?pipeline_run_id=… (BlockRunPresenter): each block's run in one pipeline run. */
export interface BlockRunList {
  block_runs?: { id: number; block_uuid: string; status: string }[];
}

export interface PipelineEnvelope {
  pipeline: PipelineInfo;
}
export interface BlockEnvelope {
  block: BlockInfo;
}
export interface ScheduleEnvelope {
  pipeline_schedule: ScheduleInfo;
}
/** GET /api/pipelines (each row as the detail, without blocks' content). */
export interface PipelineList {
  pipelines?: PipelineInfo[];
}
export interface ScheduleList {
  pipeline_schedules?: ScheduleInfo[];
  metadata?: { next?: boolean };
}
