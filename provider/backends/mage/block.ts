// Mage blocks: /api/pipelines/{p}/blocks. Three engine facts shape this file:
// - the block PUT ignores `content`; code is written through /api/file_contents;
// - unknown upstream uuids are dropped silently, so the create answer is checked;
// - callback, conditional and extension blocks attach to the blocks they serve
//   through their own upstream_blocks (pipeline.py rebuilds callback_blocks from them).

import { createOnce, PipelineApiError } from "../../http/client";
import { sameJson } from "../shared/json";
import { createOrAdopt } from "../shared/lifecycle";
import type { BlockEnvelope, BlockInfo, PipelineEnvelope, PipelineInfo } from "./api";
import { isDbtModel } from "./blockRules";
import { type BlockSpec, blockFromRemote, normalizeBlock } from "./blockSpec";
import { getOrUndefined, type MageClient } from "./client";
import { isAlreadyExists, isNotFound } from "./errors";
import { lockKey, withPipelineLock } from "./lock";
import { blockFilePath, blockUuid } from "./names";
import { pipelineDetail } from "./pipeline";

/** Mage without dbt fails a dbt block's create with an import error: said as what to do. */
function withoutDbt(e: unknown, url: string): unknown {
  return e instanceof Error && /No module named 'dbt'|name 'DBTBlock\w*' is not defined/.test(e.message)
    ? new Error(
        `Mage at ${url} cannot make dbt blocks: its Python has no dbt (install mage-ai[dbt], or dbt-core and an adapter, where Mage runs)`,
      )
    : e;
}

/** The configuration as Mage takes it: a dbt model's names its file, which Mage keeps only as sent. */
function wireConfiguration(spec: BlockSpec): Record<string, unknown> {
  return isDbtModel(spec)
    ? { ...spec.configuration, file_path: blockFilePath("dbt", blockUuid(spec.name), "sql") }
    : spec.configuration;
}

export async function createBlock(
  client: MageClient,
  spec: BlockSpec,
  opts: { adopt?: boolean } = {},
): Promise<string> {
  const uuid = blockUuid(spec.name);
  return withPipelineLock(lockKey(client, spec.pipeline), () =>
    createOrAdopt({
      what: `Mage block '${uuid}'`,
      where: `in pipeline '${spec.pipeline}'`,
      adopt: opts.adopt === true,
      lookup: () => fetchBlock(client, spec.pipeline, uuid, spec.type, spec.extensionUuid),
      create: () => postAndSettle(client, spec, uuid),
      isDuplicate: isAlreadyExists,
      // Exactly as declared (but for what the create's follow-up update sets) is what a cut-off create
      // leaves behind: taken over. Anything else is not ours.
      leftByCreate: (live) =>
        sameJson({ ...live, ...UNSET_BY_CREATE }, { ...normalizeBlock(spec), ...UNSET_BY_CREATE }),
      takeOver: async (live) => {
        await applyBlockChanges(client, uuid, live, spec);
        return uuid;
      },
    }),
  );
}

/** What Mage's block create ignores (BlockResource.create): set by an update right after it. */
const UNSET_BY_CREATE = { retryConfig: {}, timeout: null, executorType: "local_python" } as const;

/** The block's POST, then the update that sets what the POST ignores. */
async function postAndSettle(client: MageClient, spec: BlockSpec, uuid: string): Promise<string> {
  await checkDataProduct(client, spec);
  const upstream = await postBlock(client, spec, uuid);
  await applyBlockChanges(client, uuid, { ...spec, ...UNSET_BY_CREATE, upstream }, spec);
  return uuid;
}

/**
 * The block's POST, sent once; upstream blocks Mage silently drops undo the
 * create. A dbt model is the exception: Mage takes its upstream from the
 * model's ref()s (when the file exists) and drops the rest, which only its
 * update sets; so the upstream it got is returned for the update to settle.
 */
