import * as pulumi from "@pulumi/pulumi";
import type { ElementType, WaitFor } from "../../backends/ionworks/pipeline";
import { lazyProvider } from "../lazy";
import { type LookupState, lookupInputs } from "../lookup";

export interface ElementBlockArgs {
  /** Unique in the pipeline and not integer-like (JSON would reorder it). */
  name: string;
  type: ElementType;
  /**
   * The element's job config as the Ionworks schema defines it for its type.
   * An entry may take another completed run's parameters: `{ pipelineId: other.id }`.
   */
  config: pulumi.Input<Record<string, unknown>>;
}

export interface PipelineArgs {
  /** Named server from stack config (`pipelines:targets.<name>`); default `ionworks`. Changing it replaces. */
  target?: pulumi.Input<string>;
  name: pulumi.Input<string>;
  description?: pulumi.Input<string>;
  /** Project id; default: the target's project (IONWORKS_PROJECT_ID). Changing it replaces. */
  project?: pulumi.Input<string>;
  /** Changing them replaces (re-runs). */
  options?: pulumi.Input<Record<string, unknown>>;
  /** Elements, run in series in exactly this order. Any change replaces (re-runs). */
  blocks: ElementBlockArgs[];
  /** completed (default): wait for the run; submitted: return once accepted. */
  waitFor?: pulumi.Input<WaitFor>;
  /** How long to wait for completion (default 3600 s). */
  timeoutSeconds?: pulumi.Input<number>;
  /** Take over the newest run of this name in the project, as it is, instead of submitting one. */
  adopt?: pulumi.Input<boolean>;
}

/** The serialized provider (it only delegates to pulumi-pipelines/runtime/ionworks/pipelineProvider). */
export const provider = lazyProvider("pulumi-pipelines/runtime/ionworks/pipelineProvider");

export class Pipeline extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  declare readonly status: pulumi.Output<string>;
  declare readonly error: pulumi.Output<string>;
  declare readonly elementStatuses: pulumi.Output<Record<string, string>>;
  /** Parameter values the run produced (available once completed). */
  declare readonly result: pulumi.Output<Record<string, unknown>>;
  declare readonly configHash: pulumi.Output<string>;
  /** What an update does (shown by preview): a replace re-runs the compute. */
  declare readonly updatePlan: pulumi.Output<string>;

  constructor(name: string, args: PipelineArgs, opts?: pulumi.CustomResourceOptions) {
    const lookup = opts?.id !== undefined;
    super(
      provider,
      name,
      lookup ? lookupInputs(args, OUTPUTS) : { ...args, ...Object.fromEntries(STATUS.map((k) => [k, undefined])) },
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
