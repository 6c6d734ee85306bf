// Feldera Pipeline: id = the pipeline name (Feldera's identity); a rename
// replaces. Only declared runtime/program config keys are managed.
import { felderaClient } from "../../backends/feldera/client";
import {
  createFeldera,
  DEFAULT_WAITS,
  deleteFeldera,
  type FelderaSpec,
  normalizeFeldera,
  readFeldera,
  updateFeldera,
  type Waits,
} from "../../backends/feldera/pipeline";
import { type FelderaPlan, felderaCreatePlan, felderaPlanText, felderaUpdatePlan } from "../../backends/feldera/plan";
import { comparableBlock } from "../../backends/feldera/program";
import { DEFAULT_FELDERA_TARGET, felderaTarget, type TargetSource } from "../config";
import { type Kind, kindProvider } from "../kindProvider";

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

/** Also says, in the `updatePlan` input the preview shows, what an update does to the running pipeline. */
/** What this kind is to the provider: its fields, which replace, its rules and CRUD (read by the docs too). */
export const kind: Kind<State> = {
  keys: [
    "target",
    "name",
    "description",
    "blocks",
    "runtimeConfig",
    "programConfig",
    "udfRust",
    "udfToml",
    "desiredState",
    "tags",
  ],
  replaceKeys: ["target", "name"],
  // Feldera names pipelines: a rename makes the new one first, and deletes the old one after.
  identity: { keys: ["target", "name"], of: (s) => `${s.target}/${s.name}` },
  passthrough: ["adopt", "compileTimeoutSeconds", "updatePlan"],
  // Connector credentials live in the SQL (WITH connectors) and in the process environment.
  secrets: { values: [["runtimeConfig", "env", "*"]], text: [["blocks", "*", "sql"], ["udfRust"], ["udfToml"]] },
  plan: (olds, news) => {
    const plan = felderaPlan(olds, news);
    return plan && felderaPlanText(plan);
  },
  // fault_tolerance is not refused here: Feldera Enterprise has it, and the open-source server refuses it itself.
  inputs: "FelderaPipelineInputs",
  rules: "feldera.Pipeline",
  normalize: (news) => ({
    target: (news.target as string) ?? DEFAULT_FELDERA_TARGET,
    ...normalizeFeldera(news as any),
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
    const declared = Array.isArray(state.blocks) ? { ...normalizeFeldera(state as any), name: id } : undefined;
    const found = await readFeldera(client(targets, state), id, declared);
    const target = (state.target as string | undefined) ?? DEFAULT_FELDERA_TARGET;
    return found && { spec: { target, ...found.spec }, extra: { ...found.live } };
  },
  update: async (_id, old, next, state, targets) => ({
    ...(await updateFeldera(client(targets, next), old, next, { waits: waits(state) })),
  }),
  delete: (id, state, targets) => deleteFeldera(client(targets, state), id, waits(state)),
};

export const provider = kindProvider(kind);

/** The `updatePlan` the preview shows: what a create or an update does to the pipeline's lifecycle. */
export function felderaPlan(olds: Record<string, any> | undefined, news: Record<string, any>): FelderaPlan | undefined {
  return olds
    ? felderaUpdatePlan(normalizeFeldera(olds as any), normalizeFeldera(news as any))
    : felderaCreatePlan(news.adopt === true);
}
