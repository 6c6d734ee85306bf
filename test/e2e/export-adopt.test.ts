// Onboarding what already runs: pipelines made directly through Mage's API
// (not by this project) are exported, validated, adopted by the GitOps
// program with no write to Mage, then preview as unchanged, and a second
// export is byte-identical. A pipeline the stack does not declare stays as it was.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pipelineUuid } from "../../provider/backends/mage/names";
import { type RecordingProxy, startRecordingProxy } from "../fakes/recordingProxy";
import { configureMage, mageTarget, testClient, uniqueName } from "../helpers/mage";
import { createStack, ops, type TestStack } from "../helpers/pulumi";

const root = path.resolve(__dirname, "..", "..");
const cli = path.join(root, "dist", "provider", "cli", "main.js");
const run = promisify(execFile);

describe("export → adopt → no change → export again (real Mage)", () => {
  const mage = testClient();
  const name = uniqueName("legacy etl");
  const uuid = pipelineUuid(name);
  const bystander = pipelineUuid(uniqueName("bystander"));
  const product = `${bystander}_product`;
  const dbtProject = `${bystander}_dbt`;
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "pp-export-"));
  const again = fs.mkdtempSync(path.join(os.tmpdir(), "pp-export-"));
  let proxy: RecordingProxy;
  let stack: TestStack;

  const exportTo = (dir: string) => {
    const t = mageTarget();
    return run("node", [cli, "export", "--target", "mage", "--pipeline", name, "--out", dir], {
      env: { ...process.env, MAGE_URL: t.url, MAGE_EMAIL: t.email, MAGE_PASSWORD: t.password },
    });
  };
  const detail = async (p: string) =>
    (
      await mage.call<any>("GET", `/api/pipelines/${p}`, {
        query: { includes_content: "true", includes_outputs: "false" },
      })
    ).pipeline;
  const triggers = async (p: string) =>
    (await mage.call<any>("GET", `/api/pipelines/${p}/pipeline_schedules`, { query: { _limit: "1000" } }))
      .pipeline_schedules;

  beforeAll(async () => {
    // Made the way a team made them: through Mage's API, one call at a time.
    await mage.call<any>("POST", "/api/pipelines", {
      body: { pipeline: { name, type: "python", description: "Built by hand in the UI", tags: ["legacy", "etl"] } },
    });
    await mage.call<any>("POST", `/api/pipelines/${uuid}/variables`, {
      body: { variable: { name: "source", value: "s3://bucket/orders" } },
    });
    // Run settings as the pipeline's settings page saves them (one PUT).
    await mage.call<any>("PUT", `/api/pipelines/${uuid}`, {
      body: {
        pipeline: {
          retry_config: { retries: 3, delay: 30, exponential_backoff: true },
          concurrency_config: { block_run_limit: 2, pipeline_run_limit: 1 },
          run_pipeline_in_one_process: true,
          settings: { triggers: { save_in_code_automatically: false } },
        },
      },
    });
    const block = (b: Record<string, unknown>) =>
      mage.call<any>("POST", `/api/pipelines/${uuid}/blocks`, { body: { block: b } });
    await block({
      name: "load_orders",
      type: "data_loader",
      language: "python",
      content: "@data_loader\ndef load(*a, **k):\n    return [1, 2]\n",
    });
    await block({
      name: "shape_orders",
      type: "transformer",
      language: "sql",
      content: "SELECT * FROM {{ df_1 }}\n",
      upstream_blocks: ["load_orders"],
      configuration: { data_provider: "postgres", data_provider_profile: "default" },
    });
    await block({ name: "read_me", type: "markdown", language: "markdown", content: "# Orders\n\nLegacy ETL.\n" });
    await block({ name: "try_things", type: "scratchpad", language: "python", content: "print('hi')\n" });
    // Block settings as the block's settings panel saves them (an update; Mage's create ignores them).
    await mage.call<any>("PUT", `/api/pipelines/${uuid}/blocks/shape_orders`, {
      body: { block: { retry_config: { retries: 1 }, timeout: 600, color: "purple" } },
    });
    await block({
      name: "export_orders",
      type: "data_exporter",
      language: "python",
      content: "@data_exporter\ndef export(df, *a, **k):\n    pass\n",
      upstream_blocks: ["shape_orders"],
    });
    await block({
      name: "notify",
      type: "callback",
      language: "python",
      content: "@callback('success')\ndef ok(*a, **k):\n    pass\n",
      upstream_blocks: ["export_orders"],
    });
    await block({
      name: "weekdays_only",
      type: "conditional",
      language: "python",
      content: "@condition\ndef ok(*a, **k):\n    return True\n",
      upstream_blocks: ["load_orders"],
    });
    // A dbt project in the repository, a model and a command added the way Mage's editor adds them.
    const write = (file: string, content: string) =>
      mage.call("PUT", `/api/file_contents/${encodeURIComponent(file)}`, { body: { file_content: { content } } });
    await write(`dbt/${dbtProject}/dbt_project.yml`, `name: ${dbtProject}\nprofile: ${dbtProject}\n`);
    await write(
      `dbt/${dbtProject}/profiles.yml`,
      `${dbtProject}:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: ${path.join(out, "x.duckdb")}\n`,
    );
    await block({
      name: "daily_orders",
      type: "dbt",
      language: "sql",
      content: "select 1 as id\n",
      configuration: { file_path: `dbt/${dbtProject}/models/daily_orders.sql` },
    });
    await block({
      name: "build_orders",
      type: "dbt",
      language: "yaml",
      content: "--select daily_orders\n",
      configuration: { dbt_project_name: `dbt/${dbtProject}`, dbt: { command: "build" } },
      upstream_blocks: [`dbt/${dbtProject}/models/daily_orders`],
    });
    const trigger = async (t: Record<string, unknown>, tags?: string[]) => {
      const row = (
        await mage.call<any>("POST", `/api/pipelines/${uuid}/pipeline_schedules`, { body: { pipeline_schedule: t } })
      ).pipeline_schedule;
      if (tags)
        await mage.call<any>("PUT", `/api/pipeline_schedules/${row.id}`, { body: { pipeline_schedule: { tags } } });
    };
    await trigger(
      {
        name: "nightly",
        schedule_type: "time",
        schedule_interval: "0 2 * * *",
        start_time: "2030-01-01 02:00:00",
        status: "active",
        variables: { full: true },
        settings: { skip_if_previous_running: true },
      },
      ["prod"],
    );
    await trigger({ name: "on upload", schedule_type: "event", status: "inactive", description: "new files" });
    const events = (await mage.call<any>("GET", `/api/pipelines/${uuid}/pipeline_schedules`)).pipeline_schedules;
    await mage.call<any>("PUT", `/api/pipeline_schedules/${events.find((t: any) => t.name === "on upload").id}`, {
      body: {
        pipeline_schedule: {
          event_matchers: [{ name: "uploads", event_type: "aws_event", pattern: { source: ["aws.s3"] } }],
        },
      },
    });
    await trigger({ name: "webhook", schedule_type: "api", status: "active" });
    await mage.call<any>("POST", "/api/pipelines", {
      body: { pipeline: { name: bystander, type: "python", description: "not ours" } },
    });
    // A global data product of another pipeline, and a block that runs it (no code of its own).
    await mage.call<any>("POST", "/api/global_data_products", {
      body: { global_data_product: { uuid: product, object_type: "pipeline", object_uuid: bystander } },
    });
    await block({
      name: "orders_product",
      type: "global_data_product",
      upstream_blocks: ["load_orders"],
      configuration: { global_data_product: { uuid: product, outdated_after: { hours: 1 } } },
    });

    proxy = await startRecordingProxy(mageTarget().url);
    stack = await createStack(root);
    await configureMage(stack, proxy.url);
    await stack.config("pipelines:path", path.join(out, "pipelines"));
  }, 180_000);

  afterAll(async () => {
    // The stack's state goes, the adopted objects stay (as in a real hand-over); then they are cleaned up directly.
    await stack?.remove();
    await proxy?.close();
    for (const p of [uuid, bystander]) await mage.call<any>("DELETE", `/api/pipelines/${p}`).catch(() => undefined);
    await mage.call<any>("DELETE", `/api/global_data_products/${product}`).catch(() => undefined);
    fs.rmSync(out, { recursive: true, force: true });
    fs.rmSync(again, { recursive: true, force: true });
  });

  it("exports declarations and code files that validate, with the adopt marker and no credentials", async () => {
    const r = await exportTo(out);
    expect(r.stdout).toMatch(/1 pipeline exported/);
    const yaml = fs.readFileSync(path.join(out, "pipelines", `${uuid}.yaml`), "utf8");
    expect(yaml).toMatch(/adopt: true/);
    expect(yaml).toContain("codeFile: ../blocks/");
    expect(yaml).toMatch(/retryConfig:\n\s+delay: 30\n\s+exponential_backoff: true\n\s+retries: 3/);
    expect(yaml).toMatch(/concurrencyConfig:\n\s+block_run_limit: 2\n\s+pipeline_run_limit: 1/);
    expect(yaml).toContain("runPipelineInOneProcess: true");
    expect(yaml).toMatch(/- name: read_me\n\s+type: markdown\n\s+language: markdown/);
    expect(yaml).toMatch(/- name: try_things\n\s+type: scratchpad/);
    expect(yaml).toMatch(
      new RegExp(
        `- name: orders_product\\n\\s+type: global_data_product\\n\\s+upstream:\\n\\s+- load_orders\\n\\s+configuration:\\n\\s+global_data_product:\\n\\s+outdated_after:\\n\\s+hours: 1\\n\\s+uuid: ${product}\\n`,
      ),
    );
    expect(walk(out).filter((f) => f.includes("orders_product"))).toEqual([]);
    expect(yaml).toMatch(
      new RegExp(`- name: dbt/${dbtProject}/models/daily_orders\\n\\s+type: dbt\\n\\s+language: sql\\n`),
    );
    expect(yaml).toMatch(/- name: build_orders\n\s+type: dbt\n\s+language: yaml\n/);
    expect(yaml).not.toMatch(/file_source|file_path/);
    expect(
      fs.readFileSync(path.join(out, "blocks", uuid, "dbt", dbtProject, "models", "daily_orders.sql"), "utf8"),
    ).toBe("select 1 as id\n");
    expect(yaml).toMatch(/eventMatchers:\n\s+- name: uploads\n\s+pattern:\n\s+source:\n\s+- aws.s3/);
    expect(yaml).toMatch(/retryConfig:\n\s+retries: 1\n\s+timeout: 600\n\s+color: purple/);
    expect(yaml).toMatch(/settings:\n\s+triggers:\n\s+save_in_code_automatically: false/);
    expect(fs.readFileSync(path.join(out, "blocks", uuid, "transformers", "shape_orders.sql"), "utf8")).toBe(
      "SELECT * FROM {{ df_1 }}\n",
    );
    for (const f of walk(out)) expect(fs.readFileSync(f, "utf8")).not.toContain(mageTarget().password!);
    const v = await run("node", [cli, "validate", path.join(out, "pipelines")]);
    expect(v.stdout).toMatch(/1 pipeline: valid/);
  }, 60_000);

  it("previews only adoptions, then adopts with no write to Mage", async () => {
    const before = { pipeline: await detail(uuid), triggers: await triggers(uuid), bystander: await detail(bystander) };
    // Ten blocks, three triggers, the pipeline: all to be taken over, nothing updated or replaced.
    expect(ops(await stack.preview())).toEqual({ create: 14 });
    proxy.reset();
    const r = await stack.up();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(proxy.writes().map((w) => `${w.method} ${w.path}`)).toEqual(["POST /api/sessions"]);
    expect(await detail(uuid)).toEqual(before.pipeline);
    expect(await triggers(uuid)).toEqual(before.triggers);
    expect(await detail(bystander)).toEqual(before.bystander);
  }, 240_000);

  it("then previews no change, and a second export is byte-identical", async () => {
    proxy.reset();
    expect(ops(await stack.preview())).toEqual({ same: 14 });
    expect(proxy.requests).toEqual([]);
    await exportTo(again);
    const files = (dir: string) => walk(dir).map((f) => [path.relative(dir, f), fs.readFileSync(f, "utf8")]);
    expect(files(again)).toEqual(files(out));
  }, 120_000);

  it("removing the adopt marker afterwards changes nothing", async () => {
    const file = path.join(out, "pipelines", `${uuid}.yaml`);
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(/^\s*adopt: true\n/m, ""));
    expect(fs.readFileSync(file, "utf8")).not.toMatch(/^\s*adopt:/m);
    expect(ops(await stack.preview())).toEqual({ same: 14 });
  }, 120_000);
});

function walk(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .sort();
}
