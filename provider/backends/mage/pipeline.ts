// Mage pipelines: /api/pipelines. Identity is the uuid derived from the name,
// so a rename is a replace. Variables are not honoured by the pipeline PUT and
// go through /api/pipelines/{uuid}/variables instead.

import { createOnce, PipelineApiError } from "../../http/client";
import { sameJson, sortDeep } from "../shared/json";
import { createOrAdopt } from "../shared/lifecycle";
import type { SpecInput } from "../shared/specInput";
import type {
  ExecutorType,
  PipelineEnvelope,
  PipelineInfo,
  PipelineList,
  PipelineRunList,
  PipelineType,
  Scalar,
} from "./api";
import { getOrUndefined, type MageClient } from "./client";
import { isAlreadyExists, isNotFound } from "./errors";
import { lockKey, withPipelineLock } from "./lock";
import { pipelineUuid } from "./names";
import { normalizeTime } from "./time";

/**
 * The run settings Mage's pipeline PUT honours (Pipeline.update), in Mage's
 * own keys inside each object. Mage stores them as sent and fills in nothing,
 * so an undeclared one is its default: `{}`, null or false.
 */
export interface PipelineRunSettings {
  retryConfig: Record<string, unknown>;
  concurrencyConfig: Record<string, unknown>;
  executorType: ExecutorType | null;
  runPipelineInOneProcess: boolean;
  cacheBlockOutputInMemory: boolean;
  settings: Record<string, unknown>;
}

/** The comparable shape: what is declared, with Mage's defaults filled in. */
export interface PipelineSpec extends PipelineRunSettings {
  name: string;
  type: PipelineType;
  description: string;
  tags: string[];
  variables: Record<string, Scalar>;
}

/** What normalizePipeline takes: the spec, its defaults optional. */
export type PipelineInput = SpecInput<PipelineSpec, "name">;

/** The run settings as a pipeline nobody configured has them (Mage's defaults). */
export function unsetRunSettings(): PipelineRunSettings {
  const { retryConfig, concurrencyConfig, executorType, runPipelineInOneProcess, cacheBlockOutputInMemory, settings } =
    normalizePipeline({ name: "" });
  return { retryConfig, concurrencyConfig, executorType, runPipelineInOneProcess, cacheBlockOutputInMemory, settings };
}

/** Each run setting and its key in Mage's pipeline (GET and PUT). */
const RUN_SETTINGS: [keyof PipelineRunSettings, keyof PipelineInfo][] = [
  ["retryConfig", "retry_config"],
  ["concurrencyConfig", "concurrency_config"],
  ["executorType", "executor_type"],
  ["runPipelineInOneProcess", "run_pipeline_in_one_process"],
  ["cacheBlockOutputInMemory", "cache_block_output_in_memory"],
  ["settings", "settings"],
];

export function normalizePipeline(input: PipelineInput): PipelineSpec {
  return {
    name: input.name,
    type: input.type ?? "python",
    description: input.description ?? "",
    tags: normalizeTags(input.tags),
    variables: sortDeep(input.variables ?? {}) as Record<string, Scalar>,
    retryConfig: withoutNulls(input.retryConfig),
    concurrencyConfig: withoutNulls(input.concurrencyConfig),
    executorType: input.executorType ?? null,
    runPipelineInOneProcess: input.runPipelineInOneProcess ?? false,
    cacheBlockOutputInMemory: input.cacheBlockOutputInMemory ?? false,
    settings: withoutNulls(input.settings),
  };
}

/** Maps Mage's pipeline detail onto the comparable shape. */
export function pipelineFromRemote(remote: PipelineInfo): PipelineSpec {
  return normalizePipeline({
    name: remote.name,
    type: remote.type,
    description: remote.description ?? "",
    tags: remote.tags ?? [],
    variables: remote.variables ?? {},
    ...Object.fromEntries(RUN_SETTINGS.map(([key, wire]) => [key, remote[wire] ?? undefined])),
  });
}

/** Keys set to null say nothing (Mage writes `settings: {triggers: null}` for no settings); sorted. */
function withoutNulls(value: Record<string, unknown> | null | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value ?? {})) {
    if (v === null || v === undefined) continue;
    if (typeof v === "object" && !Array.isArray(v)) {
      const inner = withoutNulls(v as Record<string, unknown>);
      if (Object.keys(inner).length) out[k] = inner;
    } else out[k] = v;
  }
  return sortDeep(out) as Record<string, unknown>;
}

