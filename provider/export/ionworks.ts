// Live Ionworks runs → declarations. A pipeline is a run, so the newest run
// of each name is what a declaration of that name adopts; its elements'
// stored job configs become the blocks, in run order. An entry that took the
// parameters of another exported run says so with fromPipeline.

import type { Element, Run } from "../backends/ionworks/api";
import { blocksFromElements } from "../backends/ionworks/pipeline";
import type { IonworksBlock, IonworksPipeline } from "../declarations/types";
import { compact, nonEmpty, type Skipped } from "./files";

export interface RunToExport {
  /** GET /pipelines row. */
  run: Run;
  /** GET /pipelines/{id}/elements. */
  elements: Element[];
}

/** The runs a declaration can adopt: per name the newest, if it did not fail. Runs are newest first. */
export function runsToDeclare(runs: Run[]): { chosen: Run[]; skipped: Skipped[] } {
  const chosen: Run[] = [];
  const skipped: Skipped[] = [];
  const seen = new Map<string, number>();
  for (const run of runs) {
    const older = seen.get(run.name);
    if (older !== undefined) {
      seen.set(run.name, older + 1);
      continue;
    }
    seen.set(run.name, 0);
    if (["failed", "canceled"].includes(run.status))
      skipped.push({
        what: `Ionworks run '${run.name}' (${run.id})`,
        why: `the newest run of this name ${run.status}; adopt takes over only runs that did not fail`,
      });
    else chosen.push(run);
  }
  for (const [name, n] of seen)
    if (n)
      skipped.push({
        what: `${n} older Ionworks run${n === 1 ? "" : "s"} named '${name}'`,
        why: "a declaration adopts the newest run of its name",
      });
  return { chosen, skipped };
}

/** One run; `byId` maps the ids of all exported runs to their names (for fromPipeline). */
export function exportIonworksRun(item: RunToExport, target: string, byId: Map<string, string>): IonworksPipeline {
  const blocks = blocksFromElements(item.elements).map((b): IonworksBlock => {
    const { pipeline_id: from, ...rest } = b.config as Record<string, unknown>;
    const upstream = b.type === "entry" && typeof from === "string" ? byId.get(from) : undefined;
    return upstream
      ? { name: b.name, type: b.type, config: rest, fromPipeline: upstream }
      : { name: b.name, type: b.type, config: b.config };
  });
  return compact<IonworksPipeline>({
    engine: "ionworks",
    target,
    name: item.run.name,
    adopt: true,
    description: item.run.description || undefined,
    options: nonEmpty(item.run.options),
    blocks,
  });
}
