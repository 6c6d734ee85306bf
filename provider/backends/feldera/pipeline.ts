// Feldera pipelines: /v0/pipelines/{name}. The rules (from the engine's
// pipeline.rs, see the reference note) drive every step here:
// - update with PATCH of changed fields only (PUT bumps platform_version);
// - anything but description needs the pipeline stopped; storage-bound
//   runtime keys also need storage cleared;
// - compilation is asynchronous and may hang: always wait with a timeout;
// - delete needs stopped and cleared: stop(force) → clear → DELETE.
// The lifecycle steps and their waits are lifecycle.ts.

export type { DesiredState } from "./api";
export { DESIRED_STATES } from "./api";
export { DEFAULT_WAITS, type Waits } from "./lifecycle";

import { createOnce, PipelineApiError } from "../../http/client";
import { sameJson } from "../shared/json";
import { createOrAdopt } from "../shared/lifecycle";
import type { SpecInput } from "../shared/specInput";
import type {
  DesiredState,
  Json,
  NewPipeline,
  PipelineInfo,
  PipelinePatch,
  ProgramValidation,
  ServerConfig,
} from "./api";
import { type FelderaClient, isNotFound } from "./client";
import {
  declaredDrift,
  MISSING,
  overDefaults,
  PROGRAM_DEFAULTS,
  projectDeclared,
  RUNTIME_DEFAULTS,
  storageBoundChanges,
} from "./config";
import {
  applyDesiredState,
  clearAndWait,
  DEFAULT_WAITS,
  type LiveStatus,
  liveStatus,
  pipelinePath,
  stopAndWait,
  type Waits,
  waitCompiled,
} from "./lifecycle";
import {
  assembleProgram,
  type BlockSpan,
  describeSqlErrors,
  programMatches,
  type SqlBlock,
  splitProgram,
} from "./program";

/** The comparable shape: what was declared, with the provider's defaults. */
export interface FelderaSpec {
  name: string;
  description: string;
  blocks: SqlBlock[];
  runtimeConfig: { [key: string]: Json };
  programConfig: { [key: string]: Json };
  udfRust: string;
  udfToml: string;
  desiredState: DesiredState;
  /** Sorted and without repeats: Feldera keeps tags in the order sent, and order carries no meaning. */
  tags: string[];
}

/** What normalizeFeldera takes: the spec, its defaults optional. */
export type FelderaInput = SpecInput<FelderaSpec, "name" | "blocks">;

/** Server features by version (the API moved a lot in 2025; see the reference's version caveat). */
const VALIDATE_PROGRAM_SINCE = [0, 330, 0];
/** /resume, storage_status and /clear, which this backend relies on, arrived around v0.160. */
export const MINIMUM_VERSION = [0, 160, 0];

const checkedServers = new Map<string, Promise<string>>();

/** The server's version, refusing one older than this backend speaks (asked once per server and process). */
export async function supportedVersion(client: FelderaClient): Promise<string> {
  let pending = checkedServers.get(client.url);
  if (!pending) {
    pending = serverVersion(client).then((v) => {
      if (!atLeast(v, MINIMUM_VERSION)) {
        throw new Error(
          `Feldera ${v} at ${client.url} is older than ${MINIMUM_VERSION.join(".")}, the oldest API this provider speaks (it needs /resume, /clear and storage_status); upgrade Feldera`,
        );
      }
      return v;
    });
    checkedServers.set(client.url, pending);
    pending.catch(() => checkedServers.delete(client.url));
  }
  return pending;
}

export function normalizeFeldera(input: FelderaInput): FelderaSpec {
  return {
    name: input.name,
    description: input.description ?? "",
    blocks: input.blocks.map((b) => ({ name: b.name, sql: b.sql, ...(b.file ? { file: b.file } : {}) })),
    runtimeConfig: input.runtimeConfig ?? {},
    programConfig: input.programConfig ?? {},
    udfRust: input.udfRust ?? "",
    udfToml: input.udfToml ?? "",
    desiredState: input.desiredState ?? "running",
    tags: normalizeTags(input.tags),
  };
}

