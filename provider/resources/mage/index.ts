// Mage's resource classes, each made from its kind's descriptor (./pipeline.ts, ./block.ts, ./schedule.ts,
// ./secret.ts) by the one class factory. The args are the declaration's resource inputs (declarations/types.ts) as
// Pulumi inputs, with resources accepted where a name goes and a file where code goes.
import type * as pulumi from "@pulumi/pulumi";
import type {
  MageBlockInputs,
  MagePipelineInputs,
  MageScheduleInputs,
  MageSecretInputs,
} from "../../declarations/types";
import type { DynamicResource } from "../dynamicResource";
import type { InputsOf } from "../inputs";
import { type OutputsOf, resourceClass } from "../resourceClass";
import { kind as block } from "./block";
import { kind as pipeline } from "./pipeline";
import { kind as schedule } from "./schedule";
import { kind as secret } from "./secret";

export type {
  BlockLanguage,
  BlockType,
  PipelineType,
  Scalar,
  ScheduleStatus,
  ScheduleType,
} from "../../backends/mage/api";

/** The declaration's fields (see MagePipelineInputs): Mage derives the uuid from the name, so a new name replaces. */
export interface PipelineArgs extends InputsOf<MagePipelineInputs> {}
export type Pipeline = DynamicResource & OutputsOf<MagePipelineInputs, typeof pipeline.outputs>;
export const Pipeline = resourceClass<PipelineArgs, Pipeline>(pipeline);

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
export type Block = DynamicResource & OutputsOf<MageBlockInputs, typeof block.outputs>;
export const Block = resourceClass<BlockArgs, Block>(block);

/** The declaration's fields (see MageScheduleInputs); the pipeline may be given as its resource. */
export interface ScheduleArgs extends InputsOf<Omit<MageScheduleInputs, "pipeline">> {
  pipeline: Pipeline | pulumi.Input<string>;
}
export type Schedule = DynamicResource & OutputsOf<MageScheduleInputs, typeof schedule.outputs>;
export const Schedule = resourceClass<ScheduleArgs, Schedule>(schedule);

/** A secret in Mage's secrets store (see MageSecretInputs); blocks read it with get_secret_value('<name>'). */
export interface SecretArgs extends InputsOf<MageSecretInputs> {}
export type Secret = DynamicResource & OutputsOf<MageSecretInputs, typeof secret.outputs>;
export const Secret = resourceClass<SecretArgs, Secret>(secret);
