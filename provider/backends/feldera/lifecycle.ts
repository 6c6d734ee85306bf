// A Feldera pipeline's lifecycle on the server, as a state machine the backend drives: from one desired state to
// another with the fewest calls (start, pause, resume, the forced stop), storage cleared where a change needs it,
// and every step waited for with a timeout, since the server moves asynchronously (compiles, provisions, stops).
import { pollUntil } from "../shared/lifecycle";
import type { DesiredState, PipelineInfo } from "./api";
import type { FelderaClient } from "./client";
import { type BlockSpan, describeSqlErrors } from "./program";

/** How long each wait may take, and how often the server is asked meanwhile. */
export interface Waits {
  compileTimeoutMs: number;
  stateTimeoutMs: number;
  pollMs: number;
}

export const DEFAULT_WAITS: Waits = { compileTimeoutMs: 600_000, stateTimeoutMs: 300_000, pollMs: 1_000 };

export const pipelinePath = (name: string) => `/v0/pipelines/${encodeURIComponent(name)}`;

export interface LiveStatus {
  programStatus: string;
  deploymentStatus: string;
  storageStatus: string;
  programVersion: number;
  /** Why the pipeline stopped when it failed (a crash, a rejected bootstrap), as `code: message`; "" when it did not. */
  deploymentError: string;
}

export function liveStatus(remote: PipelineInfo): LiveStatus {
  return {
    programStatus: remote.program_status,
    deploymentStatus: remote.deployment_status,
    storageStatus: remote.storage_status,
    programVersion: remote.program_version,
    deploymentError: describeDeploymentError(remote.deployment_error),
  };
}

function describeDeploymentError(error: PipelineInfo["deployment_error"]): string {
  return error ? `${error.error_code ? `${error.error_code}: ` : ""}${error.message}` : "";
}

/**
 * From one lifecycle state to another with the fewest calls. A start
 * dismisses an earlier deployment error (the server's default) and allows
 * bootstrapping: started again from a checkpoint (Feldera Enterprise with
 * fault tolerance), a pipeline whose program changed recomputes the changed
 * views, which the `up` that made the change approves; the server's default
 * policy would wait for an approval nobody gives. A pipeline someone else
 * started with that default is approved the same way when it waits.
 */
export async function applyDesiredState(
  client: FelderaClient,
  name: string,
  from: DesiredState,
  to: DesiredState,
  waits: Waits,
): Promise<LiveStatus> {
  if (from !== to) {
    if (to === "stopped") await stopAndWait(client, name, waits);
    else if (from === "stopped")
      await client.call("POST", `${pipelinePath(name)}/start`, {
        query: { initial: to, bootstrap_policy: "allow", dismiss_error: "true" },
        retry: true,
      });
    else await client.call("POST", `${pipelinePath(name)}/${to === "paused" ? "pause" : "resume"}`, { retry: true });
  }
  const want = to === "running" ? "Running" : to === "paused" ? "Paused" : "Stopped";
  let approved = false;
  const remote = await waitFor(client, name, waits.stateTimeoutMs, waits.pollMs, `become ${want}`, async (p) => {
    if (p.deployment_error && to !== "stopped")
      throw new Error(`Feldera pipeline '${name}' failed to start: ${describeDeploymentError(p.deployment_error)}`);
    if (p.deployment_status === "AwaitingApproval" && to !== "stopped" && !approved) {
      await client.call("POST", `${pipelinePath(name)}/approve`, { retry: true });
      approved = true;
    }
    return p.deployment_status === want;
  });
  return liveStatus(remote);
}

export async function stopAndWait(client: FelderaClient, name: string, waits: Waits): Promise<void> {
  // The open-source server only knows the forced stop (force=false is an Enterprise feature: 501).
  await client.call("POST", `${pipelinePath(name)}/stop`, { query: { force: "true" }, retry: true }); // stop, start and clear are idempotent
  await waitFor(client, name, waits.stateTimeoutMs, waits.pollMs, "stop", (p) => p.deployment_status === "Stopped");
}

export async function clearAndWait(client: FelderaClient, name: string, waits: Waits): Promise<void> {
  await client.call("POST", `${pipelinePath(name)}/clear`, { retry: true });
  await waitFor(
    client,
    name,
    waits.stateTimeoutMs,
    waits.pollMs,
    "clear its storage",
    (p) => p.storage_status === "Cleared",
  );
}

export async function waitCompiled(
  client: FelderaClient,
  name: string,
  spans: BlockSpan[],
  waits: Waits,
): Promise<void> {
  const done = await waitFor(
    client,
    name,
    waits.compileTimeoutMs,
    waits.pollMs,
    "compile",
    (p) => !["Pending", "CompilingSql", "SqlCompiled", "CompilingRust"].includes(p.program_status),
    "all",
  );
  if (done.program_status === "Success") return;
  if (done.program_status === "SqlError") {
    throw new Error(
      `Feldera pipeline '${name}': SQL does not compile:\n  ${describeSqlErrors(spans, done.program_error?.sql_compilation?.messages ?? []).join("\n  ")}`,
    );
  }
  const detail = done.program_error?.rust_compilation?.stderr || done.program_error?.system_error || "";
  throw new Error(
    `Feldera pipeline '${name}': compilation ended in ${done.program_status}${detail ? `: ${String(detail).slice(0, 2000)}` : ""}`,
  );
}

export async function waitFor(
  client: FelderaClient,
  name: string,
  timeoutMs: number,
  pollMs: number,
  what: string,
  done: (p: PipelineInfo) => boolean | Promise<boolean>,
  selector = "status",
): Promise<PipelineInfo> {
  return pollUntil(
    () => client.call<PipelineInfo>("GET", pipelinePath(name), { query: { selector } }),
    done,
    { timeoutMs, intervalMs: pollMs },
    (p) =>
      `Feldera pipeline '${name}' did not ${what} within ${timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`} (program ${p.program_status}, deployment ${p.deployment_status}, storage ${p.storage_status})`,
  );
}
