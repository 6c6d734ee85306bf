// diff() of the Mage providers: compares the stored declared spec with the
// new inputs, ignores __provider, reports replaces, handles preview unknowns.
import { describe, expect, it } from "vitest";
import { normalizeBlock } from "../../provider/backends/mage/block";
import { normalizePipeline } from "../../provider/backends/mage/pipeline";
import { normalizeSchedule } from "../../provider/backends/mage/schedule";
import { UNKNOWN } from "../../provider/resources/diff";
import { provider as blocks } from "../../provider/resources/mage/blockProvider";
import { provider as pipelines } from "../../provider/resources/mage/pipelineProvider";
import { provider as schedules } from "../../provider/resources/mage/scheduleProvider";

const pipelineOuts = {
  target: "mage",
  ...normalizePipeline({ name: "orders", tags: ["a"] }),
  uuid: "orders",
  __provider: "old code",
};
const blockOuts = {
  target: "mage",
  ...normalizeBlock({ pipeline: "orders", name: "load", type: "data_loader", code: "x\n" }),
  uuid: "load",
  codeFile: "b/load.py",
};
const scheduleOuts = {
  target: "mage",
  ...normalizeSchedule({ pipeline: "orders", name: "d", type: "time", interval: "@daily" }),
  scheduleId: 3,
  token: "t",
};

describe("diff", () => {
  it("no change when only __provider and server-filled outputs differ", async () => {
    expect(
      await pipelines.diff!("orders", pipelineOuts, { name: "orders", tags: ["a"], __provider: "new code" }),
    ).toEqual({ changes: false, replaces: [] });
  });

  it("no change when defaults are spelled out or left out", async () => {
    const news = { name: "orders", type: "python", description: "", tags: ["a", "a"], variables: {}, target: "mage" };
    expect((await pipelines.diff!("orders", pipelineOuts, news)).changes).toBe(false);
  });

  it("a rename replaces (Mage derives the uuid from the name): the new pipeline first, the old one after", async () => {
    expect(await pipelines.diff!("orders", pipelineOuts, { name: "orders v2", tags: ["a"] })).toEqual({
      changes: true,
      replaces: ["name"],
    });
  });

  it("a new name that gives the same uuid deletes first (the two would collide)", async () => {
    expect(await pipelines.diff!("orders", pipelineOuts, { name: "Orders", tags: ["a"] })).toEqual({
      changes: true,
      replaces: ["name"],
      deleteBeforeReplace: true,
    });
  });

  it("a description change updates in place", async () => {
    expect(await pipelines.diff!("orders", pipelineOuts, { name: "orders", tags: ["a"], description: "x" })).toEqual({
      changes: true,
      replaces: [],
    });
  });

  it("a changed target server replaces", async () => {
    expect(
      (await pipelines.diff!("orders", pipelineOuts, { name: "orders", tags: ["a"], target: "prod" })).replaces,
    ).toEqual(["target"]);
  });

  it("block code changes in place; so do type and language (the backend makes the block again, same uuid)", async () => {
    const base = { pipeline: "orders", name: "load", type: "data_loader", code: "x\n" };
    expect(await blocks.diff!("orders/load", blockOuts, { ...base, code: "y\n" })).toEqual({
      changes: true,
      replaces: [],
    });
    expect(await blocks.diff!("orders/load", blockOuts, { ...base, type: "transformer" })).toEqual({
      changes: true,
      replaces: [],
    });
    expect(await blocks.diff!("orders/load", blockOuts, { ...base, language: "sql" })).toEqual({
      changes: true,
      replaces: [],
    });
    expect((await blocks.diff!("orders/load", blockOuts, { ...base, codeFile: "elsewhere.py" })).changes).toBe(false);
  });

  it("a block whose pipeline is given by name or by uuid is the same block", async () => {
    const news = { pipeline: "Orders", name: "load", type: "data_loader", code: "x\n" };
    expect((await blocks.diff!("orders/load", blockOuts, news)).changes).toBe(false);
  });

  it("a display-name change that keeps the uuid is still a rename", async () => {
    const news = { pipeline: "orders", name: "Load", type: "data_loader", code: "x\n" };
    expect((await blocks.diff!("orders/load", blockOuts, news)).replaces).toEqual(["name"]);
  });

  it("an unknown preview value is a change, never a crash", async () => {
    const d = await blocks.diff!("orders/load", blockOuts, {
      pipeline: "orders",
      name: "load",
      type: "data_loader",
      code: "x\n",
      upstream: [UNKNOWN],
    });
    expect(d).toEqual({ changes: true, replaces: [] });
    const p = await blocks.diff!("orders/load", blockOuts, {
      pipeline: UNKNOWN,
      name: "load",
      type: "data_loader",
      code: "x\n",
    });
    expect(p.replaces).toEqual(["pipeline"]);
  });

  it("schedule: interval in place; the same start time in another spelling is no change", async () => {
    const base = { pipeline: "orders", name: "d", type: "time", interval: "@daily" };
    expect(await schedules.diff!("3", scheduleOuts, { ...base, interval: "@hourly" })).toEqual({
      changes: true,
      replaces: [],
    });
    const withTime = { ...scheduleOuts, startTime: "2030-01-01T06:00:00Z" };
    expect((await schedules.diff!("3", withTime, { ...base, startTime: "2030-01-01T08:00:00+02:00" })).changes).toBe(
      false,
    );
  });
});

describe("check", () => {
  it("names each bad property before any call", async () => {
    const r = await pipelines.check!({}, { name: "", type: "scala", variables: { "not-ident": 1 } });
    // The same words as the YAML loader's: both check against the schema the declaration types generate.
    expect(r.failures).toEqual([
      { property: "name", reason: "must not be empty" },
      { property: "type", reason: 'must be one of databricks, integration, pyspark, python, streaming; got "scala"' },
      { property: "variables.not-ident", reason: "variable name 'not-ident' must be a Python identifier" },
    ]);
  });

  it("requires an interval on time triggers and refuses one elsewhere", async () => {
    expect((await schedules.check!({}, { pipeline: "p", name: "d", type: "time" })).failures).toEqual([
      { property: "interval", reason: "is required for time triggers (@daily, @hourly, … or a cron expression)" },
    ]);
    expect(
      (await schedules.check!({}, { pipeline: "p", name: "h", type: "api", interval: "@daily" })).failures?.[0]
        .property,
    ).toBe("interval");
  });

  it("requires an extension for extension blocks", async () => {
    const r = await blocks.check!({}, { pipeline: "p", name: "ge", type: "extension", code: "" });
    expect(r.failures).toEqual([
      { property: "extensionUuid", reason: "is required for extension blocks (e.g. great_expectations)" },
    ]);
  });

  it("refuses inputs the resource does not have, and wrong types, as the YAML loader does", async () => {
    const r = await blocks.check!({}, { pipeline: "p", name: "b", type: "custom", code: 1, upstrem: ["a"] });
    expect(r.failures).toEqual([
      { property: "upstrem", reason: "unknown key 'upstrem' — did you mean 'upstream'?" },
      { property: "code", reason: "must be a string, got the number 1" },
    ]);
  });

  it("skips values not known yet in a preview", async () => {
    expect(
      (await blocks.check!({}, { pipeline: UNKNOWN, name: "b", type: "custom", code: UNKNOWN })).failures,
    ).toBeUndefined();
  });
});
