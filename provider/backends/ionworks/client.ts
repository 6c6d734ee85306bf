// Ionworks REST client: X-API-Key auth; errors are FastAPI 422
// {"detail":[{loc,msg,type}]} or {error_code, message, detail}.
import { type Method, PipelineApiError, send } from "../../http/client";

export const IONWORKS_DEFAULT_URL = "https://api.ionworks.com";

export interface IonworksTarget {
  url: string;
  apiKey: string;
  /** The project pipelines go to when a declaration names none. */
  project?: string;
  timeoutMs?: number;
  /** PEM of a private CA to trust (TLS is always verified). */
  ca?: string;
}

export interface ValidationIssue {
  loc: (string | number)[];
  msg: string;
  type: string;
}

export class IonworksValidationError extends PipelineApiError {
  constructor(
    method: string,
    path: string,
    readonly issues: ValidationIssue[],
  ) {
    super("ionworks", method, path, 422, "validation", issues.map((i) => `${i.loc.join(".")}: ${i.msg}`).join("; "));
  }
}

export interface IonworksClient {
  readonly url: string;
  readonly project?: string;
  call<T = any>(
    method: Method,
    path: string,
    opts?: { query?: Record<string, string>; body?: unknown; json?: string; retry?: boolean },
  ): Promise<T>;
}

export function ionworksClient(target: IonworksTarget): IonworksClient {
  const url = target.url.replace(/\/+$/, "");
  return {
    url,
    project: target.project,
    async call(method, path, opts = {}) {
      const qs = opts.query && Object.keys(opts.query).length ? `?${new URLSearchParams(opts.query)}` : "";
      const res = await send({
        engine: "ionworks",
        method,
        url: `${url}${path}${qs}`,
        headers: { "x-api-key": target.apiKey },
        body: opts.body,
        json: opts.json,
        timeoutMs: target.timeoutMs,
        ca: target.ca,
        retry: opts.retry,
        secrets: [target.apiKey],
      });
      let parsed: any;
      try {
        parsed = res.text ? JSON.parse(res.text) : undefined;
      } catch {
        parsed = res.text;
      }
      if (res.status === 422 && Array.isArray(parsed?.detail))
        throw new IonworksValidationError(method, path, parsed.detail);
      if (res.status >= 400) {
        const message =
          typeof parsed === "object" && parsed
            ? (parsed.message ?? JSON.stringify(parsed.detail))
            : String(parsed ?? `HTTP ${res.status}`);
        throw new PipelineApiError("ionworks", method, path, res.status, parsed?.error_code, message);
      }
      return parsed as any;
    },
  };
}

export function isNotFound(e: unknown): boolean {
  return e instanceof PipelineApiError && e.engine === "ionworks" && e.status === 404;
}