/** With cloneFrom (a pipeline's name or uuid), the pipeline is made as Mage's copy of that one, then brought to the spec. */
export async function createPipeline(
  client: MageClient,
  spec: PipelineSpec,
  opts: { adopt?: boolean; cloneFrom?: string } = {},
): Promise<string> {
  const uuid = pipelineUuid(spec.name);
  // What a cut-off create leaves: the spec, or for a copy, the copy as Mage made it.
  let made = spec;
  return withPipelineLock(lockKey(client, uuid), () =>
    createOrAdopt({
      what: `Mage pipeline '${uuid}'`,
      where: `on ${client.url}`,
      adopt: opts.adopt === true,
      lookup: () => fetchPipeline(client, uuid),
      create: async () => {
        if (opts.cloneFrom !== undefined) {
          made = { ...(await copyPipeline(client, pipelineUuid(opts.cloneFrom), spec.name)), name: spec.name };
          await applyPipelineChanges(client, uuid, made, spec);
          return uuid;
        }
        await createOnce(
          () =>
            client.call("POST", "/api/pipelines", {
              body: { pipeline: { name: spec.name, type: spec.type, description: spec.description, tags: spec.tags } },
            }),
          async () => ((await fetchPipeline(client, uuid))?.name === spec.name ? true : undefined),
        );
        // The create takes none of the run settings: a PUT follows when any is declared.
        await applyRunSettings(client, uuid, normalizePipeline({ name: spec.name }), spec);
        await applyVariables(client, uuid, {}, spec.variables);
        return uuid;
      },
      isDuplicate: isAlreadyExists,
      leftByCreate: (live) => leftByInterruptedCreate(live, made),
      takeOver: async (live) => {
        await applyPipelineChanges(client, uuid, live, spec);
        return uuid;
      },
    }),
  );
}

/**
 * Mage's copy of `source` named `name` (clone_pipeline_uuid), as it was made:
 * the source's blocks, settings and variables. When the name is taken, Mage
 * copies under a name of its own (`<source>_copy_<n>`) without a word: that
 * copy is removed again and the create fails as a duplicate.
 */
export async function copyPipeline(client: MageClient, source: string, name: string): Promise<PipelineSpec> {
  const from = await fetchPipeline(client, source);
  if (!from) throw new Error(`cannot copy Mage pipeline '${source}' on ${client.url}: it does not exist (cloneFrom)`);
  const uuid = pipelineUuid(name);
  const copy = await createOnce(
    () =>
      client.call<PipelineEnvelope>("POST", "/api/pipelines", {
        body: { pipeline: { name, clone_pipeline_uuid: source } },
      }),
    async () => {
      const found = await getPipeline(client, uuid);
      return found?.pipeline.name === name ? found : undefined;
    },
  );
  if (copy.pipeline.uuid !== uuid) {
    await deletePipeline(client, copy.pipeline.uuid);
    throw new PipelineApiError(
      "mage",
      "POST",
      "/api/pipelines",
      undefined,
      undefined,
      `Pipeline ${name} already exists (Mage made the copy as '${copy.pipeline.uuid}' instead; that copy is removed)`,
    );
  }
  return pipelineFromRemote(copy.pipeline);
}

/** For refresh: shares the pipeline's detail with its blocks' reads (see pipelineDetail). */
export async function readPipeline(client: MageClient, uuid: string): Promise<PipelineSpec | undefined> {
  const detail = await pipelineDetail(client, uuid);
  return detail ? pipelineFromRemote(detail) : undefined;
}

/**
 * The pipeline with every block's code (blocks, callbacks, conditionals,
 * extensions), read once per run and shared until the next write: one read
 * per pipeline refreshes the pipeline and all its blocks.
 */
export function pipelineDetail(client: MageClient, uuid: string): Promise<PipelineInfo | undefined> {
  return client.shared(`pipeline:${uuid}`, async () => (await getPipeline(client, uuid, true))?.pipeline);
}

/** A pipeline's most recent run (Mage lists runs newest first), if it ever ran. */
export async function lastPipelineRun(
  client: MageClient,
  uuid: string,
): Promise<{ id: number; status: string; createdAt: string } | undefined> {
  const { pipeline_runs } = await client.call<PipelineRunList>("GET", "/api/pipeline_runs", {
    query: { pipeline_uuid: uuid, _limit: "1" },
  });
  const run = pipeline_runs?.[0];
  return run && { id: run.id, status: run.status, createdAt: normalizeTime(run.created_at) };
}

