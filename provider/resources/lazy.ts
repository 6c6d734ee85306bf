// The provider object Pulumi serializes into state. It holds no logic: each
// call loads the implementation by its package path from the program's
// directory, so state stays small, never embeds credentials, and refresh or
// destroy run the installed code rather than a stale copy (pulumi#6238).
// Keep the `pulumi-pipelines/runtime/...` paths stable: state refers to them.
import type * as pulumi from "@pulumi/pulumi";

export function lazyProvider(moduleId: string): pulumi.dynamic.ResourceProvider {
  const load = (): pulumi.dynamic.ResourceProvider => {
    const { createRequire } = require("node:module");
    return createRequire(`${process.cwd()}/`)(moduleId).provider;
  };
  return {
    configure: (req) => load().configure!(req),
    check: (olds, news) => load().check!(olds, news),
    diff: (id, olds, news) => load().diff!(id, olds, news),
    create: (inputs) => load().create(inputs),
    read: (id, props) => load().read!(id, props),
    update: (id, olds, news) => load().update!(id, olds, news),
    delete: (id, props) => load().delete!(id, props),
  };
}
