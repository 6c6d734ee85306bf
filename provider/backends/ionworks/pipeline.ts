// Ionworks pipelines: a pipeline is a run. POST /pipelines submits ordered
// elements that execute in series; afterwards only name and description can
// change (PATCH), so any other change is a new run (replace).

import { createHash } from "node:crypto";
import { createOnce } from "../../http/client";
import { canonicalJson, holdsDeclared } from "../shared/json";
import { pollUntil } from "../shared/lifecycle";
import type { SpecInput } from "../shared/specInput";
import type { Element, Run, RunPage, RunPatch, RunResult } from "./api";
import { type IonworksClient, IonworksValidationError, isNotFound, type ValidationIssue } from "./client";

/** The element types of ionworks-schema 0.33 (its _element_registry: schema_class_for). */
export const ELEMENT_TYPES = [
  "entry",
  "data_fit",
  "array_data_fit",
  "calculation",
  "validation",
  "linear_confidence_interval",
  "sobol_sensitivity",
] as const;
export type ElementType = (typeof ELEMENT_TYPES)[number];
export const WAIT_FOR = ["completed", "submitted"] as const;
export type WaitFor = (typeof WAIT_FOR)[number];

export interface IonworksBlock {
  name: string;
  type: ElementType;
  config: Record<string, unknown>;
}

/** The comparable shape. `project` "" means the target's default project. */
export interface IonworksSpec {
  name: string;
  description: string;
  project: string;
  options: Record<string, unknown>;
  blocks: IonworksBlock[];
}

export interface IonworksLive {
  status: string;
  error: string;
  elementStatuses: Record<string, string>;
  result: Record<string, unknown>;
  configHash: string;
}

/** The SDK refuses inline tables above this many rows; larger data goes by `db:` reference. */
export const MAX_INLINE_ROWS = 1000;

/** What normalizeIonworks takes: the spec, its defaults optional. */
export type IonworksInput = SpecInput<IonworksSpec, "name" | "blocks">;

export function normalizeIonworks(input: IonworksInput): IonworksSpec {
  return {
    name: input.name,
    description: input.description ?? "",
    project: input.project ?? "",
    options: input.options ?? {},
    blocks: input.blocks.map((b) => ({ name: b.name, type: b.type, config: b.config ?? {} })),
  };
}

/**
 * The `elements` object as JSON text in declared order. JSON.stringify of a
 * JavaScript object would move integer-like keys first and change the run order.
 */
export function elementsJson(blocks: readonly IonworksBlock[]): string {
  return `{${blocks.map((b) => `${JSON.stringify(b.name)}:${JSON.stringify({ element_type: b.type, ...wireConfig(b.config) })}`).join(",")}}`;
}

/** `pipelineId` (the TypeScript spelling) goes on the wire as `pipeline_id`. */
export function wireConfig(config: Record<string, unknown>): Record<string, unknown> {
  const { pipelineId, ...rest } = config;
  return pipelineId === undefined ? rest : { ...rest, pipeline_id: pipelineId };
}

/** The inverse of wireConfig: a stored element config as a declaration writes it. */
export function declaredConfig(config: Record<string, unknown>): Record<string, unknown> {
  const { pipeline_id, ...rest } = config;
  return pipeline_id === undefined ? rest : { ...rest, pipelineId: pipeline_id };
}

/** What identifies a submitted run's configuration: compared on refresh instead of the server's echo. */
export function configHash(spec: IonworksSpec, project: string): string {
  const ordered = spec.blocks.map((b) => [b.name, b.type, wireConfig(b.config)]);
  return createHash("sha256")
    .update(canonicalJson({ project, options: spec.options, elements: ordered }))
    .digest("hex");
}

/** Inline data columns longer than Ionworks accepts, as messages naming block and column. */
export function inlineDataProblems(blocks: readonly IonworksBlock[]): string[] {
  const problems: string[] = [];
  const walk = (value: unknown, block: string, at: string) => {
    if (Array.isArray(value)) {
      if (value.length > MAX_INLINE_ROWS)
        problems.push(
          `block '${block}': inline data ${at} has ${value.length} rows; Ionworks takes at most ${MAX_INLINE_ROWS} inline rows: upload the measurement and reference it as "db:<measurement id>"`,
        );
      return;
    }
    if (value && typeof value === "object")
      for (const [k, v] of Object.entries(value)) walk(v, block, at ? `${at}.${k}` : k);
  };
  for (const b of blocks) walk(b.config, b.name, "");
  return problems;
}

export interface WaitOptions {
  waitFor: WaitFor;
  timeoutMs: number;
  /** First poll delay; doubles up to maxPollMs. */
  pollMs: number;
  maxPollMs: number;
}

