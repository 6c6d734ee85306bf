// mage.Block: id `<pipeline uuid>/<block uuid>`; the code lives in a file on the server and is diffed by content.

import {
  type BlockInput,
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
import { blockUuid, pipelineUuid } from "../../backends/mage/names";
import { KIND_SECRET_PLACES } from "../../declarations/secrets";
import { DEFAULT_MAGE_TARGET, mageTarget, type TargetSource } from "../config";
import type { Kind } from "../kind";
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

/** The kind's descriptor (resources/kind.ts): what every path derives this resource from. */
export const kind: Kind<State> = {
  engine: "mage",
  name: "Block",
  inputs: "MageBlockInputs",
  outputs: {
    uuid: { type: "string", doc: "Mage's uuid of the block, derived from its name (a dbt model's: its file path)." },
  },
  files: [{ file: "codeFile", into: "code", keepAs: "codeFile" }],
  display: { code: { as: "text", language: { field: "language", default: "python" } } },
  doc: {
    page: "mage-block.md",
    summary: "A block of a Mage pipeline: its code file, type, upstream blocks and configuration.",
    yaml: "an entry of a Mage pipeline's `blocks:`",
    importId: "`<pipeline uuid>/<block uuid>`",
  },
  // A type, language or extension change keeps the uuid: the backend makes the block again in place (updateBlock).
  replaceKeys: ["target", "pipeline", "name"],
  // A rename or a move is a new uuid: made first, dependents rewired to it, the old block deleted last.
  identity: {
    keys: ["target", "pipeline", "name"],
    of: (s) => `${s.target}/${pipelineUuid(String(s.pipeline))}/${blockUuid(String(s.name))}`,
  },
  passthrough: ["adopt", "codeFile", "uuid"],
  secrets: KIND_SECRET_PLACES["mage:Block"],
  addedKeys: { ...unsetBlockSettings() },
  rules: "mage.Block",
  serverFailures: (olds, news, targets) => featureFailures(MAGE_FEATURES.Block, olds, news, targets),
  normalize: (news) => ({
    target: (news.target as string) ?? DEFAULT_MAGE_TARGET,
    ...normalizeBlock(news as BlockInput),
  }),
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
