// mage.Pipeline: a Mage pipeline's settings, variables and run configuration. Its id is the uuid Mage derives from
// the name, so a new name replaces; readLastRun is the declaration's alone (a change only records it).

import { mageClient } from "../../backends/mage/client";
import { MAGE_FEATURES } from "../../backends/mage/features";
import { pipelineUuid } from "../../backends/mage/names";
import {
  createPipeline,
  deletePipeline,
  lastPipelineRun,
  normalizePipeline,
  type PipelineInput,
  type PipelineSpec,
  readPipeline,
  unsetRunSettings,
  updatePipeline,
} from "../../backends/mage/pipeline";
import { KIND_SECRET_PLACES } from "../../declarations/secrets";
import { DEFAULT_MAGE_TARGET, mageTarget, type TargetSource } from "../config";
import type { Kind } from "../kind";
import { featureFailures } from "./features";

type State = PipelineSpec & { target: string; readLastRun: boolean };

const client = (targets: TargetSource, state: { target?: unknown }) =>
  mageClient(mageTarget(targets, state.target as string));

/** The last run as outputs: "" and 0 when the pipeline never ran. */
function lastRunOutputs(run: { id: number; status: string; createdAt: string } | undefined) {
  return { lastRunStatus: run?.status ?? "", lastRunId: run?.id ?? 0, lastRunAt: run?.createdAt ?? "" };
}

/** The kind's descriptor (resources/kind.ts): what every path derives this resource from. */
export const kind: Kind<State> = {
  engine: "mage",
  name: "Pipeline",
  inputs: "MagePipelineInputs",
  outputs: {
    uuid: { type: "string", doc: "Mage's uuid of the pipeline, derived from its name." },
    lastRunStatus: {
      type: "string",
      doc: "With readLastRun: the last run's status on the last refresh (Mage's: initial, running, completed, failed, cancelled); \"\" when it never ran.",
    },
    lastRunId: { type: "number", doc: "With readLastRun: the last run's id; 0 when it never ran." },
    lastRunAt: { type: "string", doc: 'With readLastRun: when the last run was created; "" when it never ran.' },
  },
  doc: {
    page: "mage-pipeline.md",
    summary:
      "A Mage pipeline: its settings, variables and run configuration (blocks and triggers are resources of their own).",
    yaml: "an entry of `pipelines:` with `engine: mage`",
    importId: "the pipeline's uuid",
  },
  replaceKeys: ["target", "name"],
  // A rename is a new uuid: the new pipeline is made first, its blocks and triggers move, the old one goes last.
  identity: { keys: ["target", "name"], of: (s) => `${s.target}/${pipelineUuid(String(s.name))}` },
  // cloneFrom says how the pipeline was made: a later change changes nothing.
  passthrough: ["adopt", "uuid", "cloneFrom"],
  secrets: KIND_SECRET_PLACES["mage:Pipeline"],
  addedKeys: { ...unsetRunSettings(), readLastRun: false },
  rules: "mage.Pipeline",
  serverFailures: (olds, news, targets) => featureFailures(MAGE_FEATURES.Pipeline, olds, news, targets),
  normalize: (news) => ({
    target: (news.target as string) ?? DEFAULT_MAGE_TARGET,
    ...normalizePipeline(news as PipelineInput),
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
