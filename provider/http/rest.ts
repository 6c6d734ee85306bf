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
  /** The engine's error for a response it answered with ≥ 400 (`body` is parsed JSON, or the text). */
  error(status: number, body: unknown, method: Method, path: string): PipelineApiError;
}

export function restClient(opts: RestOptions): RestClient {
  const url = opts.url.replace(/\/+$/, "");
  return {
    url,
    async call(method, path, call = {}) {
      const res = await send({
        engine: opts.engine,
        method,
        url: `${url}${path}${queryString(call.query)}`,
        headers: opts.headers,
        body: call.body,
        json: call.json,
        timeoutMs: opts.timeoutMs,
        ca: opts.ca,
        retry: call.retry,
        secrets: opts.secrets,
      });
      const body = parseBody(res.text);
      if (res.status >= 400) throw opts.error(res.status, body, method, path);
      return body as any;
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
