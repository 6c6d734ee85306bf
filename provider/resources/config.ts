// Where targets and credentials come from: stack config handed to the
// provider's configure() (decrypted by the engine), else environment
// variables read at call time. Never resource inputs, never the closure.

import type { FelderaTarget } from "../backends/feldera/client";
import { IONWORKS_DEFAULT_URL, type IonworksTarget } from "../backends/ionworks/client";
import type { MageTarget } from "../backends/mage/client";
import { readJson, type TargetSource } from "../declarations/configSource";

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

/** Environment variables that stand for the target named after the engine. */
const ENV: Record<Engine, (env: NodeJS.ProcessEnv) => Record<string, string | undefined> | undefined> = {
  mage: (env) =>
    env.MAGE_URL
      ? { url: env.MAGE_URL, email: env.MAGE_EMAIL, password: env.MAGE_PASSWORD, apiKey: env.MAGE_API_KEY }
      : undefined,
  feldera: (env) => (env.FELDERA_HOST ? { url: env.FELDERA_HOST, apiKey: env.FELDERA_API_KEY } : undefined),
  ionworks: (env) =>
    env.IONWORKS_API_KEY
      ? {
          url: env.IONWORKS_API_URL ?? IONWORKS_DEFAULT_URL,
          apiKey: env.IONWORKS_API_KEY,
          project: env.IONWORKS_PROJECT_ID,
        }
      : undefined,
};
const ENV_NAMES: Record<Engine, string> = { mage: "MAGE_URL", feldera: "FELDERA_HOST", ionworks: "IONWORKS_API_KEY" };

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
    const fromConfig = readJson<TargetSettings>(source, `pipelines:${engine}`) ?? ENV[engine](env);
    if (fromConfig) return requireUrl(name, fromConfig);
  }
  throw new Error(
    `no ${engine} target '${name}': set stack config pipelines:targets.${name} with engine: ${engine} and url` +
      (name === engine ? ` (or pipelines:${engine}, or the ${ENV_NAMES[engine]} environment variable)` : ""),
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
