// Where targets and credentials come from: stack config handed to the
// provider's configure() (decrypted by the engine), else environment
// variables read at call time. Never resource inputs, never the closure.
import type { MageTarget } from "../backends/mage/client";

interface ConfigSource {
  get(key: string): string | undefined;
}

let stackConfig: ConfigSource | undefined;

/** Called by the dynamic provider host once per process with the whole stack config. */
export function setStackConfig(config: ConfigSource | undefined): void {
  stackConfig = config;
}

export const DEFAULT_MAGE_TARGET = "mage";

/**
 * A Mage target named `name`, from (first match wins):
 *  - stack config `pipelines:targets` → { <name>: { engine: mage, url, email, password, apiKey } }
 *  - stack config `pipelines:mage` (the target named "mage")
 *  - env MAGE_URL, MAGE_EMAIL, MAGE_PASSWORD, MAGE_API_KEY (the target named "mage")
 */
export function mageTarget(name: string = DEFAULT_MAGE_TARGET, env: NodeJS.ProcessEnv = process.env): MageTarget {
  const named = readJson("pipelines:targets")?.[name];
  if (named) {
    if (named.engine && named.engine !== "mage") throw new Error(`target '${name}' is a ${named.engine} server, not Mage`);
    return asMage(name, named);
  }
  if (name === DEFAULT_MAGE_TARGET) {
    const fromConfig = readJson("pipelines:mage");
    if (fromConfig) return asMage(name, fromConfig);
    if (env.MAGE_URL) {
      return asMage(name, { url: env.MAGE_URL, email: env.MAGE_EMAIL, password: env.MAGE_PASSWORD, apiKey: env.MAGE_API_KEY });
    }
  }
  throw new Error(
    `no Mage target '${name}': set stack config pipelines:targets.${name} ` +
      (name === DEFAULT_MAGE_TARGET ? "(or pipelines:mage, or the MAGE_URL environment variable)" : "with engine: mage and url"),
  );
}

function asMage(name: string, raw: any): MageTarget {
  if (!raw.url || typeof raw.url !== "string") throw new Error(`target '${name}' has no url`);
  return {
    url: raw.url,
    email: raw.email ?? undefined,
    password: raw.password ?? undefined,
    apiKey: raw.apiKey ?? undefined,
    timeoutMs: raw.timeoutSeconds ? Number(raw.timeoutSeconds) * 1000 : undefined,
  };
}

function readJson(key: string): any {
  const text = stackConfig?.get(key);
  if (text === undefined || text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`stack config ${key} is not a structured value; set it with 'pulumi config set --path ${key}.url …'`);
  }
}
