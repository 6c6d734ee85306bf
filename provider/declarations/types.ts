// The declaration language: what a YAML file (or a TypeScript object) says.
// These types are the single source of truth: schemas/pipelines.schema.json is
// generated from them (npm run schemas), and the loader validates against it.
// Keys are the TypeScript API's argument names, so YAML and TS say the same thing.
// The values an engine accepts (block types, states, …) are the backends' own lists.

import type { DesiredState } from "../backends/feldera/api";
import type { ElementType, WaitFor } from "../backends/ionworks/pipeline";
import type {
  BlockLanguage,
  BlockType,
  ExecutorType,
  PipelineType,
  ScheduleStatus,
  ScheduleType,
} from "../backends/mage/api";

/** Scalar values a pipeline or trigger variable may hold. */
export type Scalar = string | number | boolean | null;

/**
 * A secret's value, resolved at deploy time from stack config
 * `pipelines:secrets.<name>` (set with --secret) or the environment variable
 * <name>; state, previews, reviews and exports keep the reference.
 */
export interface SecretRef {
  /**
   * The secret's name: stack config pipelines:secrets.<name>, else the environment variable <name>.
   * @pattern ^[A-Za-z_][A-Za-z0-9_]*$
   */
  secret: string;
}

/** A file of pipeline declarations. */
export interface PipelinesFile {
  /** The pipelines this file declares: Mage, Feldera or Ionworks, told apart by `engine`. */
  pipelines?: PipelineDeclaration[];
  /** Secrets kept in an engine's own secrets store (Mage: blocks read them with get_secret_value). */
  secrets?: MageSecret[];
}

/** A secret in Mage's secrets store; blocks read it with get_secret_value('<name>'). */
export interface MageSecret {
  /** The engine whose secrets store holds it: mage. */
  engine: "mage";
  /**
   * Named server in stack config (`pipelines:targets.<name>`: engine, url, credentials).
   * @pattern ^[A-Za-z0-9][A-Za-z0-9_.-]*$
   */
  target: string;
  /**
   * The name blocks read it by.
   * @minLength 1
   * @maxLength 255
   */
  name: string;
  /** Its value: always a reference, so the value itself never sits in a file or in state. */
  value: SecretRef;
  /** Take over a secret of that name already in Mage (its value is replaced). */
  adopt?: boolean;
  /**
   * Values a stack sees otherwise, by stack name (e.g. prod: { status: active }): a field given replaces the
   * declared one, a mapping (variables, settings, …) is merged key by key one level deep.
   */
  environments?: { [stack: string]: MageSecretValues };
}

export type PipelineDeclaration = MagePipeline | FelderaPipeline | IonworksPipeline;

export const ENGINES = ["mage", "feldera", "ionworks"] as const;
export type Engine = (typeof ENGINES)[number];

interface PipelineBase {
  /**
   * Named server in stack config (`pipelines:targets.<name>`: engine, url, credentials).
   * @pattern ^[A-Za-z0-9][A-Za-z0-9_.-]*$
   */
  target: string;
  /**
   * The pipeline's name on the server.
   * @minLength 1
   */
  name: string;
  /** The pipeline's description on the server (default: none). */
  description?: string;
  /** Take over an object that already exists on the server instead of failing. */
  adopt?: boolean;
}

// ---------------------------------------------------------------- Mage

