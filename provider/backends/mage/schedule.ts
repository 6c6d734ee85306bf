// Mage triggers: pipeline_schedules rows in Mage's database, keyed by an
// integer id (names are not unique). Create ignores tags, so tags follow in a
// PUT. Datetimes come back as naive `str(datetime)` in UTC.
// On SQLite a deleted trigger's id is reused and its tag associations
// survive the delete (mage-ai 0.9.80), so a new trigger can be born with
// another's tags: tags are cleared before a delete and set after a create.

import { createOnce } from "../../http/client";
import { sameJson, sortDeep } from "../shared/json";
import type { SpecInput } from "../shared/specInput";
import type { Scalar, ScheduleEnvelope, ScheduleInfo, ScheduleList, ScheduleStatus, ScheduleType } from "./api";
import { getOrUndefined, type MageClient } from "./client";
import { isNotFound } from "./errors";
import { pipelineUuid } from "./names";
import { normalizeTime } from "./time";

export interface ScheduleSpec {
  pipeline: string;
  name: string;
  type: ScheduleType;
  /** `@once|@hourly|@daily|@weekly|@monthly|@always_on` or a cron expression; "" for api/event. */
  interval: string;
  /** ISO-8601 UTC, second precision; "" when unset. */
  startTime: string;
  status: ScheduleStatus;
  description: string;
  variables: Record<string, Scalar>;
  tags: string[];
  sla: number | null;
  settings: Record<string, unknown>;
  /** By name; Mage keeps them in their own table, linked to the trigger, and sets them only by update. */
  eventMatchers: EventMatcherSpec[];
}

export interface EventMatcherSpec {
  name: string;
  event_type: string;
  pattern: Record<string, unknown>;
}

/** What normalizeSchedule takes: the spec, its defaults optional, event matchers as declared (their type defaults). */
export type ScheduleInput = SpecInput<Omit<ScheduleSpec, "eventMatchers">, "pipeline" | "name" | "type"> & {
  eventMatchers?: { name: string; event_type?: string; pattern?: Record<string, unknown> | null }[];
};

/** What the server holds beyond the spec: its id and the api-trigger token. */
export interface ScheduleLive {
  id: number;
  token: string;
}

