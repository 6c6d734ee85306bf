// A Python program (examples/python) through the provider plugin, as a Python
// team without Node runs it: the SDK's wheel installed with pip, the plugin
// installed by `pulumi plugin install --file` from the release's archive (or
// fetched by Pulumi itself from the schema's pluginDownloadURL), no Node on
// PATH, the real Pulumi CLI and Python language host, the run's Mage and the
// Feldera and Ionworks emulators. After each step the servers are read directly and
// compared with the program.
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { run } from "../../provider/cli/process";
import { type FelderaEmulator, startFelderaEmulator } from "../fakes/feldera/emulator";
import { type IonworksEmulator, startIonworksEmulator } from "../fakes/ionworks/emulator";
import { exampleProject, installPluginArchive, pathWithoutNode } from "../helpers/languages";
import { configureMage, mageSecretValue, mageTarget, testClient } from "../helpers/mage";
import { createStack, ops, type TestStack } from "../helpers/pulumi";
import { configureFeldera, configureIonworks } from "../helpers/targets";

const EXAMPLE = path.resolve(__dirname, "..", "..", "examples", "python");
const API_KEY = "apikey:languages-python-5521";
const TOKEN = "orders-token-py-8842";
const IONWORKS_KEY = "iw-languages-python-3318";
const WAREHOUSE_PASSWORD = "warehouse-py-7730";
const UUID = "py_orders";
const VERSION = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, "..", "..", "schemas", "pulumi.schema.json"), "utf8"),
).version as string;

/** A `pulumi` command that takes no --stack, in the stack's environment (its PULUMI_HOME, its PATH). */
const pulumi = (stack: TestStack, args: string[]) =>
  run(path.join(inject("pulumiBin"), "pulumi"), args, { env: stack.cliEnv, cwd: stack.programDir });

/** The release's wheel, then the program's requirements, into the lane's Python virtualenv. */
async function installSdk(dir: string): Promise<void> {
  const pip = path.join(inject("languages").python, "pip");
  const quiet = ["--quiet", "--disable-pip-version-check"];
  await run(pip, ["install", ...quiet, "--force-reinstall", "--no-deps", inject("release").wheel]);
  await run(pip, ["install", ...quiet, "-r", "requirements.txt"], { cwd: dir });
}

