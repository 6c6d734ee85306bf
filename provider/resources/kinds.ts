// The one list of resource kinds. Each entry holds what every path needs of a kind: its resource class (TypeScript
// programs and the GitOps program register it), its provider and Kind (fields, replaces, the declaration type its
// inputs are checked against, its rules; the review diffs with it), and how the docs introduce it. The program's
// resource types, the review's providers and type tokens, and the reference pages all derive from it: a new
// kind is one entry here, plus its YAML form in declarations/.
import type * as pulumi from "@pulumi/pulumi";
import * as feldera from "./feldera";
import * as felderaPipeline from "./feldera/pipelineProvider";
import * as ionworks from "./ionworks";
import * as ionworksPipeline from "./ionworks/pipelineProvider";
import type { Kind, KindProvider } from "./kindProvider";
import * as mage from "./mage";
import * as mageBlock from "./mage/blockProvider";
import * as magePipeline from "./mage/pipelineProvider";
import * as mageSchedule from "./mage/scheduleProvider";
import * as mageSecret from "./mage/secretProvider";

type ResourceClass = new (name: string, args: any, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource;

export interface KindEntry {
  engine: "mage" | "feldera" | "ionworks";
  /** The class name, as TypeScript users write it after the engine (`mage.Block`). */
  name: string;
  resource: ResourceClass;
  provider: KindProvider;
  kind: Kind<any>;
  /**
   * For the reference page: what it is on the server, where YAML declares it, and the id `pulumi import`
   * takes (or why it cannot be imported).
   */
  doc: { page: string; summary: string; yaml: string; classFile: string; importId: string };
}

export const KINDS = {
  "mage:Pipeline": {
    engine: "mage",
    name: "Pipeline",
    resource: mage.Pipeline,
    provider: magePipeline.provider,
    kind: magePipeline.kind,
    doc: {
      page: "mage-pipeline.md",
      summary:
        "A Mage pipeline: its settings, variables and run configuration (blocks and triggers are resources of their own).",
      yaml: "an entry of `pipelines:` with `engine: mage`",
      classFile: "provider/resources/mage/pipeline.ts",
      importId: "the pipeline's uuid",
    },
  },
  "mage:Block": {
    engine: "mage",
    name: "Block",
    resource: mage.Block,
    provider: mageBlock.provider,
    kind: mageBlock.kind,
    doc: {
      page: "mage-block.md",
      summary: "A block of a Mage pipeline: its code file, type, upstream blocks and configuration.",
      yaml: "an entry of a Mage pipeline's `blocks:`",
      classFile: "provider/resources/mage/block.ts",
      importId: "`<pipeline uuid>/<block uuid>`",
    },
  },
  "mage:Schedule": {
    engine: "mage",
    name: "Schedule",
    resource: mage.Schedule,
    provider: mageSchedule.provider,
    kind: mageSchedule.kind,
    doc: {
      page: "mage-schedule.md",
      summary: "A Mage trigger (pipeline schedule): time, event or API, with its status and settings.",
      yaml: "an entry of a Mage pipeline's `schedules:`",
      classFile: "provider/resources/mage/schedule.ts",
      importId: "the trigger's id (a number)",
    },
  },
  "mage:Secret": {
    engine: "mage",
    name: "Secret",
    resource: mage.Secret,
    provider: mageSecret.provider,
    kind: mageSecret.kind,
    doc: {
      page: "mage-secret.md",
      summary: "A secret in Mage's secrets store, its value taken from stack config or the environment.",
      yaml: "an entry of the file's top-level `secrets:`",
      classFile: "provider/resources/mage/secret.ts",
      importId: "none: Mage never returns a secret's value, so declare it with `adopt: true` instead",
    },
  },
  "feldera:Pipeline": {
    engine: "feldera",
    name: "Pipeline",
    resource: feldera.Pipeline,
    provider: felderaPipeline.provider,
    kind: felderaPipeline.kind,
    doc: {
      page: "feldera-pipeline.md",
      summary:
        "A Feldera pipeline: its SQL program assembled from blocks, runtime and program config, and desired state.",
      yaml: "an entry of `pipelines:` with `engine: feldera`",
      classFile: "provider/resources/feldera/pipeline.ts",
      importId: "the pipeline's name",
    },
  },
  "ionworks:Pipeline": {
    engine: "ionworks",
    name: "Pipeline",
    resource: ionworks.Pipeline,
    provider: ionworksPipeline.provider,
    kind: ionworksPipeline.kind,
    doc: {
      page: "ionworks-pipeline.md",
      summary: "An Ionworks pipeline run: its elements (entry, calculation, fit, validation) submitted as one run.",
      yaml: "an entry of `pipelines:` with `engine: ionworks`",
      classFile: "provider/resources/ionworks/pipeline.ts",
      importId: "the run's id",
    },
  },
} as const satisfies Record<string, KindEntry>;

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
