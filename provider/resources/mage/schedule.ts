import * as pulumi from "@pulumi/pulumi";
import type { ScheduleStatus } from "../../backends/mage/api";
import { TRIGGER_SECRET_OUTPUTS } from "../../backends/mage/fields";
import type { MageScheduleInputs } from "../../declarations/types";
import { DynamicResource, providerSource } from "../dynamicResource";
import type { InputsOf } from "../inputs";
import { type LookupState, lookupInputs } from "../lookup";
import { withSecretDigests } from "../secretArgs";
import type { Pipeline } from "./pipeline";

/** The declaration's fields (see MageScheduleInputs); the pipeline may be given as its resource. */
export interface ScheduleArgs extends InputsOf<Omit<MageScheduleInputs, "pipeline">> {
  pipeline: Pipeline | pulumi.Input<string>;
}

export const provider = providerSource("pulumi-pipelines/runtime/mage/scheduleProvider");

export class Schedule extends DynamicResource {
  /** Mage's id of the trigger (pipeline_schedules row): deletes remove exactly this row. */
  declare readonly scheduleId: pulumi.Output<number>;
  /** For api triggers: the URL that starts a run (secret: it embeds the token). */
  declare readonly runUrl: pulumi.Output<string>;
  /** For api triggers: the run token (secret). */
  declare readonly token: pulumi.Output<string>;
  declare readonly status: pulumi.Output<ScheduleStatus>;

  constructor(name: string, args: ScheduleArgs, opts?: pulumi.CustomResourceOptions) {
    const { pipeline, ...rest } = args;
    const inputs =
      opts?.id !== undefined
        ? lookupInputs(args as LookupState, ["name", "type", "interval", "status", "scheduleId", "runUrl", "token"])
        : withSecretDigests(name, {
            ...rest,
            pipeline: pulumi.CustomResource.isInstance(pipeline) ? (pipeline as Pipeline).name : pipeline,
            scheduleId: undefined,
            runUrl: undefined,
            token: undefined,
          });
    super(
      provider,
      name,
      inputs,
      pulumi.mergeOptions(opts, { additionalSecretOutputs: [...TRIGGER_SECRET_OUTPUTS] }),
      "mage",
      "Schedule",
    );
  }

  /** The live trigger `id` of `state.pipeline` on `state.target`, read into the stack and never written. */
  static get(name: string, id: pulumi.Input<string>, state: LookupState = {}, opts?: pulumi.CustomResourceOptions) {
    return new Schedule(name, state as ScheduleArgs, { ...opts, id });
  }
}
