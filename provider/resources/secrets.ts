// Resolving secret references (provider/declarations/secrets.ts) to values:
// stack config `pipelines:secrets.<NAME>` (set with --secret), else the
// environment variable NAME. The provider resolves them itself, from the
// config the engine hands to configure(), so values never travel as inputs;
// the program resolves them only to digest them.
import { scryptSync } from "node:crypto";
import { readJson, type TargetSource } from "./config";

/** Shorter values would be masked wherever their characters happen to occur. */
const MIN_LENGTH = 4;

export function secretValue(name: string, source: TargetSource): string {
  const fromConfig = readJson(source, "pipelines:secrets")?.[name];
  const value = fromConfig ?? (source.env ?? process.env)[name];
  if (value === undefined || value === null || value === "")
    throw new Error(
      `secret '${name}' is not set: pulumi config set --secret --path 'pipelines:secrets.${name}' …, or set the ${name} environment variable`,
    );
  if (typeof value === "object") throw new Error(`stack config pipelines:secrets.${name} must be a string`);
  const text = String(value);
  if (text.length < MIN_LENGTH) throw new Error(`secret '${name}' is shorter than ${MIN_LENGTH} characters`);
  return text;
}

export function secretValues(names: Iterable<string>, source: TargetSource): Map<string, string> {
  return new Map([...names].map((n) => [n, secretValue(n, source)]));
}

/**
 * The digests of those named secrets that resolve, by name: what a resource's
 * `secretDigests` input holds. check() names the ones that do not, with where they are used.
 */
export function resolvableDigests(names: Iterable<string>, source: TargetSource): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    try {
      out[name] = secretDigest(name, secretValue(name, source));
    } catch {
      // reported by check() at each place that uses it
    }
  }
  return out;
}

const digests = new Map<string, string>();

/**
 * What state keeps to notice a new value: a slow salted hash (scrypt, salted
 * by the name), so a stolen state file does not give a weak secret away.
 */
export function secretDigest(name: string, value: string): string {
  const key = `${name}\u0000${value}`;
  let digest = digests.get(key);
  if (!digest) {
    digest = `scrypt:${scryptSync(value, `pulumi-pipelines/secret/${name}`, 24, { N: 1 << 14 }).toString("base64url")}`;
    digests.set(key, digest);
  }
  return digest;
}

/**
 * The values refresh masks: the named ones (an error when one cannot be had:
 * without it, what the server returns could not be told from the secret) and
 * every other secret in stack config.
 */
export function knownSecretValues(names: Iterable<string>, source: TargetSource): Map<string, string> {
  const values = secretValues(names, source);
  for (const [name, value] of Object.entries(readJson(source, "pipelines:secrets") ?? {}))
    if (!values.has(name) && typeof value === "string" && value.length >= MIN_LENGTH) values.set(name, value);
  return values;
}