export interface MagePipeline extends PipelineBase {
  /** The engine, which decides the other keys: mage. */
  engine: "mage";
  /**
   * Values a stack sees otherwise, by stack name (e.g. prod: { status: active }): a field given replaces the
   * declared one, a mapping (variables, settings, …) is merged key by key one level deep.
   */
  environments?: { [stack: string]: MagePipelineValues };
  /** Mage pipeline type (default python). */
  type?: PipelineType;
  /** Mage pipeline tags (compared as a set). */
  tags?: string[];
  /** Pipeline global variables; names must be Python identifiers. */
  variables?: { [name: string]: Scalar | SecretRef };
  /** How Mage retries the pipeline's failed blocks (default: Mage's, no retries). */
  retryConfig?: MageRetryConfig;
  /** Limits on concurrent block runs and pipeline runs (default: the server's). */
  concurrencyConfig?: MageConcurrencyConfig;
  /** Where Mage runs the blocks (default: the server's executor). */
  executorType?: ExecutorType;
  /** Run all blocks in one process (default false). */
  runPipelineInOneProcess?: boolean;
  /** Keep block outputs in memory rather than writing them to disk (default false). */
  cacheBlockOutputInMemory?: boolean;
  /** Pipeline settings: whether triggers made in the UI are saved in code (default unset). */
  settings?: MagePipelineSettings;
  /** Not managed: Mage 0.9.80's API never writes it (it lives only in the pipeline's metadata.yaml). */
  executorConfig?: never;
  /** Not managed: Mage 0.9.80's API never writes it (it lives only in the pipeline's metadata.yaml). */
  executorCount?: never;
  /** Not managed: Mage 0.9.80's API never writes it (it lives only in the pipeline's metadata.yaml). */
  notificationConfig?: never;
  /**
   * Read the pipeline's last run on refresh, for the lastRunStatus, lastRunId and lastRunAt
   * outputs (one more request per refresh; default false).
   */
  readLastRun?: boolean;
  /**
   * Make the pipeline as a copy of this Mage pipeline (name or uuid; Mage's
   * clone_pipeline_uuid): its blocks, settings and variables, then the declared
   * fields over them. Create-time only: changing it later changes nothing. The
   * copied blocks are shared with the source (Mage keeps one file per block)
   * and stay unmanaged unless declared here.
   * @minLength 1
   */
  cloneFrom?: string;
  /** Blocks in the order Mage shows them. */
  blocks?: MageBlock[];
  /** Triggers. */
  schedules?: MageSchedule[];
}

/** Mage's RetryConfig (data_preparation/shared/retry.py), its own keys. */
export interface MageRetryConfig {
  /**
   * Times a failed block is run again (Mage's default: 0).
   * @minimum 0
   * @TJS-type integer
   */
  retries?: number;
  /**
   * Seconds before the first retry.
   * @minimum 0
   * @TJS-type integer
   */
  delay?: number;
  /**
   * Longest wait between retries, in seconds.
   * @minimum 0
   * @TJS-type integer
   */
  max_delay?: number;
  /** Double the wait after each retry, up to max_delay (Mage's default: false). */
  exponential_backoff?: boolean;
}

/** Mage's ConcurrencyConfig (orchestration/concurrency.py), its own keys. */
export interface MageConcurrencyConfig {
  /**
   * Blocks of one run at once.
   * @minimum 1
   * @TJS-type integer
   */
  block_run_limit?: number;
  /**
   * Runs of this pipeline at once, per trigger.
   * @minimum 1
   * @TJS-type integer
   */
  pipeline_run_limit?: number;
  /**
   * Runs of this pipeline at once, across its triggers.
   * @minimum 1
   * @TJS-type integer
   */
  pipeline_run_limit_all_triggers?: number;
  /** What a run over the limit does: wait (Mage's default) or skip. */
  on_pipeline_run_limit_reached?: "wait" | "skip";
}

/** Mage's PipelineSettings (data_preparation/models/pipelines/models.py), its own keys. */
export interface MagePipelineSettings {
  /** How triggers are kept: save_in_code_automatically writes triggers made in Mage's UI into triggers.yaml. */
  triggers?: { save_in_code_automatically?: boolean };
}

/**
 * Mage block configuration, in Mage's keys (free-form beyond those named here).
 * Mage reads `dynamic` and `reduce_output` only when they are booleans
 * (data_preparation/models/block/dynamic/shared.py), so another value would be
 * ignored without a word: here it is an error.
 */
