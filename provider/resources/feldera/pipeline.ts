// feldera.Pipeline: id = the pipeline name (Feldera's identity); a rename replaces. Only declared runtime and
// program config keys are managed; the `updatePlan` input says what an update does to the running pipeline.

import { felderaClient } from "../../backends/feldera/client";
import {
  createFeldera,
  DEFAULT_WAITS,
  deleteFeldera,
  type FelderaInput,
  type FelderaSpec,
  normalizeFeldera,
  readFeldera,
  updateFeldera,
  type Waits,
} from "../../backends/feldera/pipeline";
import { type FelderaPlan, felderaCreatePlan, felderaPlanText, felderaUpdatePlan } from "../../backends/feldera/plan";
import { comparableBlock } from "../../backends/feldera/program";
import { KIND_SECRET_PLACES } from "../../declarations/secrets";
import { DEFAULT_FELDERA_TARGET, felderaTarget, type TargetSource } from "../config";
import type { Kind, UpdateEffect } from "../kind";

type State = FelderaSpec & { target: string };

const client = (targets: TargetSource, state: { target?: unknown }) =>
  felderaClient(felderaTarget(targets, state.target as string));

function waits(inputs: Record<string, unknown>): Waits {
  const compile = Number(inputs.compileTimeoutSeconds);
  return {
    ...DEFAULT_WAITS,
    ...(compile > 0 ? { compileTimeoutMs: compile * 1000 } : {}),
    ...(process.env.PULUMI_PIPELINES_POLL_MS ? { pollMs: Number(process.env.PULUMI_PIPELINES_POLL_MS) } : {}),
  };
}

/** The kind's descriptor (resources/kind.ts): what every path derives this resource from. */
export const kind: Kind<State> = {
  engine: "feldera",
  name: "Pipeline",
  outputs: {
    programStatus: {
      type: "string",
      doc: "Feldera's program_status: where compiling the SQL stands (Pending, CompilingSql, CompilingRust, Success, or an error).",
    },
    deploymentStatus: {
      type: "string",
      doc: "Feldera's deployment_status: Stopped, Provisioning, Running, Paused, Suspended, Stopping, …",
    },
    storageStatus: {
      type: "string",
      doc: "Feldera's storage_status: Cleared, InUse or Clearing (a storage-bound change clears it first).",
    },
    programVersion: {
      type: "number",
      doc: "Feldera's program_version: raised by every change of the SQL or program config.",
    },
    deploymentError: {
      type: "string",
      doc: 'Why the pipeline stopped when it failed (`code: message`), "" when it did not; `up` dismisses it by starting it.',
    },
    updatePlan: { type: "string", doc: "What an update does to the running pipeline (shown by preview)." },
    updateEffects: {
      type: "string[]",
      doc: "What the update does that a guardrail may forbid, as data: `stops` (a running or paused pipeline is stopped), `clears-storage` (its state is lost). Absent when neither.",
    },
  },
  display: {
    blocks: { as: "entries", what: "sql", language: "sql", text: (block) => block.sql },
    udfRust: { as: "text", language: "rust" },
    udfToml: { as: "text", language: "toml" },
  },
  files: [
    { at: "blocks", file: "sqlFile", into: "sql", keepAs: "file", required: true },
    { file: "udfRustFile", into: "udfRust" },
    { file: "udfTomlFile", into: "udfToml" },
  ],
  doc: {
    page: "feldera-pipeline.md",
    summary:
      "A Feldera pipeline: its SQL program assembled from blocks, runtime and program config, and desired state.",
    yaml: "an entry of `pipelines:` with `engine: feldera`",
    importId: "the pipeline's name",
  },
  replaceKeys: ["target", "name"],
  // Feldera names pipelines: a rename makes the new one first, and deletes the old one after.
  identity: { keys: ["target", "name"], of: (s) => `${s.target}/${s.name}` },
  passthrough: ["adopt", "compileTimeoutSeconds", "updatePlan", "updateEffects", "udfRustFile", "udfTomlFile"],
  secrets: KIND_SECRET_PLACES["feldera:Pipeline"],
  plan: (olds, news) => {
    const plan = felderaPlan(olds, news);
    return plan && { text: felderaPlanText(plan), effects: felderaEffects(plan, olds) };
  },
  // fault_tolerance is not refused here: Feldera Enterprise has it, and the open-source server refuses it itself.
  inputs: "FelderaPipelineInputs",
  rules: "feldera.Pipeline",
  normalize: (news) => ({
    target: (news.target as string) ?? DEFAULT_FELDERA_TARGET,
    ...normalizeFeldera(news as FelderaInput),
  }),
  comparable: (spec) => ({
    ...spec,
    blocks: Array.isArray(spec.blocks)
      ? spec.blocks.map((b) => (typeof b?.sql === "string" ? comparableBlock(b) : b))
      : spec.blocks,
  }),
  async create(spec, inputs, targets) {
    const live = await createFeldera(client(targets, spec), spec, {
      adopt: inputs.adopt === true,
      waits: waits(inputs),
    });
    return { id: spec.name, extra: { ...live } };
  },
  async read(id, state, targets) {
    // Read by name alone (Pipeline.get, an import): nothing declared to compare with.
    const declared = Array.isArray(state.blocks) ? { ...normalizeFeldera(state as FelderaInput), name: id } : undefined;
    const found = await readFeldera(client(targets, state), id, declared);
    const target = (state.target as string | undefined) ?? DEFAULT_FELDERA_TARGET;
    return found && { spec: { target, ...found.spec }, extra: { ...found.live } };
  },
  update: async (_id, old, next, state, targets) => ({
    ...(await updateFeldera(client(targets, next), old, next, { waits: waits(state) })),
  }),
  delete: (id, state, targets) => deleteFeldera(client(targets, state), id, waits(state)),
};

/** The `updatePlan` the preview shows: what a create or an update does to the pipeline's lifecycle. */
export function felderaPlan(
  olds: Record<string, unknown> | undefined,
  news: Record<string, unknown>,
): FelderaPlan | undefined {
  return olds
    ? felderaUpdatePlan(normalizeFeldera(olds as FelderaInput), normalizeFeldera(news as FelderaInput))
    : felderaCreatePlan(news.adopt === true);
}

/**
 * The plan's effects a guardrail may forbid. A stop is one the update makes (to recompile or reconfigure) or one
 * declared (desiredState: stopped), and only matters to a pipeline that was running or paused.
 */
export function felderaEffects(plan: FelderaPlan, olds: Record<string, unknown> | undefined): UpdateEffect[] {
  const wasStopped = olds && normalizeFeldera(olds as FelderaInput).desiredState === "stopped";
  const stops = (plan.stops || plan.leaves === "stopped") && !wasStopped;
  const effects: UpdateEffect[] = [];
  if (stops) effects.push("stops");
  if (plan.clearsStorage.length) effects.push("clears-storage");
  return effects;
}