/**
 * Submits the run. With adopt, the newest run of this name is taken over as
 * it is (see adoptIonworks), and a run is submitted only if there is none.
 * Without adopt, a run of this name made with this configuration that has not
 * failed is taken over too: it is what an interrupted create (a killed `up`, a
 * `waitFor` timeout) left behind, and submitting again would spend its compute twice.
 */
export async function createIonworks(
  client: IonworksClient,
  spec: IonworksSpec,
  wait: WaitOptions,
  opts: { adopt?: boolean } = {},
): Promise<{ id: string; live: IonworksLive }> {
  const project = spec.project || client.project;
  if (!project)
    throw new Error(
      `Ionworks pipeline '${spec.name}': no project: set 'project', or the target's project (IONWORKS_PROJECT_ID)`,
    );
  // One listing serves the takeover and the submit's check for a POST that arrived.
  const runs = await listRuns(client, project, spec.name);
  const taken = opts.adopt
    ? await adoptIonworks(client, spec, wait, runs)
    : await resumeIonworks(client, spec, wait, project, runs);
  return taken ?? submitIonworks(client, spec, wait, project, runs);
}

/** The newest run of the declared name and configuration that has not failed, taken over; undefined when none. */
async function resumeIonworks(
  client: IonworksClient,
  spec: IonworksSpec,
  wait: WaitOptions,
  project: string,
  runs: Run[],
): Promise<{ id: string; live: IonworksLive } | undefined> {
  for (const run of runs) {
    if (["failed", "canceled"].includes(run.status)) continue;
    const elements = await runElements(client, run.id);
    if (!runDifferences(spec, run, elements).length)
      return takeOverRun(
        client,
        spec,
        wait,
        project,
        run,
        elements,
        `Ionworks pipeline '${spec.name}': took over run ${run.id}`,
      );
  }
  return undefined;
}

async function submitIonworks(
  client: IonworksClient,
  spec: IonworksSpec,
  wait: WaitOptions,
  project: string,
  runsBefore: Run[],
): Promise<{ id: string; live: IonworksLive }> {
  const json = `{"project_id":${JSON.stringify(project)},"name":${JSON.stringify(spec.name)},"description":${JSON.stringify(spec.description || null)},"options":${JSON.stringify(spec.options)},"elements":${elementsJson(spec.blocks)}}`;
  let created: Run;
  const runsNamed = () => listRuns(client, project, spec.name);
  const known = new Set(runsBefore.map((p) => p.id));
  try {
    // A POST starts compute: never sent again while the first may have arrived.
    created = await createOnce(
      () => client.call<Run>("POST", "/pipelines", { json, retry: false }),
      async () => (await runsNamed()).find((p) => !known.has(p.id)),
    );
  } catch (e) {
    if (e instanceof IonworksValidationError)
      throw new Error(
        `Ionworks refused pipeline '${spec.name}':\n  ${e.issues.map((i) => describeIssue(spec, i)).join("\n  ")}`,
      );
    throw e;
  }
  const hash = configHash(spec, project);
  if (wait.waitFor === "submitted") return { id: created.id, live: liveOf(created, hash) };
  const done = await waitTerminal(client, created.id, spec.name, wait);
  const elements = await runElements(client, created.id);
  if (done.status !== "completed") {
    const failed = elements.find((e) => e.status === "failed");
    // A failed run is removed, so the next `up` submits it again.
    await deleteIonworks(client, created.id).catch(() => undefined);
    const why = failed
      ? `element '${failed.name}' failed (${failed.error_code}): ${failed.error}`
      : `${done.status}${done.error ? `: ${done.error}` : ""}`;
    throw new Error(
      `Ionworks pipeline '${spec.name}' ${done.status === "canceled" ? "was canceled" : "failed"}: ${why}`,
    );
  }
  const result = await client.call<RunResult>("GET", `/pipelines/${created.id}/result`);
  return {
    id: created.id,
    live: { ...liveOf(done, hash), elementStatuses: statuses(elements), result: result.result?.parameter_values ?? {} },
  };
}

/** Responses spell element types as display labels (and accept legacy aliases). */
const TYPE_OF: Record<string, ElementType> = {
  "Direct Entry": "entry",
  "Data Fit": "data_fit",
  "Array Data Fit": "array_data_fit",
  Calculation: "calculation",
  Validation: "validation",
  "Linear Confidence Interval": "linear_confidence_interval",
  "Sobol Sensitivity": "sobol_sensitivity",
  datafit: "data_fit",
  arraydatafit: "array_data_fit",
  ...Object.fromEntries(ELEMENT_TYPES.map((t) => [t, t])),
};

/** A run's elements (GET /pipelines/{id}/elements) as blocks, in run order, configs as stored. */
export function blocksFromElements(elements: Element[]): IonworksBlock[] {
  return [...elements]
    .sort((a, b) => a.element_order - b.element_order)
    .map((e) => {
      const { element_type: _, ...config } = e.job_config ?? {};
      return { name: e.name, type: TYPE_OF[e.element_type] ?? e.element_type, config };
    });
}