async function postBlock(client: MageClient, spec: BlockSpec, uuid: string): Promise<string[]> {
  const model = isDbtModel(spec);
  const created = await createOnce(
    () =>
      client.call<BlockEnvelope>("POST", `/api/pipelines/${encodeURIComponent(spec.pipeline)}/blocks`, {
        body: {
          block: {
            name: spec.name,
            type: spec.type,
            language: spec.language,
            // Mage refuses content for a model whose file exists (dbt projects keep their files): written after.
            ...(model ? {} : { content: spec.code }),
            upstream_blocks: spec.upstream,
            configuration: wireConfiguration(spec),
            // The create takes the color; retry_config, timeout and executor_type need the update that follows.
            ...(spec.color ? { color: spec.color } : {}),
            ...(spec.extensionUuid ? { extension_uuid: spec.extensionUuid } : {}),
          },
        },
      }),
    () =>
      getOrUndefined<BlockEnvelope>(client, blockPath(spec.pipeline, uuid), {
        ...blockQuery(spec.type, spec.extensionUuid),
        include_outputs: "false",
      }),
  ).catch((e) => Promise.reject(spec.type === "dbt" ? withoutDbt(e, client.url) : e));
  const got: string[] = created.block.upstream_blocks ?? [];
  const missing = spec.upstream.filter((u) => !got.includes(u));
  if (missing.length && !model) {
    // Mage dropped them silently; undo the create so nothing is left half-made.
    await client.call("DELETE", blockPath(spec.pipeline, uuid), { query: blockQuery(spec.type, spec.extensionUuid) });
    throw new Error(
      `Mage block '${uuid}': upstream block(s) ${missing.map((m) => `'${m}'`).join(", ")} do not exist in pipeline '${spec.pipeline}'`,
    );
  }
  if (created.block.content !== spec.code) {
    // Mage skips empty content on create and writes its template instead.
    await writeCode(client, spec, uuid);
  }
  return got;
}

/** Extension blocks live under their extension, so Mage needs it to find them. */
function blockQuery(type: string, extensionUuid = ""): Record<string, string> {
  return { block_type: type, ...(extensionUuid ? { extension_uuid: extensionUuid } : {}) };
}

/** For refresh: the block as found in its pipeline's shared detail (one read serves every block). */
export async function readBlock(
  client: MageClient,
  pipeline: string,
  uuid: string,
  extensionUuid = "",
): Promise<BlockSpec | undefined> {
  const detail = await pipelineDetail(client, pipeline);
  const found = detail && findBlock(detail, uuid, extensionUuid);
  return found && blockFromRemote(pipeline, found);
}

/**
 * Where the pipeline detail keeps a block: `blocks`, `callbacks`,
 * `conditionals`, or `extensions.<uuid>.blocks` (whose entries do not name
 * their extension, so it is added).
 */
export function findBlock(detail: PipelineInfo, uuid: string, extensionUuid = ""): BlockInfo | undefined {
  for (const list of ["blocks", "callbacks", "conditionals"] as const) {
    const hit = (detail[list] ?? []).find((b) => b.uuid === uuid);
    if (hit) return hit;
  }
  const ext = extensionUuid ? detail.extensions?.[extensionUuid]?.blocks?.find((b) => b.uuid === uuid) : undefined;
  return ext ? { ...ext, extension_uuid: extensionUuid } : undefined;
}

/** A fresh read of one block, for checks that must see the server as it is now. */
async function fetchBlock(
  client: MageClient,
  pipeline: string,
  uuid: string,
  type: string,
  extensionUuid = "",
): Promise<BlockSpec | undefined> {
  const res = await getOrUndefined<BlockEnvelope>(client, blockPath(pipeline, uuid), {
    ...blockQuery(type, extensionUuid),
    include_outputs: "false",
  });
  return res
    ? blockFromRemote(pipeline, {
        ...res.block,
        extension_uuid: res.block.extension_uuid ?? (extensionUuid || undefined),
      })
    : undefined;
}

export async function updateBlock(client: MageClient, uuid: string, old: BlockSpec, next: BlockSpec): Promise<void> {
  await withPipelineLock(lockKey(client, next.pipeline), () =>
    recreated(old, next) ? recreateBlock(client, uuid, old, next) : applyBlockChanges(client, uuid, old, next),
  );
}

/** Blocks that serve another block (Mage keeps them apart from the pipeline's main blocks). */
const ATTACHED = new Set<string>(["callback", "conditional", "extension"]);

/**
 * When the block is made again rather than updated: Mage's block update cannot
 * change a block's type, language or extension; and when a callback,
 * conditional or extension block changes the blocks it serves, Mage's update
 * leaves it listed downstream of the block it left, which then cannot be
 * deleted — deleting and making it again keeps Mage's graph true.
 * An extension block's configuration too: Mage 0.9.80 answers its update with
 * the new value but never writes it (Pipeline.save(block_uuid=…) puts the
 * block into the pipeline it was called on, then writes a freshly loaded copy
 * of the pipeline's metadata.yaml).
 */
