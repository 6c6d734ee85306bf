// mage.Schedule (a trigger): id = the server's integer id. An api trigger's token and run URL are outputs, always
// secret.

import { mageClient } from "../../backends/mage/client";
import { MAGE_FEATURES } from "../../backends/mage/features";
import {
  createSchedule,
  deleteSchedule,
  normalizeSchedule,
  readSchedule,
  rotateScheduleToken,
  type ScheduleInput,
  type ScheduleLive,
  type ScheduleSpec,
  updateSchedule,
} from "../../backends/mage/schedule";
import { KIND_SECRET_PLACES } from "../../declarations/secrets";
import { DEFAULT_MAGE_TARGET, mageTarget, type TargetSource } from "../config";
import type { Kind } from "../kind";
import { featureFailures } from "./features";

/** `rotateToken` is the declaration's alone: Mage keeps no such field, so state carries it. */
type State = ScheduleSpec & { target: string; rotateToken: string };

const client = (targets: TargetSource, state: { target?: unknown }) =>
  mageClient(mageTarget(targets, state.target as string));

function liveOutputs(url: string, spec: ScheduleSpec, live: ScheduleLive) {
  const runUrl = spec.type === "api" ? `${url}/api/pipeline_schedules/${live.id}/pipeline_runs/${live.token}` : "";
  return { scheduleId: live.id, token: spec.type === "api" ? live.token : "", runUrl };
}

/** The kind's descriptor (resources/kind.ts): what every path derives this resource from. */
export const kind: Kind<State> = {
  engine: "mage",
  name: "Schedule",
  inputs: "MageScheduleInputs",
  outputs: {
    scheduleId: {
      type: "number",
      doc: "Mage's id of the trigger (pipeline_schedules row): deletes remove exactly this row.",
    },
    runUrl: { type: "string", doc: "For api triggers: the URL that starts a run (secret: it embeds the token)." },
    token: { type: "string", doc: "For api triggers: the run token (secret)." },
  },
  doc: {
    page: "mage-schedule.md",
    summary: "A Mage trigger (pipeline schedule): time, event or API, with its status and settings.",
    yaml: "an entry of a Mage pipeline's `schedules:`",
    importId: "the trigger's id (a number)",
  },
  // They let anyone run the pipeline: the API trigger's token, and the URL that carries it.
  secretOutputs: ["token", "runUrl"],
  replaceKeys: ["target", "pipeline"],
  // Trigger ids are the server's: a replacement is always a new row, made before the old one goes.
  identity: false,
  passthrough: ["adopt"],
  secrets: KIND_SECRET_PLACES["mage:Schedule"],
  addedKeys: { eventMatchers: [], rotateToken: "" },
  rules: "mage.Schedule",
  serverFailures: (olds, news, targets) => featureFailures(MAGE_FEATURES.Schedule, olds, news, targets),
  normalize: (news) => ({
    target: (news.target as string) ?? DEFAULT_MAGE_TARGET,
    ...normalizeSchedule(news as ScheduleInput),
    rotateToken: (news.rotateToken as string | undefined) ?? "",
  }),
  async create(spec, inputs, targets) {
    const c = client(targets, spec);
    const live = await createSchedule(c, spec, { adopt: inputs.adopt === true });
    return { id: String(live.id), extra: liveOutputs(c.url, spec, live) };
  },
  async read(id, state, targets) {
    const c = client(targets, state);
    const found = await readSchedule(c, Number(id), state.pipeline as string | undefined);
    return (
      found && {
        spec: { target: state.target as string, ...found.spec, rotateToken: (state.rotateToken as string) ?? "" },
        extra: liveOutputs(c.url, found.spec, found.live),
      }
    );
  },
  async update(id, old, next, state, targets) {
    const c = client(targets, next);
    await updateSchedule(c, Number(id), old, next);
    // The token only changes on rotation; read it only when this update makes it an api trigger.
    // The first value (a new declaration, an adopted or imported trigger) is recorded; each later change rotates.
    const token =
      old.rotateToken && old.rotateToken !== next.rotateToken
        ? await rotateScheduleToken(c, Number(id))
        : state.token
          ? String(state.token)
          : ((await readSchedule(c, Number(id), next.pipeline))?.live.token ?? "");
    return liveOutputs(c.url, next, { id: Number(id), token });
  },
  delete: (id, state, targets) => deleteSchedule(client(targets, state), Number(id), state.pipeline as string),
};
