// The serialized providers, loaded as the host loads them, driven through a
// whole lifecycle in-process against the real Mage; credentials come only from
// configure() (stack config). After each write a read must give back exactly
// the outputs (the import-verify check of provider acceptance tests).
import { describe, expect, it } from "vitest";
import { pipelineUuid } from "../../provider/backends/mage/names";
import { normalizeTime } from "../../provider/backends/mage/time";
import { KINDS } from "../../provider/resources/kinds";
import { providerText } from "../../provider/resources/resourceClass";
import { mageAtLeast, mageTarget, mageVersion, testClient, uniqueName } from "../helpers/mage";
import { readVerify } from "../helpers/readVerify";
import { load, stackConfig } from "../helpers/serialized";

const blockProvider = providerText(KINDS["mage:Block"]);
const pipelineProvider = providerText(KINDS["mage:Pipeline"]);
const scheduleProvider = providerText(KINDS["mage:Schedule"]);

async function loaded(provider: string) {
  const handler = load(provider);
  await handler.configure!(stackConfig({ "pipelines:targets": { local: { engine: "mage", ...mageTarget() } } }));
  return handler;
}

describe("serialized providers against the real Mage", () => {
  it("Pipeline, Block and Schedule: create → read-verify → update → read-verify → delete → gone", async () => {
    const pipelines = await loaded(pipelineProvider);
    const blocks = await loaded(blockProvider);
    const schedules = await loaded(scheduleProvider);
    const name = uniqueName("lifecycle");

    const pIn = { target: "local", name, tags: ["x"], variables: { env: "dev" } };
    expect((await pipelines.check!({}, pIn)).failures).toBeUndefined();
    const p = await pipelines.create(pIn);
    await readVerify(pipelines, p.id, p.outs, pIn);

    const bIn = { target: "local", pipeline: name, name: "load", type: "data_loader", code: "x = 1\n" };
    const b = await blocks.create(bIn);
    expect(b.id).toBe(`${p.id}/load`);
    await readVerify(blocks, b.id, b.outs, bIn, { target: "local", pipeline: b.outs.pipeline });

    const sIn = { target: "local", pipeline: name, name: "hook", type: "api", status: "active" };
    const s = await schedules.create(sIn);
    expect(s.outs.runUrl).toBe(`${mageTarget().url}/api/pipeline_schedules/${s.id}/pipeline_runs/${s.outs.token}`);
    await readVerify(schedules, s.id, s.outs, sIn, { target: "local", pipeline: s.outs.pipeline });

    const bNext = { ...bIn, code: "x = 2\n" };
    expect(await blocks.diff!(b.id, b.outs, bNext)).toEqual({ changes: true, replaces: [] });
    const bUpdated = await blocks.update!(b.id, b.outs, bNext);
    await readVerify(blocks, b.id, bUpdated.outs!, bNext, { target: "local", pipeline: bUpdated.outs!.pipeline });

    const pNext = { ...pIn, description: "now described" };
    const pUpdated = await pipelines.update!(p.id, p.outs, pNext);
    await readVerify(pipelines, p.id, pUpdated.outs!, pNext);

    // With readLastRun, refresh reports the pipeline's last run as Mage lists it.
    expect(pUpdated.outs!.lastRunStatus).toBeUndefined();
    const watched = { ...pNext, readLastRun: true };
    const pWatched = await pipelines.update!(p.id, pUpdated.outs!, watched);
    expect((await pipelines.read!(p.id, pWatched.outs!)).props).toMatchObject({ lastRunStatus: "", lastRunId: 0 });
    await testClient().call("POST", `/api/pipeline_schedules/${s.id}/pipeline_runs/${s.outs.token}`, {
      body: { pipeline_run: { variables: {} } },
    });
    const seen = (await pipelines.read!(p.id, pWatched.outs!)).props!;
    const [latest] = (
      await testClient().call<any>("GET", "/api/pipeline_runs", { query: { pipeline_uuid: p.id, _limit: "1" } })
    ).pipeline_runs;
    expect(seen.lastRunId).toBe(latest.id);
    expect(seen.lastRunAt).toBe(normalizeTime(latest.created_at));
    expect(["initial", "running", "completed", "failed", "cancelled"]).toContain(seen.lastRunStatus);
    expect(await pipelines.diff!(p.id, seen, watched)).toEqual({ changes: false, replaces: [] });

    // Token rotation needs Mage 0.9.76 (MAGE_FEATURES): older servers refuse it at check(), before any write.
    let sLast = s.outs;
    if (mageAtLeast("0.9.76")) {
      // A new rotateToken value gives the api trigger a new token: the outputs and the server agree, the old URL is gone.
      // Its first value is recorded (the token stays); a later change rotates.
      const sFirst = { ...sIn, rotateToken: "2026-10" };
      const first = await schedules.update!(s.id, s.outs, sFirst);
      expect(first.outs!.token).toBe(s.outs.token);
      const sNext = { ...sIn, rotateToken: "2026-11" };
      expect(await schedules.diff!(s.id, first.outs!, sNext)).toEqual({ changes: true, replaces: [] });
      const rotated = await schedules.update!(s.id, first.outs!, sNext);
      expect(rotated.outs!.token).not.toBe(s.outs.token);
      const row = (await testClient().call<any>("GET", `/api/pipeline_schedules/${s.id}`)).pipeline_schedule;
      expect(row.token).toBe(rotated.outs!.token);
      expect(rotated.outs!.runUrl).toBe(
        `${mageTarget().url}/api/pipeline_schedules/${s.id}/pipeline_runs/${row.token}`,
      );
      const reread = await schedules.read!(s.id, rotated.outs!);
      expect(reread.props).toEqual(rotated.outs);
      expect(await schedules.diff!(s.id, reread.props!, sNext)).toEqual({ changes: false, replaces: [] });
      // Mage keeps no such field: a trigger read by id alone records the first value it is given, without rotating.
      const imported = await schedules.read!(s.id, { target: "local", pipeline: s.outs.pipeline });
      const recorded = await schedules.update!(s.id, imported.props!, sNext);
      expect(recorded.outs!.token).toBe(row.token);

      sLast = rotated.outs!;
    } else {
      expect((await schedules.check!({}, { ...sIn, rotateToken: "2026-10" })).failures).toEqual([
        {
          property: "rotateToken",
          reason: `rotating an api trigger's token needs Mage 0.9.76 or newer; ${mageTarget().url} runs ${mageVersion()}`,
        },
      ]);
    }

    await schedules.delete!(s.id, sLast);
    await blocks.delete!(b.id, bUpdated.outs!);
    await pipelines.delete!(p.id, pWatched.outs!);
    expect((await schedules.read!(s.id, s.outs)).id).toBe("");
    expect((await blocks.read!(b.id, bUpdated.outs!)).id).toBe("");
    expect((await pipelines.read!(p.id, pUpdated.outs!)).id).toBe("");
  });

  it("cloneFrom: checked before any call, made as Mage's copy, then a pipeline like any other", async () => {
    const pipelines = await loaded(pipelineProvider);
    const client = testClient();
    const source = uniqueName("Template");
    const src = await pipelines.create({ target: "local", name: source, variables: { env: "dev" } });
    await client.call("POST", `/api/pipelines/${src.id}/blocks`, {
      body: { block: { name: `${src.id}_load`, type: "data_loader", language: "python", content: "x = 1\n" } },
    });

    const named = await pipelines.check!({}, { target: "local", name: "Nightly Copy", cloneFrom: source });
    expect(named.failures).toEqual([
      {
        property: "name",
        reason:
          "a pipeline made with cloneFrom needs a name that is already its Mage uuid (Mage copies under the name as given): use 'nightly_copy'",
      },
    ]);
    const name = pipelineUuid(uniqueName("copy"));
    const cIn = { target: "local", name, tags: ["copy"], cloneFrom: source };
    expect((await pipelines.check!({}, cIn)).failures).toBeUndefined();
    const c = await pipelines.create(cIn);
    await readVerify(pipelines, c.id, c.outs, cIn);
    const blocks = (await client.call<any>("GET", `/api/pipelines/${c.id}`)).pipeline.blocks;
    expect(blocks.map((b: any) => b.uuid)).toEqual([`${src.id}_load`]);
    // How it was made is history: another source later is no change, and nothing is copied again.
    expect(await pipelines.diff!(c.id, c.outs, { ...cIn, cloneFrom: "another_template" })).toEqual({
      changes: false,
      replaces: [],
    });
    expect(await pipelines.diff!(c.id, c.outs, { ...cIn, cloneFrom: undefined })).toEqual({
      changes: false,
      replaces: [],
    });

    await pipelines.delete!(c.id, c.outs);
    await pipelines.delete!(src.id, src.outs);
    expect((await pipelines.read!(c.id, c.outs)).id).toBe("");
  });

  it("a block's check says what dbt and global_data_product blocks need, as validate does for YAML", async () => {
    const blocks = await loaded(blockProvider);
    const check = async (inputs: Record<string, unknown>) =>
      (await blocks.check!({}, { target: "local", pipeline: "p", ...inputs })).failures;
    expect(await check({ name: "orders", type: "dbt", language: "sql", code: "select 1" })).toEqual([
      {
        property: "name",
        reason:
          "a dbt model block's name is its model file's path in the Mage project without .sql (Mage's uuid for it), e.g. dbt/demo/models/orders",
      },
    ]);
    expect(await check({ name: "build", type: "dbt", language: "yaml", code: "--select x" })).toEqual([
      {
        property: "configuration",
        reason: "a dbt command block names its dbt project in configuration.dbt_project_name (e.g. dbt/demo)",
      },
    ]);
    expect(
      await check({ name: "dbt/demo/models/orders", type: "dbt", language: "sql", code: "select 1" }),
    ).toBeUndefined();
    expect(await check({ name: "product", type: "global_data_product" })).toEqual([
      {
        property: "configuration",
        reason: "global_data_product blocks name the product Mage runs in configuration.global_data_product.uuid",
      },
    ]);
    expect(await check({ name: "loader", type: "data_loader" })).toEqual([
      { property: "code", reason: "needs 'code' (inline) or 'codeFile' (a file)" },
    ]);
  });

  it("an unknown target fails with what to configure, before any call", async () => {
    const pipelines = await loaded(pipelineProvider);
    await expect(pipelines.create({ target: "prod", name: "x" })).rejects.toThrow(
      "no mage target 'prod': set stack config pipelines:targets.prod with engine: mage and url",
    );
  });
});