export function recreated(old: BlockSpec, next: BlockSpec): boolean {
  return (
    old.type !== next.type ||
    old.language !== next.language ||
    old.extensionUuid !== next.extensionUuid ||
    (ATTACHED.has(next.type) && !sameJson(old.upstream, next.upstream)) ||
    (next.type === "extension" && !sameSettings(old, next))
  );
}

/** What Mage's block update writes besides the graph: what an extension block's update drops. */
function sameSettings(old: BlockSpec, next: BlockSpec): boolean {
  return (
    sameJson(old.configuration, next.configuration) &&
    sameJson(old.retryConfig, next.retryConfig) &&
    old.timeout === next.timeout &&
    old.executorType === next.executorType &&
    old.color === next.color
  );
}

/** The settings Mage's block update (Block.update) writes, under its keys, where they differ. */
function settingsChanges(old: BlockSpec, next: BlockSpec): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (!sameJson(old.retryConfig, next.retryConfig))
    body.retry_config = Object.keys(next.retryConfig).length ? next.retryConfig : null;
  if (old.timeout !== next.timeout) body.timeout = next.timeout;
  if (old.executorType !== next.executorType) body.executor_type = next.executorType;
  if (old.color !== next.color) body.color = next.color;
  return body;
}

/**
 * Same uuid, made again. Mage refuses to delete a block others depend on,
 * and `force` would rewire blocks this stack may not own; so the dependents
 * are detached — a main block by an update that drops the edge (keeping its
 * other edges), a block serving it by deleting it (Mage's update would leave
 * the edge behind) — the block is deleted and made again, and every
 * dependent is attached again as it was, in its order, also when making the
 * block again fails.
 */
async function recreateBlock(client: MageClient, uuid: string, old: BlockSpec, next: BlockSpec): Promise<void> {
  const detail = await getOrUndefined<PipelineEnvelope>(client, `/api/pipelines/${encodeURIComponent(next.pipeline)}`, {
    includes_content: "true",
    includes_outputs: "false",
  });
  const dependents = allBlocksOf(detail?.pipeline).filter((b) => (b.upstream_blocks ?? []).includes(uuid));
  const served = dependents.filter((b) => ATTACHED.has(b.type));
  const main = dependents.filter((b) => !ATTACHED.has(b.type));
  const setUpstream = (b: BlockInfo, upstream: string[]) =>
    client.call("PUT", blockPath(next.pipeline, b.uuid), {
      query: blockQuery(b.type, b.extension_uuid ?? ""),
      body: { block: { upstream_blocks: upstream } },
    });
  for (const d of main)
    await setUpstream(
      d,
      (d.upstream_blocks ?? []).filter((u) => u !== uuid),
    );
  for (const d of served) {
    await client.call("DELETE", blockPath(next.pipeline, d.uuid), {
      query: blockQuery(d.type, d.extension_uuid ?? ""),
    });
  }
  try {
    await client.call("DELETE", blockPath(old.pipeline, uuid), { query: blockQuery(old.type, old.extensionUuid) });
    await postAndSettle(client, next, uuid);
  } finally {
    for (const d of main) await setUpstream(d, d.upstream_blocks ?? []);
    for (const d of served) await postAndSettle(client, blockFromRemote(next.pipeline, d), d.uuid);
  }
}

/** Every block of a pipeline detail: blocks, callbacks, conditionals and extension blocks (with their extension). */
export function allBlocksOf(detail: PipelineInfo | undefined): BlockInfo[] {
  if (!detail) return [];
  const ext = Object.entries(detail.extensions ?? {}).flatMap(([uuid, e]) =>
    (e.blocks ?? []).map((b) => ({ ...b, extension_uuid: uuid })),
  );
  return [...(detail.blocks ?? []), ...(detail.callbacks ?? []), ...(detail.conditionals ?? []), ...ext];
}

