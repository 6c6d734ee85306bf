// The TypeScript `*Args` are the declaration types' resource inputs
// (provider/declarations/types.ts) as Pulumi inputs: one field model for the
// schema, the YAML loader, check() and the TypeScript API.
import type * as pulumi from "@pulumi/pulumi";

/** A value where any field, list entry or map value may also be an Output or a Promise. */
export type DeepInput<T> = pulumi.Input<
  T extends readonly (infer U)[] ? DeepInput<U>[] : T extends object ? { [K in keyof T]: DeepInput<T[K]> } : T
>;

/** Each field of a declared shape as a Pulumi input. */
export type InputsOf<T> = { [K in keyof T]: DeepInput<Exclude<T[K], undefined>> };
