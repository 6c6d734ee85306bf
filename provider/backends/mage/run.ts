// One run of a pipeline, started through its API trigger and waited on to the
// end, with the status of each block run: what a review stack reports on a
// pull request. And the runs' removal, since Mage keeps a deleted pipeline's
// runs (and their block runs) as rows of its database.
import type { BlockRunList, PipelineRunEnvelope, PipelineRunList } from "./api";
import type { MageClient } from "./client";
import { listSchedules } from "./schedule";

/** How one run ended (the review of any engine reports in this form). */
export interface RunOutcome {
  pipeline: string;
  status: "completed" | "failed" | "cancelled" | "timed out";
  runId?: number;
  /** The run's page in Mage's UI. */
  url?: string;
  /** Block uuids whose block run failed, in the order Mage lists them. */
  failedBlocks: string[];
  /** Why the run could not be started, when it could not. */
  error?: string;
}

/** Statuses Mage gives a pipeline run that has ended (PipelineRun.PipelineRunStatus). */
const ENDED = new Set(["completed", "failed", "cancelled"]);

export interface RunWaits {
  timeoutMs: number;
  pollMs: number;
}

export const DEFAULT_RUN_WAITS: RunWaits = { timeoutMs: 30 * 60_000, pollMs: 2_000 };

/** Starts `pipeline` through its API trigger named `trigger` and waits until the run ends (or the wait does). */
export async function runThroughApiTrigger(
  client: MageClient,
  pipeline: string,
  trigger: string,
  waits: RunWaits = DEFAULT_RUN_WAITS,
): Promise<RunOutcome> {
  // Mage starts a run only for an active trigger (a run on an inactive one stays `initial`), and allows two
  // triggers of one name: the active one is taken.
  const schedule = (await listSchedules(client, pipeline)).find(
    (s) => s.name === trigger && s.schedule_type === "api" && s.status === "active",
  );
  if (!schedule)
    return { pipeline, status: "failed", failedBlocks: [], error: `no active API trigger '${trigger}' on ${pipeline}` };
  // The trigger's own URL, as a caller outside Mage would use it; its token is a credential.
  const started = await client.call<PipelineRunEnvelope>(
    "POST",
    `/api/pipeline_schedules/${schedule.id}/pipeline_runs/${schedule.token}`,
    { body: { pipeline_run: { variables: {} } }, secrets: [schedule.token] },
  );
  const runId = started.pipeline_run.id;
  const url = `${client.url}/pipelines/${encodeURIComponent(pipeline)}/runs/${runId}`;
  const deadline = Date.now() + waits.timeoutMs;
  let status = started.pipeline_run.status;
  while (!ENDED.has(status)) {
    if (Date.now() > deadline)
      return {
        pipeline,
        status: "timed out",
        runId,
        url,
        failedBlocks: [],
        // `initial` means Mage's scheduler never picked the run up (it starts runs every few seconds).
        error: `still ${status} after ${Math.round(waits.timeoutMs / 1000)} s`,
      };
    await new Promise((r) => setTimeout(r, waits.pollMs));
    status = (await client.call<PipelineRunEnvelope>("GET", `/api/pipeline_runs/${runId}`)).pipeline_run.status;
  }
  const blocks = await client.call<BlockRunList>("GET", "/api/block_runs", {
    query: { pipeline_run_id: String(runId), _limit: "10000" },
  });
  const failedBlocks = (blocks.block_runs ?? []).filter((b) => b.status === "failed").map((b) => b.block_uuid);
  return { pipeline, status: status as RunOutcome["status"], runId, url, failedBlocks };
}

/** Deletes every run of `pipeline` (with its block runs: Mage's own delete removes both). */
export async function deletePipelineRuns(client: MageClient, pipeline: string): Promise<number> {
  const { pipeline_runs } = await client.call<PipelineRunList>("GET", "/api/pipeline_runs", {
    query: { pipeline_uuid: pipeline, _limit: "10000" },
  });
  for (const run of pipeline_runs ?? []) await client.call("DELETE", `/api/pipeline_runs/${run.id}`);
  return pipeline_runs?.length ?? 0;
}
