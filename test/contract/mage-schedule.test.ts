import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPipeline, deletePipeline, normalizePipeline } from "../../provider/backends/mage/pipeline";
import {
  createSchedule,
  deleteSchedule,
  normalizeSchedule,
  readSchedule,
  updateSchedule,
} from "../../provider/backends/mage/schedule";
import { mageMetadata, testClient, uniqueName } from "../helpers/mage";

describe("Mage schedules (real server)", () => {
  const client = testClient();
  let pipeline: string;
  let other: string;

  beforeAll(async () => {
    pipeline = await createPipeline(client, normalizePipeline({ name: uniqueName("sched") }));
    other = await createPipeline(client, normalizePipeline({ name: uniqueName("other") }));
  });
  afterAll(async () => {
    await deletePipeline(client, pipeline);
    await deletePipeline(client, other);
  });

  it("event matchers: set after the create, changed in place by name, removed, as Mage's own GET shows them", async () => {
    const raw = async (id: number) =>
      (await client.call<any>("GET", `/api/pipeline_schedules/${id}`)).pipeline_schedule.event_matchers;
    const upload = { name: "uploads", pattern: { source: ["aws.s3"], "detail-type": ["Object Created"] } };
    const spec = normalizeSchedule({ pipeline, name: "on upload", type: "event", eventMatchers: [upload] });
    const { id } = await createSchedule(client, spec);
    const [first] = await raw(id);
    expect(first).toMatchObject({ name: "uploads", event_type: "aws_event", pattern: upload.pattern });
    expect((await readSchedule(client, id, pipeline))?.spec).toEqual(spec);

    const next = normalizeSchedule({
      ...spec,
      sla: undefined,
      eventMatchers: [
        { name: "uploads", pattern: { source: ["aws.s3"], "detail-type": ["Object Deleted"] } },
        { name: "batch", pattern: { source: ["aws.batch"] } },
      ],
    });
    await updateSchedule(client, id, spec, next);
    const after = await raw(id);
    expect(after.map((m: any) => m.name).sort()).toEqual(["batch", "uploads"]);
    // Changed in place: the matcher keeps its id rather than being replaced by a new one.
    expect(after.find((m: any) => m.name === "uploads")).toMatchObject({
      id: first.id,
      pattern: next.eventMatchers[1].pattern,
    });
    expect((await readSchedule(client, id, pipeline))?.spec).toEqual(next);

    const none = normalizeSchedule({ ...next, sla: undefined, eventMatchers: [] });
    await updateSchedule(client, id, next, none);
    expect(await raw(id)).toEqual([]);
    await deleteSchedule(client, id, pipeline);
  });

  it("create (with tags) → read → update → delete", async () => {
    const spec = normalizeSchedule({
      pipeline,
      name: "nightly",
      type: "time",
      interval: "0 3 * * *",
      startTime: "2030-01-01T06:00:00Z",
      tags: ["iac"],
      variables: { env: "dev" },
      sla: 3600,
      settings: { skip_if_previous_running: true },
    });
    const live = await createSchedule(client, spec);
    expect(live.token).toMatch(/^[0-9a-f]{32}$/);
    expect((await readSchedule(client, live.id, pipeline))?.spec).toEqual(spec);

    const next = { ...spec, interval: "@hourly", status: "active" as const, tags: ["iac", "prod"] };
    await updateSchedule(client, live.id, spec, next);
    expect((await readSchedule(client, live.id, pipeline))?.spec).toEqual(next);

    await deleteSchedule(client, live.id, pipeline);
    expect(await readSchedule(client, live.id, pipeline)).toBeUndefined();
    await deleteSchedule(client, live.id, pipeline); // already gone
  });

  it("never deletes a same-named trigger of another pipeline", async () => {
    const mine = await createSchedule(client, normalizeSchedule({ pipeline, name: "hook", type: "api" }));
    const theirs = await createSchedule(client, normalizeSchedule({ pipeline: other, name: "hook", type: "api" }));
    await deleteSchedule(client, theirs.id, pipeline); // wrong owner: refused silently
    expect(await readSchedule(client, theirs.id, other)).toBeDefined();
    await deleteSchedule(client, mine.id, pipeline);
    expect(await readSchedule(client, theirs.id, other)).toBeDefined();
    await deleteSchedule(client, theirs.id, other);
  });

  it("surfaces Mage's own validation message", async () => {
    const bad = normalizeSchedule({ pipeline, name: "bad", type: "time", interval: "0 3 * *" });
    await expect(createSchedule(client, bad)).rejects.toThrow("Cron expression is invalid.");
  });
});

describe("Mage trigger ids reused by SQLite (real server)", () => {
  const client = testClient();

  it("a new trigger never inherits the tags of a deleted one", async () => {
    const pipeline = await createPipeline(client, normalizePipeline({ name: uniqueName("reuse") }));
    // Through the provider: deleting clears tags first.
    const tagged = await createSchedule(
      client,
      normalizeSchedule({ pipeline, name: "tagged", type: "api", tags: ["leaky"] }),
    );
    await deleteSchedule(client, tagged.id, pipeline);
    const next = await createSchedule(client, normalizeSchedule({ pipeline, name: "next", type: "api" }));
    expect((await readSchedule(client, next.id, pipeline))?.spec.tags).toEqual([]);
    await deleteSchedule(client, next.id, pipeline);

    // Deleted behind the provider's back (tags left over in Mage): create still ends untagged.
    const foreign = await createSchedule(
      client,
      normalizeSchedule({ pipeline, name: "foreign", type: "api", tags: ["leaky"] }),
    );
    await client.call<any>("DELETE", `/api/pipeline_schedules/${foreign.id}`);
    const clean = await createSchedule(client, normalizeSchedule({ pipeline, name: "clean", type: "api" }));
    // SQLite reuses the id (the case this guards); PostgreSQL's sequence never does.
    expect(clean.id === foreign.id).toBe(mageMetadata() === "sqlite");
    expect((await readSchedule(client, clean.id, pipeline))?.spec.tags).toEqual([]);
    await deleteSchedule(client, clean.id, pipeline);
    await deletePipeline(client, pipeline);
  });
});
