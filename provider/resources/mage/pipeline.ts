import type * as pulumi from "@pulumi/pulumi";
import type { PipelineType, Scalar } from "../../backends/mage/api";
import { PIPELINE_FIELDS } from "../../backends/mage/fields";
import type { MagePipelineInputs } from "../../declarations/types";
import { DynamicResource, providerSource } from "../dynamicResource";
import type { InputsOf } from "../inputs";
import { type LookupState, lookupInputs } from "../lookup";
import { withSecretDigests } from "../secretArgs";

/** The declaration's fields (see MagePipelineInputs): Mage derives the uuid from the name, so a new name replaces. */
export interface PipelineArgs extends InputsOf<MagePipelineInputs> {}

export const provider = providerSource("pulumi-pipelines/runtime/mage/pipelineProvider");

export class Pipeline extends DynamicResource {
  /** Mage's uuid of the pipeline, derived from its name. */
  declare readonly uuid: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly type: pulumi.Output<PipelineType>;
  declare readonly description: pulumi.Output<string>;
  declare readonly tags: pulumi.Output<string[]>;
  declare readonly variables: pulumi.Output<Record<string, Scalar>>;
  declare readonly retryConfig: pulumi.Output<Record<string, unknown>>;
  declare readonly concurrencyConfig: pulumi.Output<Record<string, unknown>>;
  declare readonly executorType: pulumi.Output<string | null>;
  declare readonly runPipelineInOneProcess: pulumi.Output<boolean>;
  declare readonly cacheBlockOutputInMemory: pulumi.Output<boolean>;
  declare readonly settings: pulumi.Output<Record<string, unknown>>;
  /** With readLastRun: the last run's status on the last refresh (Mage's: initial, running, completed, failed, cancelled); "" when it never ran. */
  declare readonly lastRunStatus: pulumi.Output<string>;
  /** With readLastRun: the last run's id; 0 when it never ran. */
  declare readonly lastRunId: pulumi.Output<number>;
  /** With readLastRun: when the last run was created; "" when it never ran. */
  declare readonly lastRunAt: pulumi.Output<string>;
  declare readonly target: pulumi.Output<string>;

  constructor(name: string, args: PipelineArgs, opts?: pulumi.CustomResourceOptions) {
    const inputs =
      opts?.id !== undefined
        ? lookupInputs(args, ["uuid", ...PIPELINE_FIELDS])
        : withSecretDigests(name, { ...args, uuid: undefined });
    super(provider, name, inputs, opts, "mage", "Pipeline");
  }

  /** The live pipeline `id` (its uuid) on `state.target`, read into the stack and never written. */
  static get(name: string, id: pulumi.Input<string>, state: LookupState = {}, opts?: pulumi.CustomResourceOptions) {
    return new Pipeline(name, state as PipelineArgs, { ...opts, id });
  }
}
