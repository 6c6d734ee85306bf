// Per-environment values in TypeScript programs, by the rule YAML declarations follow
// (declarations/environments.ts): the stack's values over the declared ones, a mapping merged key by key.
//
//   new mage.Schedule("daily", forStack(
//     { pipeline, name: "daily", type: "time", interval: "@hourly", status: "inactive" },
//     { prod: { status: "active", interval: "@daily" } },
//   ));
import * as pulumi from "@pulumi/pulumi";
import { overlay } from "../declarations/environments";

/**
 * `args` as the stack being deployed (or `stack`) sees them: its values in `environments` over the declared ones.
 * The type comes from where the args go (a resource's args), so a stack's value may differ from the declared one.
 */
export function forStack<T extends object>(
  args: NoInfer<T>,
  environments: { readonly [stack: string]: Partial<NoInfer<T>> },
  stack: string = pulumi.getStack(),
): T {
  return overlay(args, environments[stack]);
}
