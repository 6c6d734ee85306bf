// The one HTTP client every backend uses: timeouts, bounded retries for
// idempotent calls, one error type, and secret redaction. No Pulumi imports.

import * as tls from "node:tls";
import type { Dispatcher } from "undici";
import { redact } from "./redact";

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface HttpRequest {
  engine: string;
  method: Method;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** A body already serialised, sent as is (when key order in the text matters). */
  json?: string;
  /** Per-attempt timeout. */
  timeoutMs?: number;
  /** Retry transient failures; defaults to true for GET/PUT/DELETE only. */
  retry?: boolean;
  /** Time budget for this request across all its attempts (default 120 s). */
  budgetMs?: number;
  /** Values to strip from any message this request produces. */
  secrets?: string[];
  /** PEM certificates to trust besides the system's (a private CA). TLS is always verified. */
  ca?: string;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One error type for every engine; messages are redacted before they exist. */
export class PipelineApiError extends Error {
  constructor(
    readonly engine: string,
    readonly method: string,
    readonly path: string,
    readonly status: number | undefined,
    readonly code: string | undefined,
    message: string,
  ) {
    super(`${engine} ${method} ${path}${status ? ` → ${status}` : ""}${code ? ` [${code}]` : ""}: ${message}`);
    this.name = "PipelineApiError";
  }
}

const TRANSIENT_STATUS = new Set([408, 429, 502, 503, 504]);
const IDEMPOTENT = new Set<Method>(["GET", "PUT", "DELETE"]);
export const MAX_ATTEMPTS = 8;
export const DEFAULT_BUDGET_MS = 120_000;
/** How long one attempt waits for the server's answer, unless the target's timeoutSeconds says otherwise. */
export const DEFAULT_ATTEMPT_TIMEOUT_MS = 60_000;

/** A failure after which the same request may succeed: no answer, or 408/429/502/503/504. */
export function isTransient(e: unknown): boolean {
  return (
    e instanceof PipelineApiError &&
    (e.code === "connection" || (e.status !== undefined && TRANSIENT_STATUS.has(e.status)))
  );
}

/** Full-jitter exponential backoff, capped; Retry-After wins when the server sends it. */
export function backoffMs(attempt: number, retryAfter?: string, baseMs = 200, capMs = 5_000): number {
  const seconds = retryAfter !== undefined ? Number(retryAfter) : NaN;
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, 30_000);
  return Math.random() * Math.min(capMs, baseMs * 2 ** attempt);
}

export async function send(req: HttpRequest): Promise<HttpResponse> {
  const retry = req.retry ?? IDEMPOTENT.has(req.method);
  const path = new URL(req.url).pathname;
  const secrets = req.secrets ?? [];
  const headers: Record<string, string> = { accept: "application/json", ...req.headers };
  let body: string | undefined = req.json;
  if (body === undefined && req.body !== undefined) body = JSON.stringify(req.body);
  if (body !== undefined) headers["content-type"] = "application/json";
  const deadline = Date.now() + (req.budgetMs ?? DEFAULT_BUDGET_MS);
  for (let attempt = 0; ; attempt++) {
    const last = !retry || attempt + 1 >= MAX_ATTEMPTS || Date.now() >= deadline;
    try {
      const res = await undici().request(req.url, {
        dispatcher: req.ca ? agentFor(req.ca) : undefined,
        method: req.method,
        headers,
        body,
        headersTimeout: req.timeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS,
        bodyTimeout: req.timeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS,
      });
      const text = await res.body.text();
      if (TRANSIENT_STATUS.has(res.statusCode) && !last) {
        await sleep(
          Math.min(backoffMs(attempt, headerValue(res.headers["retry-after"])), Math.max(0, deadline - Date.now())),
        );
        continue;
      }
      return { status: res.statusCode, headers: res.headers, text };
    } catch (err) {
      const tlsFailure = isCertificateError(err);
      if (!last && !tlsFailure) {
        await sleep(backoffMs(attempt));
        continue;
      }
      const message = err instanceof Error ? `${err.message}${causeOf(err)}` : String(err);
      // A certificate that does not verify will not verify on a retry either.
      throw new PipelineApiError(
        req.engine,
        req.method,
        path,
        undefined,
        tlsFailure ? "tls" : "connection",
        redact(message, secrets),
      );
    }
  }
}

/**
 * Creates with a POST that must not run twice (it is not idempotent). After a
 * transient failure the request may or may not have reached the server, so
 * the object is first looked up by its natural key; only if it is not there
 * is the POST sent again.
 */
export async function createOnce<T>(
  post: () => Promise<T>,
  lookup: () => Promise<T | undefined>,
  attempts = MAX_ATTEMPTS,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await post();
    } catch (e) {
      if (!isTransient(e) || attempt + 1 >= attempts) throw e;
      const retryAfter = e instanceof PipelineApiError && e.status === 429 ? "1" : undefined;
      await sleep(backoffMs(attempt, retryAfter));
      const found = await lookup();
      if (found !== undefined) return found;
    }
  }
}

// undici is loaded on the first request: programs and no-change runs load
// this module (through the backends' pure functions) but never send one, and
// loading undici cost them ~0.1 s of CPU each.
let loaded: typeof import("undici") | undefined;
function undici(): typeof import("undici") {
  loaded ??= require("undici") as typeof import("undici");
  return loaded;
}

// One connection pool per CA bundle for the life of the process.
const agents = new Map<string, Dispatcher>();

function agentFor(ca: string): Dispatcher {
  let agent = agents.get(ca);
  if (!agent) {
    agent = new (undici().Agent)({ connect: { ca: [...tls.rootCertificates, ca], rejectUnauthorized: true } });
    agents.set(ca, agent);
  }
  return agent;
}

function isCertificateError(err: unknown): boolean {
  const codes = [err, (err as { cause?: unknown })?.cause].map((e) => String((e as { code?: unknown })?.code ?? ""));
  return codes.some((c) => /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/.test(c));
}

function causeOf(err: Error): string {
  const cause = (err as { cause?: unknown }).cause;
  return cause instanceof Error ? ` (${cause.message})` : "";
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
