// In the program: the digests of the secrets a resource's args reference,
// added as the `secretDigests` input (a Pulumi secret, so state keeps it
// encrypted and a preview shows a new value as [secret]). A new value of a
// secret is thus a change the engine sees, though state never holds values.
import * as pulumi from "@pulumi/pulumi";
import type { ConfigSource } from "../declarations/configSource";
import { SECRET_DIGESTS, secretDigests, secretNames } from "../declarations/secrets";

/** Stack config as the program reads it (`namespace:key`). */
export const programConfig: ConfigSource = {
  get(key) {
    const at = key.indexOf(":");
    return new pulumi.Config(key.slice(0, at)).get(key.slice(at + 1));
  },
};

export function withSecretDigests<T extends object>(resource: string, args: T): T {
  const names = secretNames(plain(args));
  if (!names.length) return args;
  const digests = secretDigests(names, { config: programConfig, env: process.env }, (_name, e) => {
    throw new Error(`${resource}: ${e.message}`);
  });
  return { ...args, [SECRET_DIGESTS]: pulumi.secret(digests) };
}

/** The args without values not known yet: references are written as plain values. */
function plain(value: unknown): unknown {
  if (pulumi.Output.isInstance(value) || value instanceof Promise) return undefined;
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}
