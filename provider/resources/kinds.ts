// The one list of resource kinds: each kind's descriptor (resources/<engine>/<kind>.ts) under its `<engine>:<Name>`.
// The classes, the program's resource types, the plugin's tokens, the review's comparisons and the reference pages
// all derive from it: a new kind is one descriptor here, plus its YAML form in declarations/. No Pulumi import:
// the plugin and the review load it without the SDK.
import { kind as felderaPipeline } from "./feldera/pipeline";
import { kind as ionworksPipeline } from "./ionworks/pipeline";
import type { Kind } from "./kind";
import { kind as mageBlock } from "./mage/block";
import { kind as magePipeline } from "./mage/pipeline";
import { kind as mageSchedule } from "./mage/schedule";
import { kind as mageSecret } from "./mage/secret";

export const KINDS = {
  "mage:Pipeline": magePipeline,
  "mage:Block": mageBlock,
  "mage:Schedule": mageSchedule,
  "mage:Secret": mageSecret,
  "feldera:Pipeline": felderaPipeline,
  "ionworks:Pipeline": ionworksPipeline,
} as const satisfies Record<string, Kind>;

/** A kind as `<engine>:<Name>`, the program's and the review's key; listed in a reader's order (the docs keep it). */
export type ResourceType = keyof typeof KINDS;

export const RESOURCE_TYPES = Object.keys(KINDS) as ResourceType[];

/** The Pulumi package the provider plugin serves (provider/plugin/): its type tokens are `pipelines:<engine>:<Name>`. */
export const PACKAGE = "pipelines";

/** A kind's type token in the package (`pipelines:mage:Block`), as Python, Go, C# and YAML programs name it. */
export const tokenOf = (type: ResourceType): string => `${PACKAGE}:${type}`;

/**
 * The kind a Pulumi type token or URN names, if it is one of ours: a dynamic resource's
 * (`pulumi-nodejs:dynamic/mage:Block`) or the plugin's (`pipelines:mage:Block`).
 */
export function resourceTypeOf(urnOrType: string | undefined): ResourceType | undefined {
  const m = new RegExp(`(?:pulumi-nodejs:dynamic/|(?:^|::|\\$)${PACKAGE}:)(\\w+:\\w+)`).exec(urnOrType ?? "");
  return m && m[1] in KINDS ? (m[1] as ResourceType) : undefined;
}
