// Ionworks REST client: X-API-Key auth; errors are FastAPI 422
// {"detail":[{loc,msg,type}]} or {error_code, message, detail}.
import { PipelineApiError } from "../../http/client";
import { isNotFoundOn, type RestClient, restClient } from "../../http/rest";

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

export interface IonworksClient extends RestClient {
  readonly project?: string;
}

export function ionworksClient(target: IonworksTarget): IonworksClient {
  const rest = restClient({
    engine: "ionworks",
    url: target.url,
    headers: { "x-api-key": target.apiKey },
    secrets: [target.apiKey],
    timeoutMs: target.timeoutMs,
    ca: target.ca,
    error(status, body, method, path) {
      const json =
        body && typeof body === "object"
          ? (body as { detail?: unknown; error_code?: string; message?: string })
          : undefined;
      if (status === 422 && Array.isArray(json?.detail)) return new IonworksValidationError(method, path, json.detail);
      const message = json ? (json.message ?? JSON.stringify(json.detail)) : String(body ?? `HTTP ${status}`);
      return new PipelineApiError("ionworks", method, path, status, json?.error_code, message);
    },
  });
  return { ...rest, project: target.project };
}

export const isNotFound = (e: unknown): boolean => isNotFoundOn("ionworks", e);
