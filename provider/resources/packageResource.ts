// A kind as the Pulumi package's own type (`pipelines:<engine>:<Kind>`), served by the provider plugin
// (provider/plugin): the `plugin` family (./families.ts). The plugin reads files and adds the secrets' digests
// in its check, so the args go as declared.
import * as pulumi from "@pulumi/pulumi";
import { registeredFields } from "./kind";
import { KINDS, type ResourceType, tokenOf } from "./kinds";
import { withoutPromiseStacks } from "./promiseStacks";

/** pulumi.CustomResource is abstract; the package's resources need nothing beyond it. */
class PackageResource extends pulumi.CustomResource {}

/** A kind as the package's resource type, with every input and output registered so each is an Output. */
export function packageResource(type: ResourceType, name: string, args: pulumi.Inputs): pulumi.CustomResource {
  const unset = Object.fromEntries(registeredFields(KINDS[type]).map((k) => [k, undefined]));
  return withoutPromiseStacks(() => new PackageResource(tokenOf(type), name, { ...unset, ...args }));
}
