// What Pulumi stores as a dynamic resource's `__provider`: the text of a
// CommonJS module whose handler() returns the provider. Ours holds no logic:
// it loads the implementation by its package path from the program's
// directory, so state never embeds credentials, and refresh or destroy run
// the installed code rather than a stale copy (pulumi#6238).
// Keep the `pulumi-pipelines/runtime/...` paths stable: state refers to them.
//
// The text is written here rather than by Pulumi's closure serializer
// (pulumi.dynamic.Resource). State holds it twice per resource (inputs and
// outputs) and the CLI rewrites the whole state after every operation, so its
// size is paid on every checkpoint: the serializer's 1,184 characters were
// more than half of a Mage stack's state; this is an eighth of that.
import * as pulumi from "@pulumi/pulumi";
import { restorePromiseStacks, stopPromiseStacks } from "./promiseStacks";

/**
 * A resource served by Pulumi's Node dynamic-provider host (the type tokens
 * and `__provider` input of pulumi.dynamic.Resource); `provider` is a providerSource text.
 */
export abstract class DynamicResource extends pulumi.CustomResource {
  constructor(
    provider: string,
    name: string,
    props: pulumi.Inputs,
    opts: pulumi.CustomResourceOptions | undefined,
    module: string,
    type: string,
  ) {
    const limit = stopPromiseStacks();
    try {
      super(`pulumi-nodejs:dynamic/${module}:${type}`, name, { ...props, __provider: provider }, opts);
    } catch (e) {
      restorePromiseStacks(limit, e);
      throw e;
    } finally {
      restorePromiseStacks(limit);
    }
  }
}
