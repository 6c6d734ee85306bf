// A review's read-back of a running Feldera pipeline: each view asked for is
// queried ad hoc (`SELECT * FROM <view> LIMIT n`, JSON lines), so a review
// shows the pipeline answers, and how many rows each view holds so far.
import type { PipelineInfo } from "./api";
import type { FelderaClient } from "./client";

export interface ViewRead {
  view: string;
  /** Rows read, up to the limit asked for. */
  rows: number;
}

export interface ReadBack {
  pipeline: string;
  status: "completed" | "failed";
  /** The deployment status the pipeline had when it was read. */
  deploymentStatus: string;
  views: ViewRead[];
  error?: string;
}

/** Reads up to `limit` rows of each view (a table or materialized view: Feldera queries no other) of `pipeline`. */
export async function readViews(
  client: FelderaClient,
  pipeline: string,
  views: string[],
  limit = 10,
): Promise<ReadBack> {
  const path = `/v0/pipelines/${encodeURIComponent(pipeline)}`;
  const info = await client.call<PipelineInfo>("GET", path, { query: { selector: "status" } });
  const out: ReadBack = { pipeline, status: "completed", deploymentStatus: info.deployment_status, views: [] };
  if (info.deployment_status !== "Running")
    return { ...out, status: "failed", error: `the pipeline is ${info.deployment_status}, not Running` };
  for (const view of views) {
    try {
      const text = await client.call<unknown>("GET", `${path}/query`, {
        query: { sql: `SELECT * FROM "${view.replace(/"/g, '""')}" LIMIT ${limit}`, format: "json" },
      });
      out.views.push({ view, rows: jsonLines(text) });
    } catch (e) {
      return { ...out, status: "failed", error: `reading view ${view}: ${(e as Error).message}` };
    }
  }
  return out;
}

/** Rows in a JSON-lines answer: the client parses a one-row answer as JSON, and gives more as text. */
function jsonLines(answer: unknown): number {
  if (answer === undefined || answer === null || answer === "") return 0;
  if (typeof answer !== "string") return 1;
  return answer.split("\n").filter((l) => l.trim() !== "").length;
}
