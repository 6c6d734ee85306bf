// What a change does to a Feldera pipeline's lifecycle, as data. The preview's
// `updatePlan` text and the review's notes are both rendered from it; nothing
// parses the text back.
import { sameJson } from "../shared/json";
import { storageBoundChanges } from "./config";
import type { DesiredState, FelderaSpec } from "./pipeline";

export interface FelderaPlan {
  /** A create marked adopt: takes over a live pipeline of the name, writing only what differs. */
  adopts: boolean;
  /** Stops the pipeline (force) before the change. */
  stops: boolean;
  /** runtime_config keys that only change with storage cleared: the update clears it. */
  clearsStorage: string[];
  /** The program changes: validated, then recompiled. */
  recompiles: boolean;
  /**
   * Started again with a changed program and its storage kept: where a
   * checkpoint exists (Feldera Enterprise, fault tolerance), the start allows
   * bootstrapping, which recomputes the views the change touches.
   */
  bootstraps: boolean;
  /** The state it is left in, when the update touches the lifecycle. */
  leaves?: DesiredState;
}

export function felderaCreatePlan(adopt: boolean): FelderaPlan | undefined {
  return adopt ? { adopts: true, stops: false, clearsStorage: [], recompiles: false, bootstraps: false } : undefined;
}

export function felderaUpdatePlan(before: FelderaSpec, after: FelderaSpec): FelderaPlan {
  const recompiles =
    !sameJson(before.blocks, after.blocks) ||
    before.udfRust !== after.udfRust ||
    before.udfToml !== after.udfToml ||
    !sameJson(before.programConfig, after.programConfig);
  const runtimeChanged = !sameJson(before.runtimeConfig, after.runtimeConfig);
  const stops = recompiles || runtimeChanged;
  const lifecycle = stops || before.desiredState !== after.desiredState;
  const clearsStorage = storageBoundChanges(before.runtimeConfig, after.runtimeConfig).map(
    (k) => `runtime_config.${k}`,
  );
  return {
    adopts: false,
    stops,
    clearsStorage,
    recompiles,
    bootstraps: recompiles && !clearsStorage.length && after.desiredState !== "stopped",
    ...(lifecycle ? { leaves: after.desiredState } : {}),
  };
}

/** The `updatePlan` output the preview shows. */
export function felderaPlanText(plan: FelderaPlan): string {
  if (plan.adopts) {
    return "takes over the live pipeline of this name if there is one: as declared, nothing is written; a differing program or config is updated (stop, recompile)";
  }
  const steps: string[] = [];
  if (plan.stops) steps.push("stops the pipeline (force)");
  if (plan.clearsStorage.length) {
    steps.push(`CLEARS ITS STORAGE (${plan.clearsStorage.join(", ")} can only change with storage cleared)`);
  }
  if (plan.recompiles) steps.push("recompiles the program (the new SQL is validated first)");
  if (plan.leaves) steps.push(`leaves it ${plan.leaves}`);
  if (plan.bootstraps) steps.push("(from a checkpoint, the changed views are bootstrapped)");
  return steps.length ? `update ${steps.join(", then ").replace(", then (", " (")}` : "no lifecycle change";
}

/** What the review says an update does beyond its fields. */
export function felderaPlanNotes(plan: FelderaPlan): string[] {
  const notes: string[] = [];
  if (plan.stops) notes.push("stops the running Feldera pipeline (force) and restarts it");
  if (plan.clearsStorage.length) {
    notes.push(
      `clears the Feldera pipeline's storage (${plan.clearsStorage.join(", ")} can only change with storage cleared)`,
    );
  }
  if (plan.recompiles) notes.push("recompiles the Feldera program");
  if (plan.bootstraps)
    notes.push("restarted from a checkpoint (Feldera Enterprise), bootstraps the views the change touches");
  return notes;
}
