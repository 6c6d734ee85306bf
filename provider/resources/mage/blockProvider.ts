// Mage Block: id `<pipeline uuid>/<block uuid>`; the code lives in a file on
// the server and is diffed by content.
import {
  type BlockSpec,
  createBlock,
  deleteBlock,
  normalizeBlock,
  readBlock,
  unsetBlockSettings,
  updateBlock,
} from "../../backends/mage/block";
import { mageClient } from "../../backends/mage/client";
import { MAGE_FEATURES } from "../../backends/mage/features";
import { BLOCK_FIELDS } from "../../backends/mage/fields";
import { blockUuid, pipelineUuid } from "../../backends/mage/names";
import { DEFAULT_MAGE_TARGET, mageTarget, type TargetSource } from "../config";
import { type Kind, kindProvider } from "../kindProvider";
import { featureFailures } from "./features";

type State = BlockSpec & { target: string };

const client = (targets: TargetSource, state: { target?: unknown }) =>
  mageClient(mageTarget(targets, state.target as string));

export function blockId(pipeline: string, uuid: string): string {
  return `${pipeline}/${uuid}`;
}

/** Pipeline uuids never contain `/`; block uuids may. */
function splitId(id: string): { pipeline: string; uuid: string } {
  const at = id.indexOf("/");
  return { pipeline: id.slice(0, at), uuid: id.slice(at + 1) };
}

/** What this kind is to the provider: its fields, which replace, its rules and CRUD (read by the docs too). */
export const kind: Kind<State> = {
  keys: ["target", ...BLOCK_FIELDS],
  // A type, language or extension change keeps the uuid: the backend makes the block again in place (updateBlock).
  replaceKeys: ["target", "pipeline", "name"],
  // A rename or a move is a new uuid: made first, dependents rewired to it, the old block deleted last.
  identity: {
    keys: ["target", "pipeline", "name"],
    of: (s) => `${s.target}/${pipelineUuid(String(s.pipeline))}/${blockUuid(String(s.name))}`,
  },
  passthrough: ["adopt", "codeFile", "uuid"],
  // Code reads Mage's own secrets (get_secret_value, see mage.Secret); configuration may hold references.
  secrets: { values: [["configuration", "**"]], text: [] },
  addedKeys: { ...unsetBlockSettings() },
  inputs: "MageBlockInputs",
  rules: "mage.Block",
  serverFailures: (olds, news, targets) => featureFailures(MAGE_FEATURES.Block, olds, news, targets),
  normalize: (news) => ({ target: (news.target as string) ?? DEFAULT_MAGE_TARGET, ...normalizeBlock(news as any) }),
  async create(spec, inputs, targets) {
    const uuid = await createBlock(client(targets, spec), spec, { adopt: inputs.adopt === true });
    return { id: blockId(spec.pipeline, uuid), extra: { uuid } };
  },
  async read(id, state, targets) {
    const { pipeline, uuid } = splitId(id);
    const spec = await readBlock(client(targets, state), pipeline, uuid, state.extensionUuid as string);
    return spec && { spec: { target: state.target as string, ...spec }, extra: { uuid } };
  },
  update: async (id, old, next, _state, targets) => {
    await updateBlock(client(targets, next), splitId(id).uuid, old, next);
    return undefined;
  },
  delete: (id, state, targets) => {
    const { pipeline, uuid } = splitId(id);
    return deleteBlock(client(targets, state), pipeline, uuid, state.type as string, state.extensionUuid as string);
  },
};

export const provider = kindProvider(kind);
