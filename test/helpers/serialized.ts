// Loads a provider text (what state holds as `__provider`) exactly as the
// dynamic-provider host does (require-from-string with the program directory as cwd).
import { createRequire } from "node:module";
import type * as pulumi from "@pulumi/pulumi";

const fromPulumi = createRequire(require.resolve("@pulumi/pulumi"));
const requireFromString: (code: string) => any = fromPulumi("require-from-string");

export function load(text: string): pulumi.dynamic.ResourceProvider {
  return requireFromString(text).handler();
}

/** The shape of config the host hands to configure(). */
export function stackConfig(values: Record<string, unknown>) {
  const get = (key: string) => (key in values ? JSON.stringify(values[key]) : undefined);
  return { config: { get, require: (key: string) => get(key) ?? "" } } as unknown as pulumi.dynamic.ConfigureRequest;
}
