// Where targets and credentials come from: stack config handed to the
// provider's configure() (decrypted by the engine), else environment
// variables read at call time. Never resource inputs, never the closure.

import type { FelderaTarget } from "../backends/feldera/client";
import { IONWORKS_DEFAULT_URL, type IonworksTarget } from "../backends/ionworks/client";
import type { MageTarget } from "../backends/mage/client";
import { readJson, type TargetSource } from "../declarations/configSource";
import { DEFAULT_ATTEMPT_TIMEOUT_MS, DEFAULT_BUDGET_MS, MAX_ATTEMPTS } from "../http/client";

export type { ConfigSource, TargetSource } from "../declarations/configSource";

export type Engine = "mage" | "feldera" | "ionworks";

/** A target as stack config (`pipelines:targets.<name>`, `pipelines:<engine>`) or the environment gives it. */
export interface TargetSettings {
  engine?: string;
  url?: string;
  email?: string;
  password?: string;
  apiKey?: string;
  project?: string;
  caFile?: string;
  timeoutSeconds?: number | string;
}

export const DEFAULT_MAGE_TARGET = "mage";
export const DEFAULT_FELDERA_TARGET = "feldera";
export const DEFAULT_IONWORKS_TARGET = "ionworks";

/** A key of a target's settings: what it is, the environment variable per engine, the default. */
export interface TargetKey {
  key: keyof TargetSettings;
  engines: readonly Engine[];
  /** The variable that gives it for the target named after the engine, when its stack config is absent. */
  env?: Partial<Record<Engine, string>>;
  /** What applies when it is not set, in words (with the code's own value). */
  default: string;
  doc: string;
}

const ALL: readonly Engine[] = ["mage", "feldera", "ionworks"];

/** Every key of a target, as stack config and the environment give it; the configuration reference is made from it. */
export const TARGET_KEYS: readonly TargetKey[] = [
  {
    key: "engine",
    engines: ALL,
    default: "none: required in pipelines:targets.<name>; pipelines:<engine> is that engine",
    doc: "The server's engine: mage, feldera or ionworks.",
  },
  {
    key: "url",
    engines: ALL,
    env: { mage: "MAGE_URL", feldera: "FELDERA_HOST", ionworks: "IONWORKS_API_URL" },
    default: `none: required (Ionworks: ${IONWORKS_DEFAULT_URL})`,
    doc: "The server's base URL.",
  },
  {
    key: "email",
    engines: ["mage"],
    env: { mage: "MAGE_EMAIL" },
    default: "none: needed when Mage requires user authentication (the default from Mage 0.9.78)",
    doc: "The Mage account the provider logs in as.",
  },
  {
    key: "password",
    engines: ["mage"],
    env: { mage: "MAGE_PASSWORD" },
    default: "none: needed with email",
    doc: "That account's password (set it with --secret).",
  },
  {
    key: "apiKey",
    engines: ALL,
    env: { mage: "MAGE_API_KEY", feldera: "FELDERA_API_KEY", ionworks: "IONWORKS_API_KEY" },
    default: "Mage: the key every Mage server is built with; Feldera: none (no auth); Ionworks: none: required",
    doc: "The API key the server wants (set it with --secret).",
  },
  {
    key: "project",
    engines: ["ionworks"],
    env: { ionworks: "IONWORKS_PROJECT_ID" },
    default: "none: then every Ionworks pipeline must set its own project",
    doc: "The Ionworks project a pipeline is made in when its declaration names none.",
  },
  {
    key: "caFile",
    engines: ALL,
    default: "none: the system's certificate authorities only",
    doc: "A PEM file of a private certificate authority, trusted besides the system's; TLS is always verified.",
  },
  {
    key: "timeoutSeconds",
    engines: ALL,
    default: `${DEFAULT_ATTEMPT_TIMEOUT_MS / 1000} seconds`,
    doc:
      `How long one request waits for the server's answer, in seconds. Reads, updates and deletes that fail for a ` +
      `passing reason (a timeout, 408, 429, 502, 503, 504) are tried up to ${MAX_ATTEMPTS} times within ` +
      `${DEFAULT_BUDGET_MS / 1000} seconds; creates are sent once.`,
  },
];

/** The variable whose presence means the environment gives the target named after the engine. */
export const ENV_PRESENCE: Record<Engine, string> = {
  mage: "MAGE_URL",
  feldera: "FELDERA_HOST",
  ionworks: "IONWORKS_API_KEY",
};