/**
 * The runs of a project (or only those of one name), newest first. GET
 * /pipelines pages with limit/skip and filters with PostgREST syntax; the name
 * is checked again here, so a server that ignores the filter costs requests, not correctness.
 */
/** A run's elements, as the server stored them (their config is the run's declaration). */
export function runElements(client: IonworksClient, run: string): Promise<Element[]> {
  return client.call<Element[]>("GET", `/pipelines/${run}/elements`);
}

export async function listRuns(client: IonworksClient, project: string, name?: string): Promise<Run[]> {
  const runs: Run[] = [];
  const filter: Record<string, string> = name === undefined ? {} : { name: `eq.${name}` };
  for (let skip = 0; ; ) {
    const page = await client.call<RunPage>("GET", "/pipelines", {
      query: { project_id: project, ...filter, limit: "100", skip: String(skip) },
    });
    const rows = Array.isArray(page) ? page : (page.pipelines ?? []);
    runs.push(...rows);
    skip += rows.length;
    if (!rows.length || Array.isArray(page) || skip >= (page.total ?? 0)) break;
  }
  return runs
    .filter((r) => name === undefined || r.name === name)
    .sort((a, b) => String(b.created_at).localeCompare(String(a.created_at)));
}

/**
 * How a run's stored configuration differs from a declaration (empty: it is
 * the declared run). The server validates with Ionworks' schema package and
 * may store configs as it normalizes them, so a stored config is the declared
 * one when it holds every declared key with its value; keys it adds, and key
 * order, do not count.
 */
export function runDifferences(spec: IonworksSpec, run: Run, elements: Element[]): string[] {
  const out: string[] = [];
  if (!holdsDeclared(spec.options, run.options ?? {})) out.push("options differ");
  const live = blocksFromElements(elements);
  const names = (bs: { name: string }[]) => bs.map((b) => b.name).join(", ");
  if (names(live) !== names(spec.blocks))
    return [...out, `its elements are [${names(live)}], declared [${names(spec.blocks)}]`];
  spec.blocks.forEach((b, i) => {
    if (live[i].type !== b.type) out.push(`blocks[${i}] '${b.name}' is a ${live[i].type}, declared ${b.type}`);
    else if (!holdsDeclared(wireConfig(b.config), live[i].config)) out.push(`blocks[${i}] '${b.name}' config differs`);
  });
  return out;
}

/**
 * Adoption: the newest run of the declared name in the project, taken over as
 * it is (a run's configuration cannot change). Undefined when there is none, so
 * the caller submits one. Only name and description may be brought in line.
 */
export async function adoptIonworks(
  client: IonworksClient,
  spec: IonworksSpec,
  wait: WaitOptions,
  runs?: Run[],
): Promise<{ id: string; live: IonworksLive } | undefined> {
  const project = spec.project || client.project;
  if (!project) return undefined;
  const [run] = runs ?? (await listRuns(client, project, spec.name));
  if (!run) return undefined;
  const what = `Ionworks pipeline '${spec.name}': adopt found run ${run.id}`;
  if (["failed", "canceled"].includes(run.status))
    throw new Error(
      `${what}, which ${run.status}; a run that did not succeed is not taken over: drop adopt to submit a new run`,
    );
  const elements = await runElements(client, run.id);
  const differences = runDifferences(spec, run, elements);
  if (differences.length) {
    throw new Error(
      `${what}, made with another configuration (${differences.join("; ")}); a run cannot be changed: export it again to declare it as it is, or drop adopt to submit a new run`,
    );
  }
  return takeOverRun(client, spec, wait, project, run, elements, what);
}

/** A run made with the declared configuration, taken over: its description brought in line, waited for as declared. */
async function takeOverRun(
  client: IonworksClient,
  spec: IonworksSpec,
  wait: WaitOptions,
  project: string,
  run: Run,
  listed: Element[],
  what: string,
): Promise<{ id: string; live: IonworksLive }> {
  let elements = listed;
  if ((run.description ?? "") !== spec.description)
    await updateIonworks(client, run.id, { ...spec, description: run.description ?? "" }, spec);
  const hash = configHash(spec, project);
  let done = run;
  if (!isTerminal(run) && wait.waitFor === "completed") {
    done = await waitTerminal(client, run.id, spec.name, wait);
    if (done.status !== "completed")
      throw new Error(`${what}, which then ${done.status}${done.error ? `: ${done.error}` : ""}`);
    elements = await runElements(client, run.id);
  }
  const result =
    done.status === "completed"
      ? ((await client.call<RunResult>("GET", `/pipelines/${run.id}/result`)).result?.parameter_values ?? {})
      : {};
  return { id: run.id, live: { ...liveOf(done, hash), elementStatuses: statuses(elements), result } };
}

