// The Ionworks pipelines API as this backend uses it: only the fields the code
// reads or sends (from the vendor's API reference and its Python SDK,
// ionworks-api: ionworks/pipeline.py).

/** GET /pipelines/{id}, a row of GET /pipelines, and the POST /pipelines answer (which adds `elements`). */
export interface Run {
  id: string;
  name: string;
  description?: string | null;
  project_id?: string;
  status: string;
  error?: string | null;
  is_terminal?: boolean;
  options?: Record<string, unknown> | null;
  created_at?: string;
  elements?: Element[];
}

/** GET /pipelines: `{pipelines, total}` (older servers: a bare array). */
export type RunPage = { pipelines?: Run[]; total?: number } | Run[];

/** GET /pipelines/{id}/elements. */
export interface Element {
  name: string;
  /** A display label ("Direct Entry", "Data Fit", …) or a request type. */
  element_type: string;
  element_order: number;
  /** The element's stored configuration (with its element_type). */
  job_config?: Record<string, unknown> | null;
  status: string;
  error?: string | null;
  error_code?: string | null;
}

/** GET /pipelines/{id}/result. */
export interface RunResult {
  result?: { parameter_values?: Record<string, unknown> } | null;
}

/** PATCH /pipelines/{id}: name and description only. */
export interface RunPatch {
  name?: string;
  description?: string | null;
}
