// Where stack config is read from, as every path hands it on: the engine's configure() (provider), the program's
// pulumi.Config, or `pulumi config` run by a command (export --stack); then the environment. Types and one parser
// only: what a key means is said by its reader (targets: resources/config.ts; secrets: ./secrets.ts).

export interface ConfigSource {
  get(key: string): string | undefined;
}

/**
 * Where targets and secrets are read from: the stack config, then the environment.
 * Passed explicitly to whoever reads them; nothing holds it module-wide.
 */
export interface TargetSource {
  config?: ConfigSource;
  env?: NodeJS.ProcessEnv;
}

/**
 * A structured stack config value (set with `pulumi config set --path`), parsed; undefined when unset. `T` is the
 * shape its reader expects: the user wrote it, so a reader checks each value before it relies on it.
 */
export function readJson<T>(source: TargetSource, key: string): T | undefined {
  const text = source.config?.get(key);
  if (text === undefined || text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(
      `stack config ${key} is not a structured value; set it with 'pulumi config set --path ${key}.url …'`,
    );
  }
}