/** Name, description and status of a run; undefined when it is gone. */
export async function readIonworks(
  client: IonworksClient,
  id: string,
): Promise<{ name: string; description: string; status: string; error: string } | undefined> {
  try {
    const p = await client.call<Run>("GET", `/pipelines/${id}`);
    return { name: p.name, description: p.description ?? "", status: p.status, error: p.error ?? "" };
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/**
 * A run read by id alone (Pipeline.get, an import): its stored configuration
 * as a declaration of it would read, so that declaration diffs as unchanged.
 */
export async function readIonworksAsDeclared(
  client: IonworksClient,
  id: string,
): Promise<{ spec: IonworksSpec; status: string; error: string; configHash: string } | undefined> {
  try {
    const run = await client.call<Run>("GET", `/pipelines/${id}`);
    const elements = await runElements(client, id);
    const project = run.project_id === client.project ? "" : String(run.project_id ?? "");
    const spec: IonworksSpec = {
      name: run.name,
      description: run.description ?? "",
      project,
      options: run.options ?? {},
      blocks: blocksFromElements(elements).map((b) => ({ ...b, config: declaredConfig(b.config) })),
    };
    const hash = configHash(spec, project || client.project || "");
    return { spec, status: run.status, error: run.error ?? "", configHash: hash };
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

export async function updateIonworks(
  client: IonworksClient,
  id: string,
  old: IonworksSpec,
  next: IonworksSpec,
): Promise<void> {
  const body: RunPatch = {};
  if (old.name !== next.name) body.name = next.name;
  if (old.description !== next.description) body.description = next.description || null;
  if (Object.keys(body).length) await client.call("PATCH", `/pipelines/${id}`, { body, retry: true });
}

export async function deleteIonworks(client: IonworksClient, id: string): Promise<void> {
  try {
    const p = await client.call<Run>("GET", `/pipelines/${id}`);
    if (!p.is_terminal) await client.call("POST", `/pipelines/${id}/cancel`, { body: {}, retry: true });
    await client.call("DELETE", `/pipelines/${id}`);
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}

async function waitTerminal(client: IonworksClient, id: string, name: string, wait: WaitOptions): Promise<Run> {
  return pollUntil(
    () => client.call<Run>("GET", `/pipelines/${id}`),
    isTerminal,
    { timeoutMs: wait.timeoutMs, intervalMs: wait.pollMs, maxIntervalMs: wait.maxPollMs },
    (p) =>
      `Ionworks pipeline '${name}' (${id}) is still ${p.status} after ${Math.round(wait.timeoutMs / 1000)} s; raise timeoutSeconds, or use waitFor: submitted`,
  );
}

function isTerminal(p: Run): boolean {
  return p.is_terminal ?? ["completed", "failed", "canceled"].includes(p.status);
}

function liveOf(p: Run, hash: string): IonworksLive {
  return {
    status: p.status,
    error: p.error ?? "",
    elementStatuses: statuses(p.elements ?? []),
    result: {},
    configHash: hash,
  };
}

function statuses(elements: Element[]): Record<string, string> {
  return Object.fromEntries(elements.map((e) => [e.name, e.status]));
}

/**
 * A 422 item as the declaration's field. The server validates with Ionworks'
 * schema package, whose pipeline validator reports most element problems at
 * `elements` with the element's type in the message, and an unknown key at
 * `elements.<key>`; the block is then found by that type or key when one
 * block alone has it. A location naming a block is mapped directly.
 */
export function describeIssue(spec: IonworksSpec, issue: ValidationIssue): string {
  const [, top, key, ...rest] = issue.loc.map(String);
  if (top !== "elements") return `${top === "project_id" ? "project" : (top ?? "body")}: ${issue.msg}`;
  const at = (b: IonworksSpec["blocks"][number]) => `blocks[${spec.blocks.indexOf(b)}] '${b.name}'`;
  const named = spec.blocks.find((b) => b.name === key);
  if (named) return `${at(named)} ${rest[0] === "element_type" ? "type" : ["config", ...rest].join(".")}: ${issue.msg}`;
  if (key !== undefined) {
    const having = spec.blocks.filter((b) => key in wireConfig(b.config));
    return having.length === 1
      ? `${at(having[0])} config.${[key, ...rest].join(".")}: ${issue.msg}`
      : `an element's ${[key, ...rest].join(".")}: ${issue.msg}`;
  }
  const type = /'([a-z_]+)' element/.exec(issue.msg)?.[1];
  const ofType = type ? spec.blocks.filter((b) => b.type === type) : [];
  return ofType.length === 1 ? `${at(ofType[0])}: ${issue.msg}` : `blocks: ${issue.msg}`;
}
