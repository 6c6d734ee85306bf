// Feldera REST client (/v0). Errors are {message, error_code, details}; a
// proxy or actix itself may answer with plain text, which is kept as-is.
import { type Method, PipelineApiError, send } from "../../http/client";

export interface FelderaTarget {
  url: string;
  /** Sent as `Authorization: Bearer <apiKey>` (an `apikey:…` key or an OIDC token). */
  apiKey?: string;
  timeoutMs?: number;
  /** PEM of a private CA to trust (TLS is always verified). */
  ca?: string;
}

export interface FelderaClient {
  readonly url: string;
  call<T = any>(
    method: Method,
    path: string,
    opts?: { query?: Record<string, string>; body?: unknown; retry?: boolean },
  ): Promise<T>;
}

export function felderaClient(target: FelderaTarget): FelderaClient {
  const url = target.url.replace(/\/+$/, "");
  const secrets = target.apiKey ? [target.apiKey] : [];
  return {
    url,
    async call(method, path, opts = {}) {
      const qs = opts.query && Object.keys(opts.query).length ? `?${new URLSearchParams(opts.query)}` : "";
      const res = await send({
        engine: "feldera",
        method,
        url: `${url}${path}${qs}`,
        headers: target.apiKey ? { authorization: `Bearer ${target.apiKey}` } : {},
        body: opts.body,
        timeoutMs: target.timeoutMs,
        ca: target.ca,
        retry: opts.retry,
        secrets,
      });
      let parsed: any;
      try {
        parsed = res.text ? JSON.parse(res.text) : undefined;
      } catch {
        parsed = res.text;
      }
      if (res.status >= 400) {
        const code = parsed && typeof parsed === "object" ? parsed.error_code : undefined;
        const message =
          parsed && typeof parsed === "object"
            ? parsed.message
            : String(parsed ?? "").slice(0, 300) || `HTTP ${res.status}`;
        throw Object.assign(new PipelineApiError("feldera", method, path, res.status, code, message), {
          details: parsed?.details,
        });
      }
      return parsed as any;
    },
  };
}

export function isNotFound(e: unknown): boolean {
  return e instanceof PipelineApiError && e.engine === "feldera" && e.status === 404;
}
