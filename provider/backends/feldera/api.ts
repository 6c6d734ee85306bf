// The Feldera REST API (/v0) as this backend uses it: only the fields the
// code reads or sends. Names and shapes follow Feldera's OpenAPI
// (PipelineInfo / PipelineSelectedInfo, PostPutPipeline, PatchPipeline,
// ErrorResponse); the emulator's responses are validated against it.
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** One SQL compiler message (program_error.sql_compilation.messages). */
export interface SqlMessage {
  start_line_number: number;
  start_column: number;
  warning: boolean;
  error_type: string;
  message: string;
}

export type ProgramStatus =
  | "Pending"
  | "CompilingSql"
  | "SqlCompiled"
  | "CompilingRust"
  | "Success"
  | "SqlError"
  | "RustError"
  | "SystemError";

/** GET /v0/pipelines/{name} (selector all; selector status leaves out the program and configs). */
export interface PipelineInfo {
  name: string;
  description?: string;
  tags?: string[];
  program_code?: string;
  udf_rust?: string;
  udf_toml?: string;
  runtime_config?: { [key: string]: Json };
  program_config?: { [key: string]: Json };
  program_status: ProgramStatus;
  program_version: number;
  program_error?: {
    sql_compilation?: { messages?: SqlMessage[] } | null;
    rust_compilation?: { stderr?: string } | null;
    system_error?: string | null;
  };
  deployment_status: string;
  deployment_desired_status: string;
  /** Feldera's ErrorResponse: why the deployment failed. */
  deployment_error?: { message: string; error_code?: string; details?: unknown } | null;
  storage_status: string;
}

/** POST /v0/pipelines (PostPutPipeline). */
export interface NewPipeline {
  name: string;
  description: string;
  program_code: string;
  udf_rust: string;
  udf_toml: string;
  runtime_config: { [key: string]: Json };
  program_config: { [key: string]: Json };
  tags: string[];
}

/** PATCH /v0/pipelines/{name} (PatchPipeline): only what changes. */
export type PipelinePatch = Partial<Omit<NewPipeline, "name">>;

/** GET /v0/config. */
export interface ServerConfig {
  version: string;
  edition?: string;
}

/** POST /v0/validate_program: with an SQL error, its compiler messages. */
export interface ProgramValidation {
  SqlError?: { info: { messages: SqlMessage[] } };
}

/** The lifecycle a declaration keeps a pipeline in. */
export const DESIRED_STATES = ["running", "paused", "stopped"] as const;
export type DesiredState = (typeof DESIRED_STATES)[number];
