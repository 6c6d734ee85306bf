// A Python program (examples/python) through the provider plugin, as a Python
// user runs it: the SDK generated into sdk/python installed with pip, the
// plugin from the packed package, the real Pulumi CLI and Python language host,
// the run's Mage and the Feldera emulator. After each step the servers are
// read directly and compared with the program.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { run } from "../../provider/cli/process";
import { type FelderaEmulator, startFelderaEmulator } from "../fakes/feldera/emulator";
import { exampleProject, languagePath } from "../helpers/languages";
import { configureMage, testClient } from "../helpers/mage";
import { createStack, ops, type TestStack } from "../helpers/pulumi";

const EXAMPLE = path.resolve(__dirname, "..", "..", "examples", "python");
const API_KEY = "apikey:languages-python-5521";
const TOKEN = "orders-token-py-8842";
const UUID = "py_orders";

describe("a Python program through the provider plugin", () => {
  const mage = testClient();
  let emu: FelderaEmulator;
  let stack: TestStack;
  let dir: string;

  const pipeline = async () =>
    (await mage.call<any>("GET", `/api/pipelines/${UUID}`, { query: { includes_content: "true" } })).pipeline;
  const triggers = async () =>
    (await mage.call<any>("GET", `/api/pipelines/${UUID}/pipeline_schedules`)).pipeline_schedules;

  beforeAll(async () => {
    emu = await startFelderaEmulator({ apiKey: API_KEY, stepMs: 20 });
    dir = exampleProject("python", inject("languages").packed);
    // As a user does: the requirements, the SDK among them from the installed npm package.
    const pip = path.join(inject("languages").python, "pip");
    await run(
      pip,
      ["install", "--quiet", "--disable-pip-version-check", "--force-reinstall", "-r", "requirements.txt"],
      {
        cwd: dir,
      },
    );
    const pulumiBin = inject("pulumiBin");
    stack = await createStack(dir, {
      PATH: languagePath(pulumiBin, inject("languages")),
      PULUMI_PIPELINES_POLL_MS: "50",
    });
    await configureMage(stack);
    await stack.config("pipelines:feldera.url", emu.url, { path: true });
    await stack.config("pipelines:feldera.apiKey", API_KEY, { path: true, secret: true });
    await stack.config("pipelines:secrets.ORDERS_API_TOKEN", TOKEN, { path: true, secret: true });
  }, 300_000);

  afterAll(async () => {
    await stack?.remove();
    await emu?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("deploys: Mage and Feldera hold what the program declares", async () => {
    const r = await stack.up();
    expect(r.code, r.stdout + r.stderr).toBe(0);

    const p = await pipeline();
    expect(p).toMatchObject({ name: "py orders", description: "Daily orders, declared in Python" });
    expect(p.tags.sort()).toEqual(["orders", "python"]);
    // The reference resolved by the plugin: Mage holds the value.
    expect(p.variables).toMatchObject({ region: "eu", orders_api_token: TOKEN });
    const blocks = Object.fromEntries(p.blocks.map((b: any) => [b.uuid, b]));
    expect(Object.keys(blocks).sort()).toEqual(["drop_empty", "fetch_orders", "write_orders"]);
    for (const [uuid, file] of Object.entries({ fetch_orders: "fetch_orders", drop_empty: "drop_empty" }))
      expect(blocks[uuid].content).toBe(fs.readFileSync(path.join(EXAMPLE, "blocks", `${file}.py`), "utf8"));
    expect(blocks.drop_empty.upstream_blocks).toEqual(["fetch_orders"]);
    expect(blocks.write_orders.upstream_blocks).toEqual(["drop_empty"]);
    expect(blocks.write_orders.type).toBe("data_exporter");

    const [daily] = await triggers();
    expect(daily).toMatchObject({
      name: "daily",
      schedule_type: "time",
      schedule_interval: "@daily",
      status: "active",
    });

    const fraud = emu.pipelines.get("py-fraud");
    expect(fraud?.program_code).toContain("CREATE MATERIALIZED VIEW large_payments");
    expect(fraud?.program_status).toBe("Success");
    expect(emu.violations).toEqual([]);
  }, 300_000);

  it("previews no change, and state holds references, never the values", async () => {
    expect(ops(await stack.preview())).toEqual({ same: 6 });
    const state = JSON.stringify(await stack.export());
    expect(state).not.toContain(TOKEN);
    expect(state).not.toContain(API_KEY);
    expect(state).toContain('"secret":"ORDERS_API_TOKEN"');
  }, 180_000);

  it("an edit updates the pipeline in place, and a new secret value reaches Mage", async () => {
    await stack.config("description", "Orders, edited from Python");
    await stack.config("pipelines:secrets.ORDERS_API_TOKEN", `${TOKEN}-rotated`, { path: true, secret: true });
    expect(ops(await stack.preview())).toEqual({ same: 5, update: 1 });
    const r = await stack.up();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const p = await pipeline();
    expect(p.description).toBe("Orders, edited from Python");
    expect(p.variables.orders_api_token).toBe(`${TOKEN}-rotated`);
    expect(p.blocks).toHaveLength(3);
    expect(ops(await stack.preview())).toEqual({ same: 6 });
  }, 300_000);

  it("a change made in Mage's UI shows on refresh, and the next up puts the declaration back", async () => {
    await mage.call<any>("PUT", `/api/pipelines/${UUID}`, { body: { pipeline: { description: "changed in the UI" } } });
    await stack.refresh();
    expect((await stack.outputs("orders")).description).toBe("changed in the UI");
    expect(ops(await stack.preview())).toEqual({ same: 5, update: 1 });
    const r = await stack.up();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect((await pipeline()).description).toBe("Orders, edited from Python");
    // Refresh re-marks what is secret: state still holds no value.
    expect(JSON.stringify(await stack.export())).not.toContain(TOKEN);
  }, 300_000);

  it("refuses a bad field at preview, naming it, before any write", async () => {
    const main = path.join(dir, "__main__.py");
    const program = fs.readFileSync(main, "utf8");
    fs.writeFileSync(main, program.replace('interval="@daily"', 'interval="every day"'));
    try {
      const before = JSON.stringify(await triggers());
      const r = await stack.run(["preview"]);
      expect(r.code).not.toBe(0);
      expect(r.stdout + r.stderr).toMatch(/orders-daily[\s\S]*interval/);
      expect(JSON.stringify(await triggers())).toBe(before);
    } finally {
      fs.writeFileSync(main, program);
    }
  }, 180_000);

  it("destroy deletes what it made", async () => {
    await stack.destroy();
    const { pipelines } = await mage.call<any>("GET", "/api/pipelines", { query: { _limit: "1000" } });
    expect(pipelines.map((p: any) => p.uuid)).not.toContain(UUID);
    expect(emu.pipelines.get("py-fraud")).toBeUndefined();
    expect((await stack.export()).deployment.resources ?? []).toEqual([]);
  }, 300_000);
});
