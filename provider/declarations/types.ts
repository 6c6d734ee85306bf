// The declaration language: what a YAML file (or a TypeScript object) says.
// These types are the single source of truth: schemas/pipelines.schema.json is
// generated from them (npm run schemas), and the loader validates against it.
// Keys are the TypeScript API's argument names, so YAML and TS say the same thing.

/** Scalar values a pipeline or trigger variable may hold. */
export type Scalar = string | number | boolean | null;

/** A file of pipeline declarations. */
export interface PipelinesFile {
  /** The pipelines this file declares: Mage, Feldera or Ionworks, told apart by `engine`. */
  pipelines: PipelineDeclaration[];
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
  description?: string;
  /** Take over an object that already exists on the server instead of failing. */
  adopt?: boolean;
}

// ---------------------------------------------------------------- Mage

export interface MagePipeline extends PipelineBase {
  engine: "mage";
  /** Mage pipeline type (default python). */
  type?: "python" | "pyspark" | "streaming" | "integration" | "databricks";
  tags?: string[];
  /** Pipeline global variables; names must be Python identifiers. */
  variables?: { [name: string]: Scalar };
  /** Blocks in the order Mage shows them. */
  blocks?: MageBlock[];
  /** Triggers. */
  schedules?: MageSchedule[];
}

export interface MageBlock {
  /**
   * Block name; Mage derives the block uuid and file name from it.
   * @minLength 1
   */
  name: string;
  type:
    | "data_loader"
    | "transformer"
    | "data_exporter"
    | "custom"
    | "sensor"
    | "callback"
    | "conditional"
    | "extension";
  /** Default python. */
  language?: "python" | "sql" | "r" | "yaml" | "markdown";
  /** The code, inline. Exactly one of code and codeFile. */
  code?: string;
  /** A file holding the code, relative to this YAML file. */
  codeFile?: string;
  /** Names of upstream blocks; for callback, conditional and extension blocks, the blocks they serve. */
  upstream?: string[];
  configuration?: { [key: string]: unknown };
  /** For extension blocks, e.g. great_expectations. */
  extensionUuid?: string;
}

export interface MageSchedule {
  /** @minLength 1 */
  name: string;
  type: "time" | "event" | "api";
  /** For time triggers: @once, @hourly, @daily, @weekly, @monthly, @always_on or a cron expression. */
  interval?: string;
  /** ISO-8601 date-time, stored in UTC. */
  startTime?: string;
  /** Default inactive, as Mage creates triggers. */
  status?: "active" | "inactive";
  description?: string;
  variables?: { [name: string]: Scalar };
  tags?: string[];
  /**
   * Seconds after which a run counts as late.
   * @minimum 0
   */
  sla?: number;
  /** Mage trigger settings, e.g. skip_if_previous_running, timeout. */
  settings?: { [key: string]: unknown };
}

// ---------------------------------------------------------------- Feldera

export interface FelderaPipeline extends PipelineBase {
  engine: "feldera";
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
  desiredState?: "running" | "paused" | "stopped";
  /**
   * How long to wait for compilation, in seconds.
   * @minimum 1
   */
  compileTimeoutSeconds?: number;
  /** Not supported: Feldera has no scheduler (use desiredState, or an external trigger). */
  schedules?: unknown[];
}

export interface FelderaBlock {
  /** @minLength 1 */
  name: string;
  /** SQL, inline. Exactly one of sql and sqlFile. */
  sql?: string;
  /** A .sql file, relative to this YAML file. */
  sqlFile?: string;
}

// ---------------------------------------------------------------- Ionworks

export interface IonworksPipeline extends PipelineBase {
  engine: "ionworks";
  /** Project id (default: the target's project). */
  project?: string;
  /** Pipeline options (sent as {} when empty). */
  options?: { [key: string]: unknown };
  /** completed (default): wait for the run to finish; submitted: return once accepted. */
  waitFor?: "completed" | "submitted";
  /**
   * How long to wait for completion, in seconds.
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
  type: "entry" | "data_fit" | "array_data_fit" | "calculation" | "validation";
  /** The element's job config, as the Ionworks schema defines it for its type. */
  config: { [key: string]: unknown };
  /**
   * For entry blocks: take the parameters of another pipeline declared for the
   * same target (by name); it runs first, and its run id is sent as pipeline_id.
   */
  fromPipeline?: string;
}