/** The target named after `engine`, from the environment variables TARGET_KEYS name, if its variable is set. */
function fromEnv(engine: Engine, env: NodeJS.ProcessEnv): TargetSettings | undefined {
  if (!env[ENV_PRESENCE[engine]]) return undefined;
  const out: Record<string, string | undefined> = {};
  for (const k of TARGET_KEYS) {
    const name = k.env?.[engine];
    if (name) out[k.key] = env[name];
  }
  if (engine === "ionworks") out.url ??= IONWORKS_DEFAULT_URL;
  return out;
}

/**
 * The raw settings of target `name` for `engine`, from (first match wins):
 *  - stack config `pipelines:targets` → { <name>: { engine, url, …credentials } }
 *  - stack config `pipelines:<engine>` (the target named after the engine)
 *  - environment variables (the target named after the engine)
 */
export function targetSettings(engine: Engine, name: string, source: TargetSource): TargetSettings & { url: string } {
  const env = source.env ?? process.env;
  const named = readJson<Record<string, TargetSettings>>(source, "pipelines:targets")?.[name];
  if (named) {
    if (named.engine && named.engine !== engine)
      throw new Error(`target '${name}' is a ${named.engine} server, not ${engine}`);
    return requireUrl(name, named);
  }
  if (name === engine) {
    const fromConfig = readJson<TargetSettings>(source, `pipelines:${engine}`) ?? fromEnv(engine, env);
    if (fromConfig) return requireUrl(name, fromConfig);
  }
  throw new Error(
    `no ${engine} target '${name}': set stack config pipelines:targets.${name} with engine: ${engine} and url` +
      (name === engine ? ` (or pipelines:${engine}, or the ${ENV_PRESENCE[engine]} environment variable)` : ""),
  );
}

/** The engine a named target in stack config says it is, if it is one. */
export function namedTargetEngine(source: TargetSource, name: string): Engine | undefined {
  return readJson<Record<string, TargetSettings>>(source, "pipelines:targets")?.[name]?.engine as Engine | undefined;
}

export function mageTarget(source: TargetSource, name: string = DEFAULT_MAGE_TARGET): MageTarget {
  const raw = targetSettings("mage", name, source);
  return {
    url: raw.url,
    email: raw.email ?? undefined,
    password: raw.password ?? undefined,
    apiKey: raw.apiKey ?? undefined,
    timeoutMs: timeout(raw),
    ca: caOf(raw),
  };
}

export function felderaTarget(source: TargetSource, name: string = DEFAULT_FELDERA_TARGET): FelderaTarget {
  const raw = targetSettings("feldera", name, source);
  return { url: raw.url, apiKey: raw.apiKey ?? undefined, timeoutMs: timeout(raw), ca: caOf(raw) };
}

export function ionworksTarget(source: TargetSource, name: string = DEFAULT_IONWORKS_TARGET): IonworksTarget {
  const raw = targetSettings("ionworks", name, source);
  if (!raw.apiKey)
    throw new Error(
      `ionworks target '${name}' has no apiKey (set it as a secret: pulumi config set --secret --path pipelines:targets.${name}.apiKey …, or IONWORKS_API_KEY)`,
    );
  return {
    url: raw.url,
    apiKey: raw.apiKey,
    project: raw.project ?? (source.env ?? process.env).IONWORKS_PROJECT_ID ?? undefined,
    timeoutMs: timeout(raw),
    ca: caOf(raw),
  };
}

/** A target's `caFile`: PEM certificates of a private CA, trusted besides the system's. */
export function caOf(raw: TargetSettings): string | undefined {
  if (!raw.caFile) return undefined;
  try {
    return require("node:fs").readFileSync(raw.caFile, "utf8");
  } catch {
    throw new Error(`caFile '${raw.caFile}' cannot be read`);
  }
}

function timeout(raw: TargetSettings): number | undefined {
  return raw.timeoutSeconds ? Number(raw.timeoutSeconds) * 1000 : undefined;
}

function requireUrl(name: string, given: TargetSettings): TargetSettings & { url: string } {
  const raw =
    (given.engine ?? "") === "ionworks" || name === "ionworks" ? { url: IONWORKS_DEFAULT_URL, ...given } : given;
  if (!raw.url || typeof raw.url !== "string") throw new Error(`target '${name}' has no url`);
  return { ...raw, url: raw.url };
}