/** A fresh read, for checks that must see the server as it is now. */
function getPipeline(client: MageClient, uuid: string, content = false): Promise<PipelineEnvelope | undefined> {
  return getOrUndefined<PipelineEnvelope>(client, `/api/pipelines/${encodeURIComponent(uuid)}`, {
    includes_content: String(content),
    includes_outputs: "false",
  });
}

async function fetchPipeline(client: MageClient, uuid: string): Promise<PipelineSpec | undefined> {
  const res = await getPipeline(client, uuid);
  return res ? pipelineFromRemote(res.pipeline) : undefined;
}

export async function updatePipeline(
  client: MageClient,
  uuid: string,
  old: PipelineSpec,
  next: PipelineSpec,
): Promise<void> {
  await withPipelineLock(lockKey(client, uuid), () => applyPipelineChanges(client, uuid, old, next));
}

export async function deletePipeline(client: MageClient, uuid: string): Promise<void> {
  await withPipelineLock(lockKey(client, uuid), async () => {
    if (await getPipeline(client, uuid)) {
      // A retried DELETE whose first attempt landed finds nothing left: that is done, too.
      await client
        .call("DELETE", `/api/pipelines/${encodeURIComponent(uuid)}`)
        .catch((e) => (isNotFound(e) ? undefined : Promise.reject(e)));
    }
  });
}

/**
 * What a create that was cut off (a killed run, a lost answer) leaves: the
 * POST's fields exactly as declared, and some of the declared variables.
 * Such a pipeline is taken over and finished; any other is not ours.
 */
export function leftByInterruptedCreate(live: PipelineSpec, spec: PipelineSpec): boolean {
  const sameCore =
    live.name === spec.name &&
    live.type === spec.type &&
    live.description === spec.description &&
    sameJson(live.tags, spec.tags);
  return (
    sameCore && Object.entries(live.variables).every(([k, v]) => k in spec.variables && sameJson(v, spec.variables[k]))
  );
}

/** Sends only what changed; never a `blocks` list, so blocks (ours or not) are untouched. */
async function applyPipelineChanges(
  client: MageClient,
  uuid: string,
  old: PipelineSpec,
  next: PipelineSpec,
): Promise<void> {
  const body: Record<string, unknown> = runSettingsChanges(old, next);
  if (old.type !== next.type) body.type = next.type;
  if (old.description !== next.description) body.description = next.description;
  if (!sameJson(old.tags, next.tags)) body.tags = next.tags;
  if (Object.keys(body).length) {
    await client.call("PUT", `/api/pipelines/${encodeURIComponent(uuid)}`, { body: { pipeline: body } });
  }
  await applyVariables(client, uuid, old.variables, next.variables);
}

/** The run settings that differ, under Mage's keys: Mage sets each as sent (Pipeline.update). */
function runSettingsChanges(old: PipelineRunSettings, next: PipelineRunSettings): Record<string, unknown> {
  return Object.fromEntries(
    RUN_SETTINGS.filter(([key]) => !sameJson(old[key], next[key])).map(([key, wire]) => [wire, next[key]]),
  );
}

async function applyRunSettings(client: MageClient, uuid: string, old: PipelineSpec, next: PipelineSpec) {
  const body = runSettingsChanges(old, next);
  if (Object.keys(body).length)
    await client.call("PUT", `/api/pipelines/${encodeURIComponent(uuid)}`, { body: { pipeline: body } });
}

async function applyVariables(
  client: MageClient,
  uuid: string,
  old: Record<string, Scalar>,
  next: Record<string, Scalar>,
) {
  const base = `/api/pipelines/${encodeURIComponent(uuid)}/variables`;
  for (const [name, value] of Object.entries(next)) {
    if (!(name in old)) {
      await createOnce(
        () => client.call("POST", base, { body: { variable: { name, value } } }),
        async () => (sameJson((await fetchPipeline(client, uuid))?.variables[name], value) ? true : undefined),
      );
    } else if (!sameJson(old[name], value))
      await client.call("PUT", `${base}/${encodeURIComponent(name)}`, { body: { variable: { name, value } } });
  }
  for (const name of Object.keys(old)) {
    if (!(name in next)) await client.call("DELETE", `${base}/${encodeURIComponent(name)}`);
  }
}

function normalizeTags(tags: string[] | undefined): string[] {
  return [...new Set(tags ?? [])].sort();
}

/** Every pipeline on the server (each row as the detail, without blocks' content), one list call. */
export async function listPipelines(client: MageClient): Promise<PipelineInfo[]> {
  const list = await client.call<PipelineList>("GET", "/api/pipelines", { query: { _limit: "100000" } });
  return list.pipelines ?? [];
}
