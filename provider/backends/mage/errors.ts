// Mage answers most failures with HTTP 200 and an `error` body (mage_ai/api/views.py):
//  A. ApiError      {error: {code, type, message}, status: 200}
//  B. any exception {error: {code: 500, exception, message: <traceback>, errors: [...]}}
//  C. auth          real 401 with shape A.
// Messages of shape A can be stale (shared dicts mutated in place), so decisions
// use code/type and the exception text, never a traceback.
import { PipelineApiError } from "../../http/client";
import { redact } from "../../http/redact";

export interface MageErrorBody {
  code?: number;
  type?: string;
  message?: string;
  exception?: string;
  errors?: unknown;
}

export function mageError(
  method: string,
  path: string,
  status: number,
  err: MageErrorBody,
  secrets: string[],
): PipelineApiError {
  const text =
    err.exception ??
    (err.type === "record_invalid" && err.errors ? `${err.message} ${JSON.stringify(err.errors)}` : err.message) ??
    "unknown error";
  const code = err.type ?? (err.code !== undefined ? String(err.code) : undefined);
  return new PipelineApiError("mage", method, path, err.code ?? status, code, redact(firstLine(text), secrets));
}

/** Not-found takes three shapes in Mage: record_not_found, "does not exist", "does not exist in pipeline". */
export function isNotFound(e: unknown): boolean {
  if (!(e instanceof PipelineApiError) || e.engine !== "mage") return false;
  return e.code === "record_not_found" || /does not exist/.test(e.message);
}

export function isAlreadyExists(e: unknown): boolean {
  return e instanceof PipelineApiError && e.engine === "mage" && /already exists/.test(e.message);
}

function firstLine(s: string): string {
  const lines = s.trim().split("\n");
  // A traceback's last line is the exception; anything else reads best whole.
  return s.startsWith("Traceback") ? lines[lines.length - 1] : s.trim();
}
