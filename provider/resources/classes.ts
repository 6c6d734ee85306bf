// Each kind's TypeScript class by its `<engine>:<Name>`, for the GitOps program: the classes users import
// (`mage.Block`) are the ones it registers.
import type * as pulumi from "@pulumi/pulumi";
import * as feldera from "./feldera";
import * as ionworks from "./ionworks";
import { KINDS, type ResourceType } from "./kinds";
import * as mage from "./mage";
import type { ResourceClass } from "./resourceClass";

/** The engines' class namespaces, as `pulumi-pipelines` exports them. */
export const NAMESPACES: Record<string, Record<string, unknown>> = { mage, feldera, ionworks };

export function classOf(type: ResourceType): ResourceClass<Record<string, unknown>, pulumi.CustomResource> {
  const { engine, name } = KINDS[type];
  return NAMESPACES[engine][name] as ResourceClass<Record<string, unknown>, pulumi.CustomResource>;
}
