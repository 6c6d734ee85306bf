// The model observer's own view of Mage, sharing no code with the provider: Mage's uuid rule written from Mage's
// source, and reads over plain HTTP (fetch) as Mage's own frontend makes them.

/**
 * mage_ai/shared/utils.py `clean_name` (0.9.80): drop BOM, `"`, `$`, \n, \r, \t; every non-word character (Python's
 * Unicode `\W`) becomes `_`, except the allowed ones; a leading digit gets `letter_`; lower-cased. Pipelines use it
 * as is (data_preparation/models/pipeline.py `Pipeline.create`: `uuid = clean_name(name)`); blocks allow `/`
 * (data_preparation/models/block/utils.py: `clean_name(name, allow_characters=['/'])`).
 */
export function mageCleanName(name: string, allow: string[] = []): string {
  let s = name;
  for (const c of ["\ufeff", '"', "$", "\n", "\r", "\t"]) s = s.split(c).join("");
  s = [...s].map((c) => (allow.includes(c) || /^[\p{L}\p{N}_]$/u.test(c) ? c : "_")).join("");
  if (/^\p{Nd}/u.test(s)) s = `letter_${s}`;
  return s.toLowerCase();
}

export const mageBlockUuid = (name: string) => mageCleanName(name, ["/"]);

/** mage_ai/settings/server.py OAUTH2_APPLICATION_CLIENT_ID: the API key Mage's frontend sends. */
const FRONTEND_API_KEY = "zkWlN0PkIKSN0C11CfUHUj84OT5XOJ6tDZ6bDRO2";

export interface MageHttp {
  get<T = any>(path: string, query?: Record<string, string>): Promise<T>;
  del(path: string): Promise<void>;
}

/** Logs in as `email` (POST /api/sessions) when given, then GETs and DELETEs with the session's token. */
export function mageHttp(target: { url: string; email?: string; password?: string }): MageHttp {
  let token: Promise<string | undefined> | undefined;
  const send = async (method: string, path: string, query: Record<string, string> = {}, body?: unknown) => {
    const url = new URL(path, target.url);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const headers: Record<string, string> = { "x-api-key": FRONTEND_API_KEY, "content-type": "application/json" };
    const t = await (token ?? Promise.resolve(undefined));
    if (t) headers["oauth-token"] = t;
    const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = (await res.json()) as any;
    if (!res.ok || json?.error) throw new Error(`Mage ${method} ${path}: ${res.status} ${JSON.stringify(json?.error)}`);
    return json;
  };
  const login = async () => {
    if (!target.email || !target.password) return undefined;
    const res = await send(
      "POST",
      "/api/sessions",
      {},
      { session: { email: target.email, password: target.password } },
    );
    // The session token is a JWT whose payload carries the OAuth token the API takes (mage_ai/api/oauth_scope).
    return JSON.parse(Buffer.from(String(res.session.token).split(".")[1], "base64url").toString("utf8")).token;
  };
  return {
    async get(path, query) {
      token ??= login();
      return send("GET", path, query);
    },
    async del(path) {
      token ??= login();
      await send("DELETE", path);
    },
  };
}
