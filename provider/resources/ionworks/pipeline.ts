import type * as pulumi from "@pulumi/pulumi";
import type { IonworksBlockInputs, IonworksPipelineInputs } from "../../declarations/types";
import { DynamicResource, providerSource } from "../dynamicResource";
import type { InputsOf } from "../inputs";
import { type LookupState, lookupInputs } from "../lookup";
import { withSecretDigests } from "../secretArgs";

/** An element (see IonworksBlockInputs). An entry may take another completed run's parameters: `config: { pipelineId: other.id }`. */
export interface ElementBlockArgs extends Omit<IonworksBlockInputs, "config"> {
  config: pulumi.Input<Record<string, unknown>>;
}

/** The declaration's fields (see IonworksPipelineInputs): a run; what it computes cannot change, so a change replaces it. */
export interface PipelineArgs extends InputsOf<Omit<IonworksPipelineInputs, "blocks">> {
  /** Elements, run in series in exactly this order. Any change replaces (re-runs). */
  blocks: ElementBlockArgs[];
}

/** The serialized provider (it only delegates to pulumi-pipelines/runtime/ionworks/pipelineProvider). */
export const provider = providerSource("pulumi-pipelines/runtime/ionworks/pipelineProvider");

export class Pipeline extends DynamicResource {
  declare readonly name: pulumi.Output<string>;
  /** The run's status on Ionworks as of the last up or refresh (pending, running, completed, failed, cancelled). */
  declare readonly status: pulumi.Output<string>;
  /** Why the run failed, "" when it did not. */
  declare readonly error: pulumi.Output<string>;
  /** Each element's status in the run, by block name. */
  declare readonly elementStatuses: pulumi.Output<Record<string, string>>;
  /** Parameter values the run produced (available once completed). */
  declare readonly result: pulumi.Output<Record<string, unknown>>;
  /** SHA-256 of the submitted configuration (project, options, elements in order): refresh compares it instead of the server's echo. */
  declare readonly configHash: pulumi.Output<string>;
  /** What an update does (shown by preview): a replace re-runs the compute. */
  declare readonly updatePlan: pulumi.Output<string>;

  constructor(name: string, args: PipelineArgs, opts?: pulumi.CustomResourceOptions) {
    const lookup = opts?.id !== undefined;
    super(
      provider,
      name,
      lookup
        ? lookupInputs(args, OUTPUTS)
        : withSecretDigests(name, { ...args, ...Object.fromEntries(STATUS.map((k) => [k, undefined])) }),
      opts,
      "ionworks",
      "Pipeline",
    );
  }

  /** The run `id` on `state.target`, read into the stack and never written. */
  static get(name: string, id: pulumi.Input<string>, state: LookupState = {}, opts?: pulumi.CustomResourceOptions) {
    return new Pipeline(name, state as PipelineArgs, { ...opts, id });
  }
}

/** Outputs the server fills in. */
const STATUS = ["status", "error", "elementStatuses", "result", "configHash", "updatePlan"];
const OUTPUTS = ["name", "description", "project", "options", "blocks", ...STATUS];