describe("a Python program through the provider plugin", () => {
  const mage = testClient();
  let emu: FelderaEmulator;
  let ionworks: IonworksEmulator;
  let stack: TestStack;
  let dir: string;

  const pipeline = async () =>
    (await mage.call<any>("GET", `/api/pipelines/${UUID}`, { query: { includes_content: "true" } })).pipeline;
  const triggers = async () =>
    (await mage.call<any>("GET", `/api/pipelines/${UUID}/pipeline_schedules`)).pipeline_schedules;

  beforeAll(async () => {
    emu = await startFelderaEmulator({ apiKey: API_KEY, stepMs: 20 });
    ionworks = await startIonworksEmulator({ apiKey: IONWORKS_KEY, autoAdvanceMs: 20 });
    dir = exampleProject("python");
    expect(fs.existsSync(path.join(dir, "node_modules"))).toBe(false);
    // As the docs say: the release's wheel, then the requirements (which it satisfies).
    await installSdk(dir);
    stack = await createStack(dir, {
      PATH: pathWithoutNode(inject("pulumiBin"), inject("languages")),
      PULUMI_PIPELINES_POLL_MS: "50",
    });
    const { archive } = inject("release");
    await installPluginArchive(inject("pulumiBin"), stack, archive);
    await configureMage(stack);
    await configureFeldera(stack, emu.url, API_KEY);
    await configureIonworks(stack, ionworks, IONWORKS_KEY);
    await stack.config("pipelines:secrets.ORDERS_API_TOKEN", TOKEN, { path: true, secret: true });
    await stack.config("pipelines:secrets.WAREHOUSE_PASSWORD", WAREHOUSE_PASSWORD, { path: true, secret: true });
  }, 300_000);

  afterAll(async () => {
    await stack?.remove();
    await emu?.close();
    await ionworks?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("runs the installed plugin: the archive's single executable, not Node", async () => {
    const plugins = JSON.parse(await pulumi(stack, ["plugin", "ls", "--json"])) as {
      name: string;
      kind: string;
      version: string;
      path: string;
    }[];
    const plugin = plugins.find((p) => p.name === "pipelines" && p.kind === "resource");
    expect(plugin?.version).toBe(VERSION);
    const exe = path.join(stack.home, "plugins", `resource-pipelines-v${VERSION}`, "pulumi-resource-pipelines");
    expect(await run(exe, ["--version"], { env: { PATH: "/nonexistent" } })).toBe(`${VERSION}\n`);
  }, 60_000);

  it("deploys: Mage, Feldera and Ionworks hold what the program declares", async () => {
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
    // The block's sqlFile, read by the plugin.
    expect(fraud?.program_code).toContain(fs.readFileSync(path.join(EXAMPLE, "sql", "large_payments.sql"), "utf8"));
    expect(fraud?.program_status).toBe("Success");
    expect(emu.violations).toEqual([]);

    // The secret, as a block reads it from Mage's store.
    expect(await mageSecretValue("py_warehouse_password")).toBe(WAREHOUSE_PASSWORD);

    const [capacity] = [...ionworks.runs.values()];
    expect(capacity).toMatchObject({ name: "py-cell-capacity", status: "completed" });
    expect(capacity.elements.map((e) => [e.name, e.type])).toEqual([
      ["known", "entry"],
      ["balance", "calculation"],
    ]);
    expect((await stack.outputs("cell-capacity")).status).toBe("completed");
  }, 300_000);

  it("previews no change, and state holds references, never the values", async () => {
    expect(ops(await stack.preview())).toEqual({ same: 8 });
    const state = JSON.stringify(await stack.export());
    expect(state).not.toContain(TOKEN);
    expect(state).not.toContain(WAREHOUSE_PASSWORD);
    expect(state).not.toContain(API_KEY);
    expect(state).not.toContain(IONWORKS_KEY);
    expect(state).toContain('"secret":"ORDERS_API_TOKEN"');
  }, 180_000);

  it("an edit updates the pipeline in place, and a new secret value reaches Mage", async () => {
    await stack.config("description", "Orders, edited from Python");
    await stack.config("pipelines:secrets.ORDERS_API_TOKEN", `${TOKEN}-rotated`, { path: true, secret: true });
    expect(ops(await stack.preview())).toEqual({ same: 7, update: 1 });
    const r = await stack.up();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const p = await pipeline();
    expect(p.description).toBe("Orders, edited from Python");
    expect(p.variables.orders_api_token).toBe(`${TOKEN}-rotated`);
    expect(p.blocks).toHaveLength(3);
    expect(ops(await stack.preview())).toEqual({ same: 8 });
  }, 300_000);

  it("a change made in Mage's UI shows on refresh, and the next up puts the declaration back", async () => {
    await mage.call<any>("PUT", `/api/pipelines/${UUID}`, { body: { pipeline: { description: "changed in the UI" } } });
    await stack.refresh();
    expect((await stack.outputs("orders")).description).toBe("changed in the UI");
    expect(ops(await stack.preview())).toEqual({ same: 7, update: 1 });
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
    expect(ionworks.runs.size).toBe(0);
    expect(await mageSecretValue("py_warehouse_password")).toBeNull();
    expect((await stack.export()).deployment.resources ?? []).toEqual([]);
  }, 300_000);
});

describe("a Python program whose plugin Pulumi fetches itself", () => {
  let dir: string;
  let stack: TestStack;
  let release: http.Server;

  beforeAll(async () => {
    dir = exampleProject("python");
    await installSdk(dir);
    // The release's assets served as GitHub serves them; Pulumi's download override points the schema's
    // pluginDownloadURL (github://api.github.com/pulumi-pipelines/pulumi-pipelines) here.
    release = http.createServer((req, res) => {
      const file = path.join(inject("release").dir, path.basename(decodeURIComponent(req.url ?? "")));
      if (!fs.existsSync(file)) return void res.writeHead(404).end();
      res.writeHead(200, { "content-length": fs.statSync(file).size });
      fs.createReadStream(file).pipe(res);
    });
    await new Promise<void>((resolve) => release.listen(0, "127.0.0.1", resolve));
    const { port } = release.address() as AddressInfo;
    stack = await createStack(dir, {
      PATH: pathWithoutNode(inject("pulumiBin"), inject("languages")),
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "false",
      PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES: `^github://api.github.com/pulumi-pipelines/pulumi-pipelines=http://127.0.0.1:${port}`,
    });
    await configureMage(stack);
    await stack.config("pipelines:feldera.url", "http://127.0.0.1:9", { path: true });
    await stack.config("pipelines:feldera.apiKey", API_KEY, { path: true, secret: true });
    await stack.config("pipelines:ionworks.url", "http://127.0.0.1:9", { path: true });
    await stack.config("pipelines:ionworks.project", "p", { path: true });
    await stack.config("pipelines:ionworks.apiKey", IONWORKS_KEY, { path: true, secret: true });
    await stack.config("pipelines:secrets.ORDERS_API_TOKEN", TOKEN, { path: true, secret: true });
    await stack.config("pipelines:secrets.WAREHOUSE_PASSWORD", WAREHOUSE_PASSWORD, { path: true, secret: true });
  }, 300_000);

  afterAll(async () => {
    await stack?.remove();
    release?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("preview downloads the archive named as the release names it, and runs it", async () => {
    expect(fs.existsSync(path.join(stack.home, "plugins", `resource-pipelines-v${VERSION}`))).toBe(false);
    expect(ops(await stack.preview())).toEqual({ create: 8 });
    const exe = path.join(stack.home, "plugins", `resource-pipelines-v${VERSION}`, "pulumi-resource-pipelines");
    expect(await run(exe, ["--version"], { env: { PATH: "/nonexistent" } })).toBe(`${VERSION}\n`);
  }, 300_000);
});

describe("a Python program that looks a pipeline up through an explicit provider (examples/python-lookup)", () => {
  const mage = testClient();
  const LOOKED_UP = "py_looked_up";
  let dir: string;
  let stack: TestStack;

  beforeAll(async () => {
    // Made outside any stack, as the UI makes it.
    await mage.call<any>("POST", "/api/pipelines", {
      body: { pipeline: { name: "py looked up", type: "python", description: "Made in the UI", tags: ["legacy"] } },
    });
    dir = exampleProject("python-lookup");
    await installSdk(dir);
    stack = await createStack(dir, { PATH: pathWithoutNode(inject("pulumiBin"), inject("languages")) });
    await installPluginArchive(inject("pulumiBin"), stack, inject("release").archive);
    // No pipelines:mage: only the explicit provider knows the server.
    const t = mageTarget();
    await stack.config("lookup:url", t.url);
    await stack.config("lookup:email", t.email!);
    await stack.config("lookup:password", t.password!, { secret: true });
    await stack.config("lookup:uuid", LOOKED_UP);
  }, 300_000);

  afterAll(async () => {
    await stack?.remove();
    await mage.call("DELETE", `/api/pipelines/${LOOKED_UP}`).catch(() => undefined);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("get reads what Mage holds, changes nothing there, and state keeps the provider's password encrypted", async () => {
    const before = (await mage.call<any>("GET", `/api/pipelines/${LOOKED_UP}`)).pipeline;
    const r = await stack.up();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const out = JSON.parse(await pulumi(stack, ["stack", "output", "--json"]));
    expect(out).toEqual({ name: "py looked up", description: "Made in the UI", tags: ["legacy"] });
    const after = (await mage.call<any>("GET", `/api/pipelines/${LOOKED_UP}`)).pipeline;
    expect(after).toEqual(before);
    const state = await stack.export();
    expect(JSON.stringify(state)).not.toContain(mageTarget().password!);
    const provider = state.deployment.resources.find((x: any) => x.type === "pulumi:providers:pipelines");
    expect(provider?.urn).toContain("::warehouse");
    // A read resource: Pulumi never deletes it.
    const read = state.deployment.resources.find((x: any) => x.urn.endsWith("::found"));
    expect(read?.external).toBe(true);
    await stack.destroy();
    expect((await mage.call<any>("GET", `/api/pipelines/${LOOKED_UP}`)).pipeline.uuid).toBe(LOOKED_UP);
  }, 300_000);
});