function normalizeTags(tags: string[] | null | undefined): string[] {
  return [...new Set(tags ?? [])].sort();
}

/** The live pipeline seen through the declaration: only declared config keys, program split by the declared blocks. */
export function felderaFromRemote(remote: PipelineInfo, declared: FelderaSpec): FelderaSpec {
  return {
    name: remote.name,
    description: remote.description ?? "",
    // The program matches the declaration or it has drifted: then show the live code as one block.
    blocks: programMatches(remote.program_code ?? "", declared.blocks)
      ? declared.blocks
      : [{ name: "live program (changed outside Pulumi)", sql: remote.program_code ?? "" }],
    runtimeConfig: projectDeclared(declared.runtimeConfig, remote.runtime_config),
    programConfig: projectDeclared(declared.programConfig, remote.program_config),
    udfRust: remote.udf_rust ?? "",
    udfToml: remote.udf_toml ?? "",
    desiredState: desiredFromRemote(remote.deployment_desired_status),
    tags: normalizeTags(remote.tags),
  };
}

/** A live pipeline as a declaration of it would read: what `export` writes, in spec form. */
export function felderaAsDeclared(remote: PipelineInfo): FelderaSpec {
  return {
    name: remote.name,
    description: remote.description ?? "",
    blocks: splitProgram(remote.program_code ?? "").map((b) => ({ name: b.name, sql: b.sql })),
    runtimeConfig: overDefaults(remote.runtime_config ?? {}, RUNTIME_DEFAULTS),
    programConfig: overDefaults(remote.program_config ?? {}, PROGRAM_DEFAULTS),
    udfRust: remote.udf_rust ?? "",
    udfToml: remote.udf_toml ?? "",
    desiredState: desiredFromRemote(remote.deployment_desired_status),
    tags: normalizeTags(remote.tags),
  };
}

function desiredFromRemote(status: string | undefined): DesiredState {
  return status === "Running" ? "running" : status === "Paused" ? "paused" : "stopped";
}

export async function serverVersion(client: FelderaClient): Promise<string> {
  return (await client.call<ServerConfig>("GET", "/v0/config")).version;
}

/**
 * The live pipeline as a spec: compared with what was declared, or, when
 * nothing was (a read by name alone, as `Pipeline.get` does), as `export`
 * would declare it: blocks split from the program, config over the defaults.
 */
