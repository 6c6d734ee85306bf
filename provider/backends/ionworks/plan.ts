// What a change does to an Ionworks run, as data: a run cannot change, so any
// change to what it computes submits a new one. The preview's `updatePlan`
// text and the review's notes are both rendered from it.
import { sameJson } from "../shared/json";
import type { IonworksSpec } from "./pipeline";

export interface IonworksPlan {
  /** A create marked adopt: takes over the newest run of the name as it is. */
  adopts: boolean;
  /** A new run is submitted (its compute runs): on a create, or on a replace. */
  submits: "none" | "create" | "replace";
  /** On a replace, the declared fields that changed what the run computes. */
  because: string[];
  /** Only the name or description changes, in place. */
  renames: boolean;
}

/** Fields that are what a run computes: a change to any of them is a new run. */
export const RUN_FIELDS = ["project", "options", "blocks"] as const;

export function ionworksCreatePlan(adopt: boolean): IonworksPlan {
  return { adopts: adopt, submits: adopt ? "none" : "create", because: [], renames: false };
}

export function ionworksUpdatePlan(before: IonworksSpec, after: IonworksSpec): IonworksPlan {
  const because = RUN_FIELDS.filter((k) => !sameJson(before[k], after[k]));
  const renames = !because.length && (before.name !== after.name || before.description !== after.description);
  return { adopts: false, submits: because.length ? "replace" : "none", because, renames };
}

/** The `updatePlan` output the preview shows. */
export function ionworksPlanText(plan: IonworksPlan): string {
  if (plan.adopts) {
    return "takes over the newest run of this name as it is (no compute); submits a new run only if there is none";
  }
  if (plan.submits === "create") {
    return "SUBMITS A NEW RUN: its compute runs (on a replace: runs again); any old run is deleted after";
  }
  if (plan.submits === "replace") {
    return `REPLACES the run (${plan.because.join(", ")} changed): a new pipeline is submitted and its compute runs again; the old run is deleted after`;
  }
  return plan.renames ? "renames/describes the run in place (no compute)" : "no change to the run";
}