export async function deleteBlock(
  client: MageClient,
  pipeline: string,
  uuid: string,
  type: string,
  extensionUuid = "",
): Promise<void> {
  await withPipelineLock(lockKey(client, pipeline), async () => {
    try {
      // No force=true: it would rewire blocks this stack may not own.
      await client.call("DELETE", blockPath(pipeline, uuid), { query: blockQuery(type, extensionUuid) });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  });
}

/** The global data product a block runs (Mage's block configuration). */
export function dataProductOf(
  spec: Pick<BlockSpec, "type" | "configuration">,
): { uuid: string; project?: string } | undefined {
  const ref = spec.configuration.global_data_product as { uuid?: unknown; project?: unknown } | undefined;
  if (spec.type !== "global_data_product" || typeof ref?.uuid !== "string") return undefined;
  return { uuid: ref.uuid, ...(typeof ref.project === "string" ? { project: ref.project } : {}) };
}

/**
 * Mage makes a global_data_product block for any product uuid and fails only
 * when a run reaches it; so the product is looked up first (Mage answers an
 * empty object for one it does not have).
 */
async function checkDataProduct(client: MageClient, spec: BlockSpec): Promise<void> {
  const product = dataProductOf(spec);
  if (!product) return;
  const res: { global_data_product?: { uuid?: string } } = await client
    .call<{ global_data_product?: { uuid?: string } }>(
      "GET",
      `/api/global_data_products/${encodeURIComponent(product.uuid)}`,
      { query: product.project ? { project: product.project } : undefined },
    )
    .catch((e) => {
      if (missingProductBefore071(e)) return {};
      throw e;
    });
  if (!res.global_data_product?.uuid)
    throw new Error(
      `Mage block '${blockUuid(spec.name)}': global data product '${product.uuid}' does not exist ${
        product.project ? `in project '${product.project}'` : "in the project"
      } on ${client.url} (configuration.global_data_product.uuid)`,
    );
}

/**
 * Mage 0.9.70 answers a product it does not have with a 500: its GlobalDataProductResource.member wraps None
 * and the presenter calls None.to_dict() (mage_ai/api/resources/GlobalDataProductResource.py, 0.9.70); from
 * 0.9.71 it answers an empty object.
 */
function missingProductBefore071(e: unknown): boolean {
  return (
    e instanceof PipelineApiError && e.status === 500 && /'NoneType' object has no attribute 'to_dict'/.test(e.message)
  );
}

/** One write per changed concern: the code file, then the block's graph/config. */
async function applyBlockChanges(client: MageClient, uuid: string, old: BlockSpec, next: BlockSpec): Promise<void> {
  if (!sameJson(dataProductOf(old), dataProductOf(next))) await checkDataProduct(client, next);
  if (old.code !== next.code) await writeCode(client, next, uuid);
  const body: Record<string, unknown> = settingsChanges(old, next);
  if (!sameJson(old.upstream, next.upstream)) body.upstream_blocks = next.upstream;
  if (!sameJson(old.configuration, next.configuration)) body.configuration = wireConfiguration(next);
  if (Object.keys(body).length) {
    // Mage finds callback, conditional and extension blocks only when the query names their type (and extension).
    const res = await client.call<BlockEnvelope>("PUT", blockPath(next.pipeline, uuid), {
      query: blockQuery(next.type, next.extensionUuid),
      body: { block: body },
    });
    const got: string[] = res.block.upstream_blocks ?? [];
    const missing = next.upstream.filter((u) => !got.includes(u));
    if (missing.length) {
      throw new Error(
        `Mage block '${uuid}': upstream block(s) ${missing.map((m) => `'${m}'`).join(", ")} do not exist in pipeline '${next.pipeline}'`,
      );
    }
  }
}

/** The block PUT ignores content; the file itself is written instead. */
async function writeCode(client: MageClient, spec: BlockSpec, uuid: string): Promise<void> {
  const file = blockFilePath(spec.type, uuid, spec.language);
  await client.call("PUT", `/api/file_contents/${encodeURIComponent(file)}`, {
    body: { file_content: { content: spec.code } },
  });
}

function blockPath(pipeline: string, uuid: string): string {
  return `/api/pipelines/${encodeURIComponent(pipeline)}/blocks/${encodeURIComponent(uuid)}`;
}

// The spec a block is declared and read as (blockSpec.ts), for callers of the CRUD here.
export { type BlockInput, type BlockSpec, blockFromRemote, normalizeBlock, unsetBlockSettings } from "./blockSpec";
