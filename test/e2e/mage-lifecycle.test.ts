// The whole lifecycle through the real Pulumi CLI against the real Mage:
// up → no-op preview (0 writes) → in-place updates → out-of-band drift seen by
// refresh → removals delete exactly what was dropped → destroy leaves nothing.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blockFilePath, blockUuid, pipelineUuid } from "../../provider/backends/mage/names";
import { type RecordingProxy, startRecordingProxy } from "../fakes/recordingProxy";
import { configureMage, mageProjectDir, mageTarget, testClient, uniqueName } from "../helpers/mage";
import { createStack, ops, type TestStack } from "../helpers/pulumi";

const program = path.join(__dirname, "programs", "mage-lifecycle");

describe("mage lifecycle through the Pulumi CLI", () => {
  let stack: TestStack;
  let proxy: RecordingProxy;
  const name = uniqueName("e2e pipeline");
  const uuid = pipelineUuid(name);
  const prefix = blockUuid(uniqueName("b"));
  const mage = () => testClient();

  const blocks = async () =>
    (
      await mage().call<any>("GET", `/api/pipelines/${uuid}`, {
        query: { includes_content: "false", includes_outputs: "false" },
      })
    ).pipeline.blocks.map((b: any) => b.uuid);
  const schedules = async () =>
    (await mage().call<any>("GET", "/api/pipeline_schedules", { query: { _limit: "1000" } })).pipeline_schedules.filter(
      (s: any) => s.pipeline_uuid === uuid,
    );

  beforeAll(async () => {
    const target = mageTarget();
    proxy = await startRecordingProxy(target.url);
    stack = await createStack(program);
    await stack.config("e2e:pipelineName", name);
    await stack.config("e2e:blockPrefix", prefix);
    await stack.config("e2e:step", "1");
    await stack.config("e2e:apiToken", "mage-e2e-token-3141", { secret: true });
    await configureMage(stack, proxy.url);
  }, 120_000);

  afterAll(async () => {
    await stack?.remove();
    await proxy?.close();
  });

  it("creates the pipeline, its blocks and triggers", async () => {
    expect(ops(await stack.preview("mage-create"))).toEqual({ create: 6 });
    const r = await stack.up();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(await blocks()).toEqual([`${prefix}_load`, `${prefix}_double`, `${prefix}_export`]);
    const live = await schedules();
    expect(live.map((s: any) => s.name).sort()).toEqual(["daily", "hook"]);
    const daily = live.find((s: any) => s.name === "daily");
    expect(daily.schedule_interval).toBe("@daily");
    const file = path.join(mageProjectDir(), blockFilePath("transformer", `${prefix}_double`, "python"));
    expect(fs.readFileSync(file, "utf8")).toContain("r * 2");
  }, 180_000);

  it("keeps the api trigger's token secret and its run URL callable", async () => {
    const hook = await stack.outputs("hook");
    const secretSig = "4dabf18193072939515e22adb298388d";
    expect(hook.token[secretSig]).toBeDefined();
    expect(hook.runUrl[secretSig]).toBeDefined();
    const live = (await schedules()).find((s: any) => s.name === "hook");
    const shown = (await stack.must(["stack", "output", "hookRunUrl", "--show-secrets"])).stdout.trim();
    expect(shown).toBe(`${proxy.url}/api/pipeline_schedules/${live.id}/pipeline_runs/${live.token}`);
    expect((await stack.must(["stack", "output", "hookRunUrl"])).stdout.trim()).toBe("[secret]");
  });

  it("previews no changes and sends Mage no write", async () => {
    proxy.reset();
    const preview = await stack.preview();
    expect(ops(preview)).toEqual({ same: 6 });
    expect(proxy.writes()).toEqual([]);
    expect(JSON.stringify(await stack.export())).not.toContain("mage-e2e-token-3141");
  }, 120_000);

  it("updates block code and the trigger interval in place", async () => {
    await stack.config("e2e:step", "2");
    const preview = await stack.preview("mage-update-code-and-schedule");
    expect(ops(preview)).toEqual({ same: 4, update: 2 });
    proxy.reset();
    const r = await stack.up();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const file = path.join(mageProjectDir(), blockFilePath("transformer", `${prefix}_double`, "python"));
    expect(fs.readFileSync(file, "utf8")).toContain("r * 3 for r in rows]  # tripled");
    expect((await schedules()).find((s: any) => s.name === "daily").schedule_interval).toBe("@hourly");
    // A session login, then one write for the code file and one for the trigger: nothing recreated.
    const file2 = encodeURIComponent(blockFilePath("transformer", `${prefix}_double`, "python"));
    const daily = (await schedules()).find((s: any) => s.name === "daily");
    expect(
      proxy
        .writes()
        .map((w) => `${w.method} ${w.path}`)
        .sort(),
    ).toEqual(
      ["POST /api/sessions", `PUT /api/file_contents/${file2}`, `PUT /api/pipeline_schedules/${daily.id}`].sort(),
    );
  }, 180_000);

  it("sees an out-of-band change on refresh", async () => {
    const loaderFile = blockFilePath("data_loader", `${prefix}_load`, "python");
    await mage().call<any>("PUT", `/api/pipelines/${uuid}`, {
      body: { pipeline: { description: "edited in the Mage UI" } },
    });
    await mage().call<any>("PUT", `/api/file_contents/${encodeURIComponent(loaderFile)}`, {
      body: { file_content: { content: "# hotfix\n" } },
    });
    const r = await stack.refresh();
    expect(r.stdout).toMatch(/~ 2 updated/);
    expect((await stack.outputs("pipeline")).description).toBe("edited in the Mage UI");
    expect((await stack.outputs("loader")).code).toBe("# hotfix\n");
    const preview = await stack.preview("mage-drift");
    expect(ops(preview)).toEqual({ same: 4, update: 2 });
    expect((await stack.up()).code).toBe(0);
    expect((await mage().call<any>("GET", `/api/pipelines/${uuid}`)).pipeline.description).toBe("e2e lifecycle");
    expect(fs.readFileSync(path.join(mageProjectDir(), loaderFile), "utf8")).toContain("return [1, 2, 3]");
  }, 240_000);

  it("a refresh without drift leaves every resource's inputs as they were", async () => {
    // Rewritten inputs would make the next `up` rewrite each resource's state once (seconds per hundred resources).
    // Secrets shown in plain text: their ciphertext differs on every export.
    const inputs = async () =>
      JSON.parse((await stack.must(["stack", "export", "--show-secrets"])).stdout).deployment.resources.map(
        (r: any) => [r.urn, r.inputs],
      );
    const before = await inputs();
    const r = await stack.refresh();
    expect(r.stdout).not.toMatch(/updated/);
    expect(await inputs()).toEqual(before);
  }, 120_000);

  it("a rename previews as a replace of the pipeline and everything in it", async () => {
    await stack.config("e2e:pipelineName", `${name} renamed`);
    expect(ops(await stack.preview("mage-replace"))).toEqual({ replace: 6 });
    await stack.config("e2e:pipelineName", name);
  }, 120_000);

  it("deletes exactly the block and trigger dropped from the program", async () => {
    await stack.config("e2e:step", "3");
    expect(ops(await stack.preview("mage-delete"))).toEqual({ same: 4, delete: 2 });
    const r = await stack.up();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(await blocks()).toEqual([`${prefix}_load`, `${prefix}_double`]);
    expect((await schedules()).map((s: any) => s.name)).toEqual(["hook"]);
  }, 180_000);

  it("destroy leaves nothing on the server", async () => {
    await stack.destroy();
    const pipelines = (await mage().call<any>("GET", "/api/pipelines", { query: { _limit: "1000" } })).pipelines.map(
      (p: any) => p.uuid,
    );
    expect(pipelines).not.toContain(uuid);
    expect(await schedules()).toEqual([]);
    expect((await stack.export()).deployment.resources ?? []).toEqual([]);
  }, 180_000);
});