export function normalizeSchedule(input: ScheduleInput): ScheduleSpec {
  return {
    pipeline: pipelineUuid(input.pipeline),
    name: input.name,
    type: input.type,
    interval: input.interval ?? "",
    startTime: normalizeTime(input.startTime),
    // Mage creates triggers inactive unless told otherwise.
    status: input.status ?? "inactive",
    description: input.description ?? "",
    variables: sortDeep(input.variables ?? {}) as Record<string, Scalar>,
    tags: [...new Set(input.tags ?? [])].sort(),
    sla: input.sla ?? null,
    settings: sortDeep(input.settings ?? {}) as Record<string, unknown>,
    eventMatchers: (input.eventMatchers ?? [])
      .map((m) => ({
        name: m.name,
        event_type: m.event_type ?? "aws_event",
        pattern: sortDeep(m.pattern ?? {}) as Record<string, unknown>,
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
}

export function scheduleFromRemote(remote: ScheduleInfo): ScheduleSpec {
  return normalizeSchedule({
    pipeline: remote.pipeline_uuid,
    name: remote.name,
    type: remote.schedule_type,
    interval: remote.schedule_interval ?? undefined,
    startTime: remote.start_time ?? undefined,
    status: remote.status,
    description: remote.description ?? undefined,
    variables: remote.variables ?? undefined,
    tags: remote.tags ?? undefined,
    sla: remote.sla ?? undefined,
    settings: remote.settings ?? undefined,
    eventMatchers: remote.event_matchers ?? undefined,
  });
}

/**
 * Trigger names are not unique, so a create first looks at the pipeline's
 * triggers: one exactly as declared and carrying this name is taken over
 * (a create that reached the server before its answer was lost, or a run
 * killed before it recorded the id); otherwise the POST runs, and after an
 * ambiguous failure only a trigger that appeared since is taken as ours.
 */
export async function createSchedule(
  client: MageClient,
  spec: ScheduleSpec,
  opts: { adopt?: boolean } = {},
): Promise<ScheduleLive> {
  const before = await listSchedules(client, spec.pipeline);
  const declared = normalizeSchedule({ ...spec, sla: spec.sla ?? undefined });
  if (opts.adopt) {
    // Adoption takes over the one trigger of this name (names are not unique: several is an error).
    const named = before.filter((row) => row.name === spec.name);
    if (named.length > 1) {
      throw new Error(
        `Mage pipeline '${spec.pipeline}' has ${named.length} triggers named '${spec.name}' (ids ${named.map((r) => r.id).join(", ")}); rename all but one before adopting`,
      );
    }
    if (named.length === 1) {
      await updateSchedule(client, named[0].id, scheduleFromRemote(named[0]), declared);
      return { id: named[0].id, token: named[0].token };
    }
  }
  const same = before.find(
    (row) => row.name === spec.name && leftByInterruptedCreate(scheduleFromRemote(row), declared),
  );
  if (same) {
    // A create cut off between its POST and its tags PUT is finished here.
    if (!sameJson(same.tags ?? [], declared.tags))
      await client.call("PUT", `/api/pipeline_schedules/${same.id}`, {
        body: { pipeline_schedule: { tags: declared.tags } },
      });
    // A trigger taken over has no matchers unless they were declared (leftByInterruptedCreate).
    if (declared.eventMatchers.length) await applyEventMatchers(client, same.id, declared.eventMatchers);
    return { id: same.id, token: same.token };
  }
  const known = new Set(before.map((row) => row.id));
  const res = await createOnce(
    () =>
      client.call<ScheduleEnvelope>("POST", `/api/pipelines/${encodeURIComponent(spec.pipeline)}/pipeline_schedules`, {
        body: { pipeline_schedule: columns(spec) },
      }),
    async () => {
      const fresh = (await listSchedules(client, spec.pipeline)).filter(
        (row) => !known.has(row.id) && row.name === spec.name,
      );
      return fresh.length ? { pipeline_schedule: fresh[fresh.length - 1] } : undefined;
    },
  );
  const row = res.pipeline_schedule;
  try {
    // The create answer carries no tags: only a trigger that should have none needs a look.
    const inherited = spec.tags.length
      ? []
      : ((await client.call<ScheduleEnvelope>("GET", `/api/pipeline_schedules/${row.id}`)).pipeline_schedule.tags ??
        []);
    if (spec.tags.length || inherited.length) {
      await client.call("PUT", `/api/pipeline_schedules/${row.id}`, {
        body: { pipeline_schedule: { tags: spec.tags } },
      });
    }
    if (spec.eventMatchers.length) await applyEventMatchers(client, row.id, spec.eventMatchers);
  } catch (e) {
    // Leave nothing half-made: the row without its tags is removed again.
    await client.call("DELETE", `/api/pipeline_schedules/${row.id}`).catch(() => undefined);
    throw e;
  }
  return { id: row.id, token: row.token };
}

/** Exactly as declared, but perhaps without its tags yet (they follow the POST in a second request). */
export function leftByInterruptedCreate(live: ScheduleSpec, declared: ScheduleSpec): boolean {
  const core = (s: ScheduleSpec) => ({ ...s, tags: [], eventMatchers: [] });
  return (
    sameJson(core(live), core(declared)) &&
    (live.tags.length === 0 || sameJson(live.tags, declared.tags)) &&
    (live.eventMatchers.length === 0 || sameJson(live.eventMatchers, declared.eventMatchers))
  );
}

/** One pipeline's triggers, fresh. */
export async function listSchedules(client: MageClient, pipeline: string): Promise<ScheduleInfo[]> {
  const res = await client.call<ScheduleList>(
    "GET",
    `/api/pipelines/${encodeURIComponent(pipeline)}/pipeline_schedules`,
    {
      query: { _limit: "10000" },
    },
  );
  return res.pipeline_schedules ?? [];
}

/**
 * For refresh: the row from the server's trigger list, read once per run and
 * shared by every trigger until the next write. Undefined when the row is
 * gone or now belongs to another pipeline. Without a pipeline (an import,
 * which has only the id), the row of whichever pipeline it belongs to.
 */
export async function readSchedule(
  client: MageClient,
  id: number,
  pipeline: string | undefined,
): Promise<{ spec: ScheduleSpec; live: ScheduleLive } | undefined> {
  return fromRow((await allSchedules(client)).get(id), pipeline);
}

/** A fresh read of one row, for checks that must see the server as it is now. */
async function fetchSchedule(client: MageClient, id: number, pipeline: string) {
  return fromRow(
    (await getOrUndefined<ScheduleEnvelope>(client, `/api/pipeline_schedules/${id}`))?.pipeline_schedule,
    pipeline,
  );
}

function fromRow(
  row: ScheduleInfo | undefined,
  pipeline: string | undefined,
): { spec: ScheduleSpec; live: ScheduleLive } | undefined {
  if (!row || (pipeline !== undefined && row.pipeline_uuid !== pipeline)) return undefined;
  return { spec: scheduleFromRemote(row), live: { id: row.id, token: row.token } };
}

const PAGE = 10000;

/** Every trigger on the server by id, paged as Mage's list metadata says (`next`). */
function allSchedules(client: MageClient): Promise<Map<number, ScheduleInfo>> {
  return client.shared("pipeline_schedules", async () => {
    const rows = new Map<number, ScheduleInfo>();
    for (let offset = 0; ; offset += PAGE) {
      const res = await client.call<ScheduleList>("GET", "/api/pipeline_schedules", {
        query: { _limit: String(PAGE), _offset: String(offset) },
      });
      for (const row of res.pipeline_schedules ?? []) rows.set(row.id, row);
      if (!res.metadata?.next) return rows;
    }
  });
}

export async function updateSchedule(
  client: MageClient,
  id: number,
  old: ScheduleSpec,
  next: ScheduleSpec,
): Promise<void> {
  const before = { ...columns(old), tags: old.tags };
  const after: Record<string, unknown> = { ...columns(next), tags: next.tags };
  const body = Object.fromEntries(
    Object.entries(after).filter(([k, v]) => !sameJson(before[k as keyof typeof before], v)),
  );
  if (Object.keys(body).length) {
    await client.call("PUT", `/api/pipeline_schedules/${id}`, { body: { pipeline_schedule: body } });
  }
  if (!sameJson(old.eventMatchers, next.eventMatchers)) await applyEventMatchers(client, id, next.eventMatchers);
}

/** A new token for the trigger (Mage's update with rotate_token); the old run URL stops working. */
export async function rotateScheduleToken(client: MageClient, id: number): Promise<string> {
  const res = await client.call<ScheduleEnvelope>("PUT", `/api/pipeline_schedules/${id}`, {
    body: { pipeline_schedule: { rotate_token: true } },
  });
  return res.pipeline_schedule.token;
}

/**
 * Sets a trigger's event matchers (only Mage's trigger update does). Mage
 * creates a matcher for every entry without an id and detaches the ones left
 * out, so each one the trigger already has by that name is sent with its id.
 */
async function applyEventMatchers(client: MageClient, id: number, matchers: EventMatcherSpec[]): Promise<void> {
  const row = (await client.call<ScheduleEnvelope>("GET", `/api/pipeline_schedules/${id}`)).pipeline_schedule;
  const ids = new Map((row.event_matchers ?? []).map((m) => [m.name, m.id]));
  if (sameJson(scheduleFromRemote(row).eventMatchers, matchers)) return;
  await client.call("PUT", `/api/pipeline_schedules/${id}`, {
    body: {
      pipeline_schedule: {
        event_matchers: matchers.map((m) => (ids.has(m.name) ? { id: ids.get(m.name), ...m } : m)),
      },
    },
  });
}

export async function deleteSchedule(client: MageClient, id: number, pipeline: string): Promise<void> {
  // Only the row we created: an id reused for another pipeline's trigger is left alone.
  const found = await fetchSchedule(client, id, pipeline);
  if (!found) return;
  try {
    if (found.spec.tags.length) {
      await client.call("PUT", `/api/pipeline_schedules/${id}`, { body: { pipeline_schedule: { tags: [] } } });
    }
    await client.call("DELETE", `/api/pipeline_schedules/${id}`);
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}

function columns(spec: ScheduleSpec) {
  return {
    name: spec.name,
    schedule_type: spec.type,
    schedule_interval: spec.interval || null,
    start_time: spec.startTime ? spec.startTime.replace("T", " ").replace("Z", "") : null,
    status: spec.status,
    description: spec.description || null,
    variables: spec.variables,
    sla: spec.sla,
    settings: spec.settings,
  };
}
