// Mage Pipeline: CRUD through the backend; identity = uuid from the name.
import { mageClient } from "../../backends/mage/client";
import { PIPELINE_FIELDS } from "../../backends/mage/fields";
import {
  createPipeline,
  deletePipeline,
  normalizePipeline,
  type PipelineSpec,
  readPipeline,
  unsetRunSettings,
  updatePipeline,
} from "../../backends/mage/pipeline";
import { pipelineUuid } from "../../declarations/mageNames";
import { DEFAULT_MAGE_TARGET, mageTarget, type TargetSource } from "../config";
import { kindProvider } from "../kindProvider";
import { identifierKeysFailure, known, schemaFailures } from "../validate";

type State = PipelineSpec & { target: string };

const client = (targets: TargetSource, state: { target?: unknown }) =>
  mageClient(mageTarget(targets, state.target as string));

export const provider = kindProvider<State>({
  keys: ["target", ...PIPELINE_FIELDS],
  replaceKeys: ["target", "name"],
  // A rename is a new uuid: the new pipeline is made first, its blocks and triggers move, the old one goes last.
  identity: { keys: ["target", "name"], of: (s) => `${s.target}/${pipelineUuid(String(s.name))}` },
  passthrough: ["adopt", "uuid"],
  secrets: { values: [["variables", "*"]], text: [] },
  addedKeys: { ...unsetRunSettings() },
  validate: (news) => [
    ...schemaFailures("MagePipelineInputs", news),
    ...(known(news, "variables") ? identifierKeysFailure("variables", news.variables) : []),
  ],
  normalize: (news) => ({ target: (news.target as string) ?? DEFAULT_MAGE_TARGET, ...normalizePipeline(news as any) }),
  async create(spec, inputs, targets) {
    const uuid = await createPipeline(client(targets, spec), spec, { adopt: inputs.adopt === true });
    return { id: uuid, extra: { uuid } };
  },
  async read(id, state, targets) {
    const spec = await readPipeline(client(targets, state), id);
    return spec && { spec: { target: state.target as string, ...spec }, extra: { uuid: id } };
  },
  update: async (id, old, next, _state, targets) => {
    await updatePipeline(client(targets, next), id, old, next);
    return undefined;
  },
  delete: (id, state, targets) => deletePipeline(client(targets, state), id),
});
