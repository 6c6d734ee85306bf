// Mage REST client on the REST base (http/rest.ts): session login, Mage's error bodies, shared reads.
// Auth is on by default since Mage 0.9.78: API key header + a session token
// from POST /api/sessions. GET /api/status (no auth) says which mode is on.
import { type Method, PipelineApiError } from "../../http/client";
import { restClient } from "../../http/rest";
import { isNotFound, type MageErrorBody, mageError } from "./errors";

/** Every self-hosted Mage accepts exactly this OAuth client id (settings/server.py). */
export const MAGE_DEFAULT_API_KEY = "zkWlN0PkIKSN0C11CfUHUj84OT5XOJ6tDZ6bDRO2";

export interface MageTarget {
  url: string;
  apiKey?: string;
  email?: string;
  password?: string;
  timeoutMs?: number;
  /** PEM of a private CA to trust (TLS is always verified). */
  ca?: string;
}

export interface MageClient {
  readonly url: string;
  call<T = unknown>(
    method: Method,
    path: string,
    /** `secrets`: values in this call (a token in its path) that no error may show. */
    opts?: { query?: Record<string, string>; body?: unknown; retry?: boolean; secrets?: string[] },
  ): Promise<T>;
  /**
   * A read shared by every caller in this process until the next write to
   * the same server: a refresh reads each pipeline once for the pipeline and
   * all its blocks, and the trigger list once for every trigger.
   */
  shared<T>(key: string, load: () => Promise<T>): Promise<T>;
}

interface Session {
  token?: string;
}

// One login per server and account for the life of the provider process.
const sessions = new Map<string, Promise<Session>>();
// Shared reads per server, dropped whenever anything is written to that server.
const sharedReads = new Map<string, Map<string, Promise<unknown>>>();

export function mageClient(target: MageTarget): MageClient {
  const url = target.url.replace(/\/+$/, "");
  const apiKey = target.apiKey ?? MAGE_DEFAULT_API_KEY;
  const secrets = [target.password ?? "", apiKey];
  const sessionKey = `${url}\u0000${target.email ?? ""}`;

  const rest = restClient({
    engine: "mage",
    url,
    headers: { "x-api-key": apiKey },
    secrets,
    timeoutMs: target.timeoutMs,
    ca: target.ca,
    // Mage answers most errors with 200 and an `error` body; a body that is not JSON is no answer of Mage's.
    failed: (status, body) => status >= 400 || typeof body === "string" || errorBody(body) !== undefined,
    error(status, body, method, path, callSecrets) {
      const error = errorBody(body);
      if (error) return mageError(method, path, status, error, callSecrets);
      if (typeof body === "string")
        return new PipelineApiError("mage", method, path, status, "bad_response", body.slice(0, 200));
      return new PipelineApiError("mage", method, path, status, undefined, JSON.stringify(body ?? "").slice(0, 200));
    },
  });

  /** A call with the session's token; an empty body answers `{}`, as Mage's handlers mean it. */
  async function raw<T>(
    method: Method,
    path: string,
    query: Record<string, string> | undefined,
    body: unknown,
    token?: string,
    retry?: boolean,
    callSecrets: string[] = [],
  ): Promise<T> {
    const answer = await rest.call<T>(method, path, {
      query,
      body,
      retry,
      secrets: [...callSecrets, ...(token ? [token] : [])],
      ...(token ? { headers: { "oauth-token": token } } : {}),
    });
    return answer ?? ({} as T);
  }

  /**
   * With credentials, log in straight away (one request); only when that
   * fails is /api/status asked whether this server wants a login at all.
   * Without credentials, calls go out with the API key alone, and an
   * auth-enabled server's refusal says what to set.
   */
  async function login(): Promise<Session> {
    if (!target.email || !target.password) return {};
    try {
      const res = await raw<{ session: { token: string } }>(
        "POST",
        "/api/sessions",
        undefined,
        { session: { email: target.email, password: target.password } },
        undefined,
        true,
      );
      return { token: rawToken(res.session.token) };
    } catch (e) {
      const status = await raw<{ statuses?: { require_user_authentication?: boolean }[] }>(
        "GET",
        "/api/status",
        undefined,
        undefined,
      ).catch(() => undefined);
      if (status && !status.statuses?.[0]?.require_user_authentication) return {};
      throw e;
    }
  }

  function credentialsMissing(method: Method, path: string): PipelineApiError {
    return new PipelineApiError(
      "mage",
      method,
      path,
      401,
      "credentials_missing",
      `${url} requires user authentication: set email and password for this target (stack config or MAGE_EMAIL/MAGE_PASSWORD)`,
    );
  }

  function session(): Promise<Session> {
    let s = sessions.get(sessionKey);
    if (!s) {
      s = login();
      sessions.set(sessionKey, s);
      s.catch(() => sessions.delete(sessionKey));
    }
    return s;
  }

  async function call<T>(method: Method, path: string, opts: Parameters<MageClient["call"]>[2] = {}): Promise<T> {
    const { token } = await session();
    try {
      return await raw<T>(method, path, opts.query, opts.body, token, opts.retry, opts.secrets);
    } catch (e) {
      if (!(e instanceof PipelineApiError)) throw e;
      if (!token && e.code === "unauthorized_access" && !target.email) throw credentialsMissing(method, path);
      // Tokens expire (30 days by default): log in again once.
      if (/oauth_token|invalid_api_key/.test(e.code ?? "") && token) {
        sessions.delete(sessionKey);
        const again = await session();
        return await raw<T>(method, path, opts.query, opts.body, again.token, opts.retry, opts.secrets);
      }
      throw e;
    }
  }

  return {
    url,
    async call<T>(method: Method, path: string, opts?: Parameters<MageClient["call"]>[2]): Promise<T> {
      if (method === "GET") return call<T>(method, path, opts);
      // Dropped before and after: a read that overlapped the write may hold either state.
      sharedReads.delete(url);
      try {
        return await call<T>(method, path, opts);
      } finally {
        sharedReads.delete(url);
      }
    },
    shared<T>(what: string, load: () => Promise<T>): Promise<T> {
      const key = `${target.email ?? ""}\u0000${what}`;
      const reads = sharedReads.get(url) ?? new Map<string, Promise<unknown>>();
      sharedReads.set(url, reads);
      const known = reads.get(key) as Promise<T> | undefined;
      if (known) return known;
      const mine = load();
      reads.set(key, mine);
      // A failed read is not kept: the next caller tries again.
      mine.catch(() => {
        if (sharedReads.get(url)?.get(key) === mine) sharedReads.get(url)?.delete(key);
      });
      return mine;
    },
  };
}

/** The `error` a Mage response carries, if any. */
function errorBody(body: unknown): MageErrorBody | undefined {
  return body && typeof body === "object" ? ((body as { error?: MageErrorBody }).error ?? undefined) : undefined;
}

/** The session token is a JWT whose payload carries the raw token Mage expects in OAUTH-TOKEN. */
export function rawToken(jwt: string): string {
  const payload = jwt.split(".")[1];
  if (!payload) throw new Error("Mage returned a malformed session token");
  return JSON.parse(Buffer.from(payload, "base64url").toString("utf8")).token;
}

/** GET that answers undefined instead of throwing when Mage says the object is gone. */
export async function getOrUndefined<T>(
  client: MageClient,
  path: string,
  query?: Record<string, string>,
): Promise<T | undefined> {
  try {
    return await client.call<T>("GET", path, { query });
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}
