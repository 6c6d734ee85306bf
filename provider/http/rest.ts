// The REST base every engine client is built on: base URL, query string, JSON
// parsing, error mapping and the not-found test. An engine supplies only its
// headers, its secrets and how its error bodies read.
import { type Method, PipelineApiError, send } from "./client";

export interface CallOptions {
  query?: Record<string, string>;
  body?: unknown;
  /** A body already serialised, sent as is (when key order in the text matters). */
  json?: string;
  retry?: boolean;
  /** Headers of this call besides the client's (a session token). */
  headers?: Record<string, string>;
  /** Values redacted from this call's messages besides the client's. */
  secrets?: string[];
}

export interface RestClient {
  readonly url: string;
  call<T = unknown>(method: Method, path: string, opts?: CallOptions): Promise<T>;
}

export interface RestOptions {
  engine: string;
  url: string;
  headers: Record<string, string>;
  /** Values redacted from every message. */
  secrets: string[];
  timeoutMs?: number;
  ca?: string;
  /**
   * Whether a response is an error (`body` is parsed JSON, or the text): by default, a status of 400 or more.
   * Some engines answer errors with 200 and an error body.
   */
  failed?(status: number, body: unknown): boolean;
  /** The engine's error for a response that failed; `secrets` are the call's values to redact. */
  error(status: number, body: unknown, method: Method, path: string, secrets: string[]): PipelineApiError;
}

export function restClient(opts: RestOptions): RestClient {
  const url = opts.url.replace(/\/+$/, "");
  return {
    url,
    async call<T>(method: Method, path: string, call: CallOptions = {}): Promise<T> {
      const secrets = [...opts.secrets, ...(call.secrets ?? [])];
      const res = await send({
        engine: opts.engine,
        method,
        url: `${url}${path}${queryString(call.query)}`,
        headers: { ...opts.headers, ...call.headers },
        body: call.body,
        json: call.json,
        timeoutMs: opts.timeoutMs,
        ca: opts.ca,
        retry: call.retry,
        secrets,
      });
      const body = parseBody(res.text);
      if (opts.failed ? opts.failed(res.status, body) : res.status >= 400)
        throw opts.error(res.status, body, method, path, secrets);
      // The engine's response type is the caller's to name (each engine's api.ts): parsed JSON is not checked here.
      return body as T;
    },
  };
}

export function queryString(query: Record<string, string> | undefined): string {
  return query && Object.keys(query).length ? `?${new URLSearchParams(query)}` : "";
}

/** JSON when it parses; a proxy or the server's framework may answer with plain text, kept as is. */
export function parseBody(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Whether `e` is the given engine saying the object does not exist. */
export function isNotFoundOn(engine: string, e: unknown): boolean {
  return e instanceof PipelineApiError && e.engine === engine && e.status === 404;
}
