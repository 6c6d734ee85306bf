// The dynamic provider of a kind: Pulumi's Node dynamic-provider host loads it
// from pulumi-pipelines/runtime/<engine>/<kind>Provider (the provider text in
// state names that module) and hands it each call, which goes to the kind's
// calls (kindCalls.ts) with the stack config configure() was handed.
import type * as pulumi from "@pulumi/pulumi";
import type { TargetSource } from "./config";
import type { Kind } from "./kind";
import { kindCalls } from "./kindCalls";

/** What Pulumi's Node dynamic-provider host loads and calls. */
export type DynamicProvider = pulumi.dynamic.ResourceProvider;

export function kindProvider(kind: Kind): DynamicProvider {
  const calls = kindCalls(kind);
  // The stack config arrives in configure(), once per provider process; until then, the environment alone.
  let targets: TargetSource = {};
  return {
    async configure(req) {
      targets = { config: req.config };
    },
    async check(olds, news) {
      const { inputs, failures } = await calls.check(olds, news, targets);
      return failures.length ? { inputs, failures } : { inputs };
    },
    diff: async (_id, olds, news) => calls.diff(olds, news),
    create: (inputs) => calls.create(inputs, targets),
    read: (id, props) => calls.read(id, props, targets),
    update: (id, olds, news) => calls.update(id, olds, news, targets),
    delete: (id, props) => calls.delete(id, props, targets),
  };
}
