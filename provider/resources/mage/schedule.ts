import * as pulumi from "@pulumi/pulumi";
import type { Scalar } from "../../backends/mage/pipeline";
import type { ScheduleStatus, ScheduleType } from "../../backends/mage/schedule";
import { lazyProvider } from "../lazy";
import { type LookupState, lookupInputs } from "../lookup";
import type { Pipeline } from "./pipeline";

export interface ScheduleArgs {
  target?: pulumi.Input<string>;
  pipeline: Pipeline | pulumi.Input<string>;
  name: pulumi.Input<string>;
  /** time: runs on `interval`; api: runs when `runUrl` is called; event: runs on matched events. */
  type: pulumi.Input<ScheduleType>;
  /** `@once`, `@hourly`, `@daily`, `@weekly`, `@monthly`, `@always_on` or a cron expression. */
  interval?: pulumi.Input<string>;
  /** ISO-8601; stored in UTC. */
  startTime?: pulumi.Input<string>;
  /** Default `inactive`, as Mage creates triggers. */
  status?: pulumi.Input<ScheduleStatus>;
  description?: pulumi.Input<string>;
  variables?: pulumi.Input<Record<string, pulumi.Input<Scalar>>>;
  tags?: pulumi.Input<pulumi.Input<string>[]>;
  /** Seconds after which a run counts as late. */
  sla?: pulumi.Input<number>;
  /** Mage trigger settings, e.g. `{ skip_if_previous_running: true, timeout: 600 }`. */
  settings?: pulumi.Input<Record<string, unknown>>;
  /** Take over the live trigger of this name (exactly one must exist) instead of creating one. */
  adopt?: pulumi.Input<boolean>;
}

export const provider = lazyProvider("pulumi-pipelines/runtime/mage/scheduleProvider");

export class Schedule extends pulumi.dynamic.Resource {
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
        : {
            ...rest,
            pipeline: pulumi.CustomResource.isInstance(pipeline) ? (pipeline as Pipeline).name : pipeline,
            scheduleId: undefined,
            runUrl: undefined,
            token: undefined,
          };
    super(
      provider,
      name,
      inputs,
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["token", "runUrl"] }),
      "mage",
      "Schedule",
    );
  }

  /** The live trigger `id` of `state.pipeline` on `state.target`, read into the stack and never written. */
  static get(name: string, id: pulumi.Input<string>, state: LookupState = {}, opts?: pulumi.CustomResourceOptions) {
    return new Schedule(name, state as ScheduleArgs, { ...opts, id });
  }
}
