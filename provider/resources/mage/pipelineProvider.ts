// Mage Pipeline: CRUD through the backend; identity = uuid from the name.
import { mageClient } from "../../backends/mage/client";
import { MAGE_FEATURES } from "../../backends/mage/features";
import { PIPELINE_FIELDS } from "../../backends/mage/fields";
import { pipelineUuid } from "../../backends/mage/names";
import {
  createPipeline,
  deletePipeline,
  lastPipelineRun,
  normalizePipeline,
  type PipelineSpec,
  readPipeline,
  unsetRunSettings,
  updatePipeline,
} from "../../backends/mage/pipeline";
import { DEFAULT_MAGE_TARGET, mageTarget, type TargetSource } from "../config";
import { type Kind, kindProvider } from "../kindProvider";
import { featureFailures } from "./features";

type State = PipelineSpec & { target: string; readLastRun: boolean };

const client = (targets: TargetSource, state: { target?: unknown }) =>
  mageClient(mageTarget(targets, state.target as string));

/** The last run as outputs: "" and 0 when the pipeline never ran. */
function lastRunOutputs(run: { id: number; status: string; createdAt: string } | undefined) {
  return { lastRunStatus: run?.status ?? "", lastRunId: run?.id ?? 0, lastRunAt: run?.createdAt ?? "" };
}

/** What this kind is to the provider: its fields, which replace, its rules and CRUD (read by the docs too). */
export const kind: Kind<State> = {
  // readLastRun is the declaration's alone (a change is an update that only records it).
  keys: ["target", ...PIPELINE_FIELDS, "readLastRun"],
  replaceKeys: ["target", "name"],
  // A rename is a new uuid: the new pipeline is made first, its blocks and triggers move, the old one goes last.
  identity: { keys: ["target", "name"], of: (s) => `${s.target}/${pipelineUuid(String(s.name))}` },
  // cloneFrom says how the pipeline was made: a later change changes nothing.
  passthrough: ["adopt", "uuid", "cloneFrom"],
  secrets: { values: [["variables", "*"]], text: [] },
  addedKeys: { ...unsetRunSettings(), readLastRun: false },
  inputs: "MagePipelineInputs",
  rules: "mage.Pipeline",
  serverFailures: (olds, news, targets) => featureFailures(MAGE_FEATURES.Pipeline, olds, news, targets),
  normalize: (news) => ({
    target: (news.target as string) ?? DEFAULT_MAGE_TARGET,
    ...normalizePipeline(news as any),
    readLastRun: news.readLastRun === true,
  }),
  async create(spec, inputs, targets) {
    const c = client(targets, spec);
    const cloneFrom = typeof inputs.cloneFrom === "string" ? inputs.cloneFrom : undefined;
    const uuid = await createPipeline(c, spec, { adopt: inputs.adopt === true, cloneFrom });
    // An adopted pipeline may have run already.
    const last = inputs.readLastRun === true && inputs.adopt === true ? await lastPipelineRun(c, uuid) : undefined;
    return { id: uuid, extra: { uuid, ...(inputs.readLastRun === true ? lastRunOutputs(last) : {}) } };
  },
  async read(id, state, targets) {
    const c = client(targets, state);
    const spec = await readPipeline(c, id);
    if (!spec) return undefined;
    const last = state.readLastRun === true ? await lastPipelineRun(c, id) : undefined;
    const extra = state.readLastRun === true ? lastRunOutputs(last) : {};
    return {
      spec: { target: state.target as string, ...spec, readLastRun: state.readLastRun === true },
      extra: { uuid: id, ...extra },
    };
  },
  update: async (id, old, next, _state, targets) => {
    const c = client(targets, next);
    await updatePipeline(c, id, old, next);
    if (next.readLastRun && !old.readLastRun) return lastRunOutputs(await lastPipelineRun(c, id));
    return undefined;
  },
  delete: (id, state, targets) => deletePipeline(client(targets, state), id),
};

export const provider = kindProvider(kind);
