// Feldera REST client (/v0). Errors are {message, error_code, details}; a
// proxy or actix itself may answer with plain text, which is kept as-is.
import { PipelineApiError } from "../../http/client";
import { isNotFoundOn, type RestClient, restClient } from "../../http/rest";

export interface FelderaTarget {
  url: string;
  /** Sent as `Authorization: Bearer <apiKey>` (an `apikey:…` key or an OIDC token). */
  apiKey?: string;
  timeoutMs?: number;
  /** PEM of a private CA to trust (TLS is always verified). */
  ca?: string;
}

export type FelderaClient = RestClient;

export function felderaClient(target: FelderaTarget): FelderaClient {
  return restClient({
    engine: "feldera",
    url: target.url,
    headers: target.apiKey ? { authorization: `Bearer ${target.apiKey}` } : {},
    secrets: target.apiKey ? [target.apiKey] : [],
    timeoutMs: target.timeoutMs,
    ca: target.ca,
    error(status, body, method, path) {
      const json =
        body && typeof body === "object"
          ? (body as { error_code?: string; message?: string; details?: unknown })
          : undefined;
      const message = json ? (json.message ?? "") : String(body ?? "").slice(0, 300) || `HTTP ${status}`;
      return Object.assign(new PipelineApiError("feldera", method, path, status, json?.error_code, message), {
        details: json?.details,
      });
    },
  });
}

export const isNotFound = (e: unknown): boolean => isNotFoundOn("feldera", e);
