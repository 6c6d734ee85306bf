// Ionworks' resource class, made from its kind's descriptor (./pipeline.ts) by the one class factory.
import type * as pulumi from "@pulumi/pulumi";
import type { IonworksBlockInputs, IonworksPipelineInputs } from "../../declarations/types";
import type { DynamicResource } from "../dynamicResource";
import type { InputsOf } from "../inputs";
import { type OutputsOf, resourceClass } from "../resourceClass";
import { kind } from "./pipeline";

export type { ElementType, WaitFor } from "../../backends/ionworks/pipeline";

/** An element (see IonworksBlockInputs). An entry may take another completed run's parameters: `config: { pipelineId: other.id }`. */
export interface ElementBlockArgs extends Omit<IonworksBlockInputs, "config"> {
  config: pulumi.Input<Record<string, unknown>>;
}

/** The declaration's fields (see IonworksPipelineInputs): a run; what it computes cannot change, so a change replaces it. */
export interface PipelineArgs extends InputsOf<Omit<IonworksPipelineInputs, "blocks">> {
  /** Elements, run in series in exactly this order. Any change replaces (re-runs). */
  blocks: ElementBlockArgs[];
}
export type Pipeline = DynamicResource & OutputsOf<IonworksPipelineInputs, typeof kind.outputs>;
export const Pipeline = resourceClass<PipelineArgs, Pipeline>(kind);
