import * as pulumi from "@pulumi/pulumi";
import type { BlockLanguage, BlockType } from "../../backends/mage/api";
import { BLOCK_FIELDS } from "../../backends/mage/fields";
import { readDeclaredFile } from "../../declarations/files";
import type { MageBlockInputs } from "../../declarations/types";
import { DynamicResource, providerSource } from "../dynamicResource";
import type { InputsOf } from "../inputs";
import { type LookupState, lookupInputs } from "../lookup";
import { projectRoot } from "../projectRoot";
import { withSecretDigests } from "../secretArgs";
import type { Pipeline } from "./pipeline";

/**
 * The declaration's fields (see MageBlockInputs); the pipeline and upstream
 * blocks may be given as resources, and the code as a file.
 */
export interface BlockArgs extends InputsOf<Omit<MageBlockInputs, "pipeline" | "upstream" | "code" | "codeFile">> {
  /** The pipeline (resource, name or uuid). */
  pipeline: Pipeline | pulumi.Input<string>;
  /** The block's code, inline. Exactly one of code and codeFile. */
  code?: pulumi.Input<string>;
  /** A file holding the code, relative to the Pulumi project directory (where Pulumi.yaml is). */
  codeFile?: string;
  /** Upstream blocks (resources or names); for callback, conditional and extension blocks, the blocks they serve. */
  upstream?: (Block | pulumi.Input<string>)[];
}

export const provider = providerSource("pulumi-pipelines/runtime/mage/blockProvider");

export class Block extends DynamicResource {
  /** Mage's uuid of the block, derived from its name (a dbt model's: its file path). */
  declare readonly uuid: pulumi.Output<string>;
  declare readonly pipeline: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly type: pulumi.Output<BlockType>;
  declare readonly language: pulumi.Output<BlockLanguage>;
  declare readonly code: pulumi.Output<string>;
  declare readonly upstream: pulumi.Output<string[]>;
  declare readonly retryConfig: pulumi.Output<Record<string, unknown>>;
  declare readonly timeout: pulumi.Output<number | null>;
  declare readonly executorType: pulumi.Output<string>;
  declare readonly color: pulumi.Output<string | null>;

  constructor(name: string, args: BlockArgs, opts?: pulumi.CustomResourceOptions) {
    const lookup = opts?.id !== undefined;
    super(
      provider,
      name,
      lookup ? lookupInputs(args as LookupState, OUTPUTS) : withSecretDigests(name, inputsOf(name, args)),
      opts,
      "mage",
      "Block",
    );
  }

  /** The live block `id` (`<pipeline uuid>/<block uuid>`) on `state.target`, read into the stack and never written. */
  static get(name: string, id: pulumi.Input<string>, state: LookupState = {}, opts?: pulumi.CustomResourceOptions) {
    return new Block(name, state as BlockArgs, { ...opts, id });
  }
}

const OUTPUTS = ["uuid", ...BLOCK_FIELDS.filter((f) => f !== "extensionUuid")];

function inputsOf(name: string, args: BlockArgs): Record<string, unknown> {
  const { codeFile, pipeline, upstream, ...rest } = args;
  return {
    ...rest,
    // By name, not uuid: a name is an input, so it stays known while the
    // referenced resource is being updated in a preview (the uuid is derived).
    pipeline: isResource(pipeline) ? pipeline.name : pipeline,
    upstream: upstream?.map((u) => (u instanceof Block ? u.name : u)),
    code: codeOf(name, args),
    codeFile,
    uuid: undefined,
  };
}

function isResource(p: unknown): p is Pipeline {
  return pulumi.CustomResource.isInstance(p);
}

function codeOf(name: string, args: BlockArgs): pulumi.Input<string> {
  if (args.code !== undefined && args.codeFile !== undefined)
    throw new Error(`Block ${name}: set code or codeFile, not both`);
  // Neither: the provider's check says whether this block type needs code (global_data_product blocks have none).
  if (args.codeFile === undefined) return args.code as pulumi.Input<string>;
  return readDeclaredFile(projectRoot(), args.codeFile, `Block ${name}: codeFile`);
}