export async function readFeldera(
  client: FelderaClient,
  name: string,
  declared?: FelderaSpec,
): Promise<{ spec: FelderaSpec; live: LiveStatus } | undefined> {
  try {
    const remote = await client.call<PipelineInfo>("GET", pipelinePath(name));
    const spec = declared ? felderaFromRemote(remote, declared) : felderaAsDeclared(remote);
    return { spec, live: liveStatus(remote) };
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

export async function createFeldera(
  client: FelderaClient,
  spec: FelderaSpec,
  opts: { adopt?: boolean; waits?: Waits } = {},
): Promise<LiveStatus> {
  const waits = opts.waits ?? DEFAULT_WAITS;
  await supportedVersion(client);
  const program = assembleProgram(spec.blocks);
  const body: NewPipeline = {
    name: spec.name,
    description: spec.description,
    program_code: program.code,
    udf_rust: spec.udfRust,
    udf_toml: spec.udfToml,
    runtime_config: spec.runtimeConfig,
    program_config: spec.programConfig,
    tags: spec.tags,
  };
  return createOrAdopt({
    what: `Feldera pipeline '${spec.name}'`,
    where: `on ${client.url}`,
    adopt: opts.adopt === true,
    lookup: async () => (await readFeldera(client, spec.name, spec))?.spec,
    create: async () => {
      const remote = await createOnce(
        () => client.call<PipelineInfo>("POST", "/v0/pipelines", { body }),
        async () => {
          // Feldera names are unique: the one there with this program is the one just sent.
          const found = await client
            .call<PipelineInfo>("GET", pipelinePath(spec.name))
            .catch((e) => (isNotFound(e) ? undefined : Promise.reject(e)));
          return found && found.program_code === program.code ? found : undefined;
        },
      );
      return compileThenStart(client, spec, remote, program.spans, waits);
    },
    isDuplicate: (e) => e instanceof PipelineApiError && e.code === "DuplicateName",
    // A pipeline exactly as declared (whatever its state) is what a cut-off create leaves behind.
    leftByCreate: (live) => sameJson({ ...live, desiredState: spec.desiredState }, normalizeFeldera(spec)),
    takeOver: (live) => updateFeldera(client, live, spec, { waits }),
  });
}

/** After the POST: the program compiles, or the pipeline is removed again; then it is started as declared. */
async function compileThenStart(
  client: FelderaClient,
  spec: FelderaSpec,
  remote: PipelineInfo,
  spans: BlockSpan[],
  waits: Waits,
): Promise<LiveStatus> {
  try {
    refuseDroppedKeys(spec, remote);
    await waitCompiled(client, spec.name, spans, waits);
  } catch (e) {
    // A pipeline that never compiled is not left behind half-made.
    await deleteFeldera(client, spec.name, waits).catch(() => undefined);
    throw e;
  }
  return applyDesiredState(client, spec.name, "stopped", spec.desiredState, waits);
}

export async function updateFeldera(
  client: FelderaClient,
  old: FelderaSpec,
  next: FelderaSpec,
  opts: { waits?: Waits } = {},
): Promise<LiveStatus> {
  const waits = opts.waits ?? DEFAULT_WAITS;
  await supportedVersion(client);
  const program = assembleProgram(next.blocks);
  const patch: PipelinePatch = {};
  if (assembleProgram(old.blocks).code !== program.code) patch.program_code = program.code;
  if (old.description !== next.description) patch.description = next.description;
  if (!sameJson(old.tags ?? [], next.tags)) patch.tags = next.tags;
  if (old.udfRust !== next.udfRust) patch.udf_rust = next.udfRust;
  if (old.udfToml !== next.udfToml) patch.udf_toml = next.udfToml;
  const current = await client.call<PipelineInfo>("GET", pipelinePath(next.name));
  const programConfig = configPatch(old.programConfig, next.programConfig, current.program_config ?? {});
  if (programConfig) patch.program_config = programConfig;
  const runtimeConfig = configPatch(old.runtimeConfig, next.runtimeConfig, current.runtime_config ?? {});
  if (runtimeConfig) patch.runtime_config = runtimeConfig;
  // Description and tags are client metadata: changed while the pipeline runs.
  const needsStop = Object.keys(patch).some((k) => k !== "description" && k !== "tags");
  const wasRunning = current.deployment_desired_status !== "Stopped";

  if (needsStop && patch.program_code !== undefined && wasRunning) {
    // Check the new SQL before touching a running pipeline: a bad program must leave it running.
    await validateFirst(client, program.code, program.spans);
  }
  if (needsStop && wasRunning) await stopAndWait(client, next.name, waits);
  if (patch.runtime_config) {
    const bound = storageBoundChanges(current.runtime_config ?? {}, patch.runtime_config);
    if (bound.length && current.storage_status !== "Cleared") await clearAndWait(client, next.name, waits);
  }
  if (Object.keys(patch).length) {
    const remote = await client.call<PipelineInfo>("PATCH", pipelinePath(next.name), { body: patch, retry: true }); // the same PATCH twice is the same state
    refuseDroppedKeys(next, remote);
  }
  if (
    patch.program_code !== undefined ||
    patch.udf_rust !== undefined ||
    patch.udf_toml !== undefined ||
    patch.program_config !== undefined
  ) {
    await waitCompiled(client, next.name, program.spans, waits);
  }
  const from = needsStop ? "stopped" : desiredFromRemote(current.deployment_desired_status);
  return applyDesiredState(client, next.name, from, next.desiredState, waits);
}

export async function deleteFeldera(client: FelderaClient, name: string, waits: Waits = DEFAULT_WAITS): Promise<void> {
  try {
    await stopAndWait(client, name, waits);
    await clearAndWait(client, name, waits);
    await client.call("DELETE", pipelinePath(name));
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}

async function validateFirst(client: FelderaClient, code: string, spans: BlockSpan[]): Promise<void> {
  if (!atLeast(await supportedVersion(client), VALIDATE_PROGRAM_SINCE)) return; // older servers: compile errors surface after the PATCH
  const res = await client.call<ProgramValidation>("POST", "/v0/validate_program", {
    body: { program_code: code },
    retry: true,
  });
  if (res.SqlError) {
    throw new Error(
      `SQL does not compile; the running pipeline was left as it was:\n  ${describeSqlErrors(spans, res.SqlError.info.messages).join("\n  ")}`,
    );
  }
}

/**
 * A config as PATCH must send it when the declaration changed or the server
 * drifted from it: PATCH replaces the object whole, so it is the live object
 * with the declared keys written in (undeclared keys keep their live values).
 */
function configPatch(
  old: { [key: string]: Json },
  next: { [key: string]: Json },
  live: { [key: string]: Json },
): { [key: string]: Json } | undefined {
  const drifted = declaredDrift(next, projectDeclared(next, live)).length > 0;
  return drifted || !sameJson(old, next) ? mergeDeclared(live, next) : undefined;
}

/** The server object with the declared keys written in (deep for objects). */
export function mergeDeclared(
  remote: { [key: string]: Json },
  declared: { [key: string]: Json },
): { [key: string]: Json } {
  const out: { [key: string]: Json } = { ...remote };
  for (const [k, v] of Object.entries(declared)) {
    const r = remote?.[k];
    out[k] =
      v && typeof v === "object" && !Array.isArray(v) && r && typeof r === "object" && !Array.isArray(r)
        ? mergeDeclared(r as { [key: string]: Json }, v as { [key: string]: Json })
        : v;
  }
  return out;
}

/** Feldera silently drops keys it does not know; a declared one would then differ forever. */
function refuseDroppedKeys(spec: FelderaSpec, remote: PipelineInfo): void {
  const dropped = [
    ...declaredDrift(spec.runtimeConfig, projectDeclared(spec.runtimeConfig, remote.runtime_config))
      .filter((p) => valueAt(projectDeclared(spec.runtimeConfig, remote.runtime_config), p) === MISSING)
      .map((p) => `runtimeConfig.${p}`),
    ...declaredDrift(spec.programConfig, projectDeclared(spec.programConfig, remote.program_config))
      .filter((p) => valueAt(projectDeclared(spec.programConfig, remote.program_config), p) === MISSING)
      .map((p) => `programConfig.${p}`),
  ];
  if (dropped.length)
    throw new Error(
      `Feldera pipeline '${spec.name}': the server does not know ${dropped.join(", ")} (it drops unknown keys); check the spelling against the Feldera version's runtime/program config`,
    );
}

function valueAt(obj: Json, dotted: string): Json | undefined {
  let cur: Json | undefined = obj;
  for (const p of dotted.split(".")) cur = cur && typeof cur === "object" && !Array.isArray(cur) ? cur[p] : undefined;
  return cur;
}

export function atLeast(version: string, min: number[]): boolean {
  const v = version
    .replace(/^v/, "")
    .split(/[.-]/)
    .map((x) => Number(x) || 0);
  for (let i = 0; i < min.length; i++) if ((v[i] ?? 0) !== min[i]) return (v[i] ?? 0) > min[i];
  return true;
}

/** Every pipeline on the server, each with its program and config (one list call, selector all). */
export function listPipelines(client: FelderaClient): Promise<PipelineInfo[]> {
  return client.call<PipelineInfo[]>("GET", "/v0/pipelines");
}
