// Credentials must never reach logs, state or errors: every message built from
// a server answer or an exception passes through here first.

const MASK = "[redacted]";

/** Replaces every known secret value, and anything shaped like a bearer/JWT token. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) {
    if (s && s.length >= 4) out = out.split(s).join(MASK);
  }
  return out
    .replace(/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, MASK)
    .replace(/(authorization|oauth-token|x-api-key|cookie)(["']?\s*[:=]\s*["']?)[^\s"',}]+/gi, `$1$2${MASK}`);
}