export interface MageBlockConfiguration {
  /** The block returns a list, and each downstream block runs once per item. */
  dynamic?: boolean;
  /** Gathers a dynamic block's per-item outputs back into one list for the blocks downstream. */
  reduce_output?: boolean;
  /** For global_data_product blocks: the product they run (required there). */
  global_data_product?: MageGlobalDataProductRef;
  /** For dbt command blocks (language yaml): the dbt project, relative to the Mage project, e.g. dbt/demo. */
  dbt_project_name?: string;
  /** For dbt blocks: the profile target to run with (default: the profile's own). */
  dbt_profile_target?: string;
  /** For dbt command blocks: the dbt command, e.g. { command: build } (default run). */
  dbt?: { command?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/** A global data product as a block runs it (Mage's GlobalDataProductBlock): its fields here override the product's. */
export interface MageGlobalDataProductRef {
  /**
   * The product's uuid (Mage's global data products); it must exist on the server.
   * @minLength 1
   */
  uuid: string;
  /** The Mage project that holds the product (default: this one). */
  project?: string;
  /** How long the product's data stays fresh, e.g. { hours: 1 }. */
  outdated_after?: { [unit: string]: unknown };
  /** When the product counts as outdated, e.g. { hour_of_day: 6 }. */
  outdated_starting_at?: { [unit: string]: unknown };
  /** Per block of the product's pipeline, e.g. { load_orders: { partitions: 1 } }. */
  settings?: { [block: string]: unknown };
}

export interface MageBlock {
  /**
   * Block name; Mage derives the block uuid and file name from it (for a dbt model, the
   * name is the model file's path, e.g. dbt/demo/models/orders).
   * @minLength 1
   */
  name: string;
  /**
   * Values a stack sees otherwise, by stack name (e.g. prod: { status: active }): a field given replaces the
   * declared one, a mapping (variables, settings, …) is merged key by key one level deep.
   */
  environments?: { [stack: string]: MageBlockValues };
  /** What the block is to Mage: data_loader, transformer, data_exporter, sensor, dbt, callback, … */
  type: BlockType;
  /** Default python. */
  language?: BlockLanguage;
  /** The code, inline. Exactly one of code and codeFile (neither for global_data_product blocks). */
  code?: string;
  /** A file holding the code: in YAML relative to the YAML file, in TypeScript to the Pulumi project (Pulumi.yaml). */
  codeFile?: string;
  /** Names of upstream blocks; for callback, conditional and extension blocks, the blocks they serve. */
  upstream?: string[];
  configuration?: MageBlockConfiguration;
  /** For extension blocks, e.g. great_expectations. */
  extensionUuid?: string;
  /** How Mage retries this block when it fails (default: the pipeline's). */
  retryConfig?: MageRetryConfig;
  /**
   * Seconds a run of this block may take (default: no limit).
   * @minimum 1
   * @TJS-type integer
   */
  timeout?: number;
  /** Where Mage runs this block (default local_python: the pipeline's executor). */
  executorType?: ExecutorType;
  /** The block's color in Mage's editor (custom blocks), e.g. blue, pink, purple, teal, yellow. */
  color?: string;
}

export interface MageSchedule {
  /**
   * The trigger's name in Mage (Mage allows two of one name; this stack changes only the one it made).
   * @minLength 1
   */
  name: string;
  /**
   * Values a stack sees otherwise, by stack name (e.g. prod: { status: active }): a field given replaces the
   * declared one, a mapping (variables, settings, …) is merged key by key one level deep.
   */
  environments?: { [stack: string]: MageScheduleValues };
  /** time (an interval), event (matchers) or api (a run URL with a token). */
  type: ScheduleType;
  /**
   * For time triggers: a cron expression, or one of Mage's presets "@once", "@hourly", "@daily", "@weekly",
   * "@monthly", "@always_on".
   */
  interval?: string;
  /** ISO-8601 date-time, stored in UTC. */
  startTime?: string;
  /** Default inactive, as Mage creates triggers. */
  status?: ScheduleStatus;
  /** The trigger's description in Mage. */
  description?: string;
  /** Runtime variables of the trigger's runs, over the pipeline's own. */
  variables?: { [name: string]: Scalar | SecretRef };
  /** Mage trigger tags. */
  tags?: string[];
  /**
   * Seconds after which a run counts as late.
   * @minimum 0
   */
  sla?: number;
  /** Mage trigger settings, e.g. skip_if_previous_running, timeout. */
  settings?: { [key: string]: unknown };
  /** For event triggers: the events that start a run (Mage's EventMatcher), matched by name. */
  eventMatchers?: MageEventMatcher[];
  /**
   * For api triggers: any new value (e.g. a date) gives the trigger a new token, so the old
   * run URL stops working; the token and runUrl outputs change with it.
   */
  rotateToken?: string;
}

/** An event an event trigger listens for (Mage's EventMatcher, orchestration/db/models/schedules.py). */
export interface MageEventMatcher {
  /**
   * The matcher's name in Mage, which keys it: a matcher of the same name is updated, not made again.
   * @minLength 1
   */
  name: string;
  /** The only event type Mage 0.9.80 has (default). */
  event_type?: "aws_event";
  /** An EventBridge-style pattern, e.g. { source: [aws.s3], detail-type: [Object Created] }. */
  pattern: { [key: string]: unknown };
}

// ---------------------------------------------------------------- Feldera

export interface FelderaPipeline extends PipelineBase {
  /** The engine, which decides the other keys: feldera. */
  engine: "feldera";
  /**
   * Values a stack sees otherwise, by stack name (e.g. prod: { status: active }): a field given replaces the
   * declared one, a mapping (variables, settings, …) is merged key by key one level deep.
   */
  environments?: { [stack: string]: FelderaPipelineValues };
  /** SQL fragments, assembled in this order into the pipeline's program. */
  blocks: FelderaBlock[];
  /** Feldera runtime_config; only the keys given are managed. */
  runtimeConfig?: { [key: string]: unknown };
  /** Feldera program_config; only the keys given are managed. */
  programConfig?: { [key: string]: unknown };
  /** Rust UDF source, inline. */
  udfRust?: string;
  /** Rust UDF source file, relative to this YAML file. */
  udfRustFile?: string;
  /** Cargo.toml dependencies for the UDFs, inline. */
  udfToml?: string;
  /** Cargo.toml dependencies file, relative to this YAML file. */
  udfTomlFile?: string;
  /** Lifecycle the pipeline is kept in (default running). */
  desiredState?: DesiredState;
  /**
   * Feldera pipeline tags (compared as a set; Feldera's SDK sorts them too), as its pipeline manager
   * accepts them (db/types/utils.rs: PATTERN_VALID_TAG, MAXIMUM_TAG_LENGTH, MAXIMUM_TAGS_PER_PIPELINE).
   * @maxItems 50
   */
  tags?: string[];
  /**
   * How long to wait for compilation, in seconds (default 600); starting and stopping are waited for up to 300.
   * @minimum 1
   */
  compileTimeoutSeconds?: number;
  /** Not supported: Feldera has no scheduler (use desiredState, or an external trigger). */
  schedules?: unknown[];
}

export interface FelderaBlock {
  /**
   * The block's name: a section of the Feldera program, unique in the pipeline.
   * @minLength 1
   */
  name: string;
  /** SQL, inline. Exactly one of sql and sqlFile. */
  sql?: string;
  /** A .sql file, relative to this YAML file. */
  sqlFile?: string;
}

// ---------------------------------------------------------------- Ionworks

export interface IonworksPipeline extends PipelineBase {
  /** The engine, which decides the other keys: ionworks. */
  engine: "ionworks";
  /**
   * Values a stack sees otherwise, by stack name (e.g. prod: { status: active }): a field given replaces the
   * declared one, a mapping (variables, settings, …) is merged key by key one level deep.
   */
  environments?: { [stack: string]: IonworksPipelineValues };
  /** Project id (default: the target's project). */
  project?: string;
  /** Pipeline options (sent as {} when empty). */
  options?: { [key: string]: unknown };
  /** completed (default): wait for the run to finish; submitted: return once accepted. */
  waitFor?: WaitFor;
  /**
   * How long to wait for completion, in seconds (default 3600).
   * @minimum 1
   */
  timeoutSeconds?: number;
  /** Elements, run in series in exactly this order. */
  blocks: IonworksBlock[];
  /** Not supported: Ionworks has no scheduler (use an external trigger). */
  schedules?: unknown[];
}

export interface IonworksBlock {
  /**
   * Element name; unique in the pipeline and not integer-like.
   * @minLength 1
   */
  name: string;
  /** The element's type in the Ionworks schema package (e.g. entry/data_fit), which its config must follow. */
  type: ElementType;
  /** The element's job config, as the Ionworks schema defines it for its type. */
  config: { [key: string]: unknown };
  /**
   * For entry blocks: take the parameters of another pipeline declared for the
   * same target (by name); it runs first, and its run id is sent as pipeline_id.
   */
  fromPipeline?: string;
}

// ---------------------------------------------------------------- values per stack
// What an entry's `environments` may give a stack (declarations/environments.ts): any field but what names the
// entry or holds other entries.

export interface MagePipelineValues
  extends Partial<Omit<MagePipeline, "engine" | "name" | "blocks" | "schedules" | "environments">> {}
export interface MageBlockValues extends Partial<Omit<MageBlock, "name" | "environments">> {}
export interface MageScheduleValues extends Partial<Omit<MageSchedule, "name" | "environments">> {}
export interface MageSecretValues extends Partial<Omit<MageSecret, "engine" | "name" | "environments">> {}
export interface FelderaPipelineValues
  extends Partial<Omit<FelderaPipeline, "engine" | "name" | "blocks" | "schedules" | "environments">> {}
export interface IonworksPipelineValues
  extends Partial<Omit<IonworksPipeline, "engine" | "name" | "blocks" | "schedules" | "environments">> {}

// ---------------------------------------------------------------- resource inputs
// What each Pulumi resource's provider receives in check(), derived from the
// declarations above: a YAML file says by nesting what a resource says with a
// field (a block's pipeline), and the program resolves files into content
// before a provider sees them. The TypeScript `*Args` are these, as Pulumi
// inputs; the generated schema carries them too, and check() validates
// against it, so the YAML loader and every provider give the same messages.

interface ResourceInputs {
  /** Named server from stack config (`pipelines:targets.<name>`); default: the engine's name. Changing it replaces. */
  target?: string;
  /** Take over what already exists on the server instead of failing (read when the resource is created). */
  adopt?: boolean;
}

export interface MageSecretInputs
  extends ResourceInputs,
    Omit<MageSecret, "engine" | "target" | "adopt" | "environments"> {}

// Every field of the declaration but those YAML nests (its blocks and schedules are resources of their own).
export interface MagePipelineInputs
  extends ResourceInputs,
    Omit<MagePipeline, "engine" | "target" | "adopt" | "blocks" | "schedules" | "environments"> {}

export interface MageBlockInputs extends ResourceInputs, Omit<MageBlock, "code" | "codeFile" | "environments"> {
  /** The pipeline's name or uuid. */
  pipeline: string;
  /** The code (read from codeFile when one is given); none for global_data_product blocks. */
  code?: string;
  /**
   * A file holding the code, relative to the Pulumi project directory: read into code on every preview and up, so
   * an edit to the file updates the block (the path itself is not compared).
   */
  codeFile?: string;
}

export interface MageScheduleInputs extends ResourceInputs, Omit<MageSchedule, "environments"> {
  /** The pipeline's name or uuid. */
  pipeline: string;
}

// Every field of the declaration but its files (read into their content) and schedules (refused).
export interface FelderaPipelineInputs
  extends ResourceInputs,
    Omit<
      FelderaPipeline,
      "engine" | "target" | "adopt" | "blocks" | "udfRustFile" | "udfTomlFile" | "schedules" | "environments"
    > {
  /**
   * SQL fragments, assembled in this order into the program (at least one: a rule of declarations/rules.ts).
   */
  blocks: FelderaBlockInputs[];
  /**
   * A file holding the Rust UDF source, relative to the Pulumi project directory: read into udfRust on every
   * preview and up (the path itself is not compared).
   */
  udfRustFile?: string;
  /**
   * A file holding the UDFs' Cargo.toml dependencies, relative to the Pulumi project directory: read into udfToml
   * on every preview and up (the path itself is not compared).
   */
  udfTomlFile?: string;
}

export interface FelderaBlockInputs {
  /**
   * The block's name: a section of the Feldera program, unique in the pipeline.
   * @minLength 1
   */
  name: string;
  /** The SQL itself, inline. Exactly one of sql and sqlFile. */
  sql?: string;
  /**
   * A .sql file, relative to the Pulumi project directory: read into sql on every preview and up, so an edit to
   * the file updates the pipeline.
   */
  sqlFile?: string;
  /** Where the SQL came from (set from sqlFile): shown in reviews and errors, never read. */
  file?: string;
}

export interface IonworksPipelineInputs
  extends ResourceInputs,
    Omit<IonworksPipeline, "engine" | "target" | "adopt" | "blocks" | "schedules" | "environments"> {
  /**
   * Elements, run in series in exactly this order (at least one: a rule of declarations/rules.ts).
   */
  blocks: IonworksBlockInputs[];
}

/** An element; an entry may take another run's parameters with `config.pipelineId`. */
export type IonworksBlockInputs = Pick<IonworksBlock, "name" | "type" | "config">;

/** The resource input types, by the definition name the schema gives them. */
export const RESOURCE_INPUTS = [
  "MageSecretInputs",
  "MagePipelineInputs",
  "MageBlockInputs",
  "MageScheduleInputs",
  "FelderaPipelineInputs",
  "IonworksPipelineInputs",
] as const;
export type ResourceInputsName = (typeof RESOURCE_INPUTS)[number];
