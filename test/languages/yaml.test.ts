// A Pulumi YAML program (examples/yaml) through the provider plugin installed
// from the release's archive, with no Node on PATH, and
// `pulumi import` of a pipeline made by hand in Mage: the YAML language host
// writes the imported pipeline's declaration, which joins the program and
// previews no change. The servers are read directly after each step.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { parse, stringify } from "yaml";
import { type FelderaEmulator, startFelderaEmulator } from "../fakes/feldera/emulator";
import { type IonworksEmulator, startIonworksEmulator } from "../fakes/ionworks/emulator";
import { felderaByHand, ionworksByHand, mageByHand } from "../helpers/handMade";
import { exampleProject, installPluginArchive, pathWithoutNode } from "../helpers/languages";
import { configureMage, mageSecretValue, testClient } from "../helpers/mage";
import { createStack, ops, type TestStack } from "../helpers/pulumi";
import { configureFeldera, configureIonworks } from "../helpers/targets";

const EXAMPLE = path.resolve(__dirname, "..", "..", "examples", "yaml");
const API_KEY = "apikey:languages-yaml-7310";
const IONWORKS_KEY = "iw-languages-yaml-2207";
const TOKEN = "stock-token-yaml-3391";
const WAREHOUSE_PASSWORD = "warehouse-yaml-8156";
const UUID = "yaml_stock";
const HAND_MADE = "hand_made_orders";

describe("a Pulumi YAML program through the provider plugin", () => {
  const mage = testClient();
  let emu: FelderaEmulator;
  let ionworks: IonworksEmulator;
  let stack: TestStack;
  let dir: string;

  const pipeline = async (uuid = UUID) =>
    (await mage.call<any>("GET", `/api/pipelines/${uuid}`, { query: { includes_content: "true" } })).pipeline;
  const uuids = async () =>
    (await mage.call<any>("GET", "/api/pipelines", { query: { _limit: "1000" } })).pipelines.map((p: any) => p.uuid);

  beforeAll(async () => {
    emu = await startFelderaEmulator({ apiKey: API_KEY, stepMs: 20 });
    ionworks = await startIonworksEmulator({ apiKey: IONWORKS_KEY, autoAdvanceMs: 5 });
    dir = exampleProject("yaml");
    stack = await createStack(dir, {
      PATH: pathWithoutNode(inject("pulumiBin"), inject("languages")),
      PULUMI_PIPELINES_POLL_MS: "50",
    });
    await installPluginArchive(inject("pulumiBin"), stack, inject("release").archive);
    await configureMage(stack);
    await configureFeldera(stack, emu.url, API_KEY);
    await stack.config("pipelines:secrets.STOCK_API_TOKEN", TOKEN, { path: true, secret: true });
    await stack.config("pipelines:secrets.WAREHOUSE_PASSWORD", WAREHOUSE_PASSWORD, { path: true, secret: true });
    await configureIonworks(stack, ionworks, IONWORKS_KEY);
  }, 300_000);

  afterAll(async () => {
    await stack?.remove();
    await emu?.close();
    await ionworks?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("deploys: Mage, Feldera and Ionworks hold what the program declares", async () => {
    const r = await stack.up();
    expect(r.code, r.stdout + r.stderr).toBe(0);

    const p = await pipeline();
    expect(p).toMatchObject({ name: "yaml stock", description: "Hourly stock levels, declared in Pulumi YAML" });
    expect(p.variables).toMatchObject({ warehouse: "north", stock_api_token: TOKEN });
    const blocks = Object.fromEntries(p.blocks.map((b: any) => [b.uuid, b]));
    expect(Object.keys(blocks).sort()).toEqual(["low_stock", "read_stock", "report_stock"]);
    // fn::readFile in the program, and codeFile read by the plugin, give Mage the file as it is.
    for (const uuid of ["read_stock", "low_stock", "report_stock"])
      expect(blocks[uuid].content).toBe(fs.readFileSync(path.join(EXAMPLE, "blocks", `${uuid}.py`), "utf8"));
    expect(blocks.low_stock.upstream_blocks).toEqual(["read_stock"]);
    expect(blocks.report_stock.upstream_blocks).toEqual(["low_stock"]);

    const { pipeline_schedules } = await mage.call<any>("GET", `/api/pipelines/${UUID}/pipeline_schedules`);
    expect(pipeline_schedules).toEqual([
      expect.objectContaining({ name: "hourly", schedule_interval: "@hourly", status: "active" }),
    ]);
    expect(emu.pipelines.get("yaml-restock")?.program_code).toContain("CREATE MATERIALIZED VIEW restock");
    expect(emu.violations).toEqual([]);

    expect(await mageSecretValue("yaml_warehouse_password")).toBe(WAREHOUSE_PASSWORD);
    const [capacity] = [...ionworks.runs.values()];
    expect(capacity).toMatchObject({ name: "yaml-cell-capacity", status: "completed" });
    expect(capacity.elements.map((e) => [e.name, e.type, e.job_config])).toEqual([
      ["known", "entry", { values: { "Nominal cell capacity [A.h]": 5 } }],
      [
        "balance",
        "calculation",
        { calculation: "ElectrodeVolumeFractionFromLoading", electrode: "positive", method: "loading" },
      ],
    ]);
  }, 300_000);

  it("previews no change, and state holds no secret value", async () => {
    expect(ops(await stack.preview())).toEqual({ same: 8 });
    const state = JSON.stringify(await stack.export());
    expect(state).not.toContain(TOKEN);
    expect(state).not.toContain(WAREHOUSE_PASSWORD);
    expect(state).not.toContain(API_KEY);
    expect(state).not.toContain(IONWORKS_KEY);
  }, 180_000);

  it("an edit updates the pipeline in place", async () => {
    await stack.config("description", "Stock, edited in YAML");
    expect(ops(await stack.preview())).toEqual({ same: 7, update: 1 });
    const r = await stack.up();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect((await pipeline()).description).toBe("Stock, edited in YAML");
    expect(ops(await stack.preview())).toEqual({ same: 8 });
  }, 300_000);

  it("imports a Mage pipeline, block and trigger, a Feldera pipeline and an Ionworks run made by hand; their declarations preview no change", async () => {
    // Made the way each engine's UI or SDK makes them.
    const { triggerId } = await mageByHand(HAND_MADE, "hand made orders");
    await felderaByHand(emu, API_KEY, "hand-fraud");
    const runId = await ionworksByHand(ionworks, IONWORKS_KEY, "hand parameters");
    const before = await pipeline(HAND_MADE);

    // `pulumi import` with the ids the reference pages give: uuid, <pipeline>/<block>, the trigger's id.
    const resources = [
      { type: "pipelines:mage:Pipeline", name: "handMade", id: HAND_MADE },
      { type: "pipelines:mage:Block", name: "handMadeLoad", id: `${HAND_MADE}/load_orders` },
      { type: "pipelines:mage:Schedule", name: "handMadeNightly", id: String(triggerId) },
      { type: "pipelines:feldera:Pipeline", name: "handFraud", id: "hand-fraud" },
      { type: "pipelines:ionworks:Pipeline", name: "handRun", id: runId },
    ];
    const list = path.join(stack.stateDir, "import.json");
    fs.writeFileSync(list, JSON.stringify({ resources }));
    const out = path.join(stack.stateDir, "imported.yaml");
    await stack.must(["import", "--file", list, "--yes", "--out", out]);
    const generated = parse(fs.readFileSync(out, "utf8")).resources;
    expect(generated.handMade).toMatchObject({
      type: "pipelines:mage:Pipeline",
      properties: {
        name: "hand made orders",
        description: "Made in the UI",
        variables: { source: "s3://bucket/orders" },
      },
    });
    expect(generated.handMadeLoad).toMatchObject({
      type: "pipelines:mage:Block",
      // Pulumi's import writes the pipeline as a reference to the imported one (its id is the uuid).
      properties: {
        pipeline: "${handMade.id}",
        name: "load_orders",
        type: "data_loader",
        code: expect.stringContaining("return [1, 2]"),
      },
    });
    expect(generated.handMadeNightly).toMatchObject({
      type: "pipelines:mage:Schedule",
      properties: { pipeline: "${handMade.id}", name: "nightly", type: "time", interval: "@daily" },
    });

    expect(generated.handFraud).toMatchObject({
      type: "pipelines:feldera:Pipeline",
      properties: { name: "hand-fraud", description: "Made by hand" },
    });
    expect(JSON.stringify(generated.handFraud.properties.blocks)).toContain("CREATE TABLE payments (id INT);");

    expect(generated.handRun).toMatchObject({
      type: "pipelines:ionworks:Pipeline",
      properties: { name: "hand parameters", blocks: [expect.objectContaining({ type: "entry" })] },
    });

    // The generated declarations join the program: nothing to change, nothing written.
    const file = path.join(dir, "Pulumi.yaml");
    const program = parse(fs.readFileSync(file, "utf8"));
    Object.assign(program.resources, generated);
    fs.writeFileSync(file, stringify(program));
    emu.requests.splice(0);
    ionworks.requests.splice(0);
    expect(ops(await stack.preview())).toEqual({ same: 13 });
    expect(await pipeline(HAND_MADE)).toEqual(before);
    expect(emu.requests.filter((r) => r.method !== "GET")).toEqual([]);
    expect(ionworks.requests.filter((r) => r.method !== "GET")).toEqual([]);
  }, 300_000);

  it("destroy deletes what it manages, the imported pipelines too", async () => {
    await stack.must(["state", "unprotect", "--all", "--yes"]);
    await stack.destroy();
    const left = await uuids();
    expect(left).not.toContain(UUID);
    expect(left).not.toContain(HAND_MADE);
    expect(emu.pipelines.get("yaml-restock")).toBeUndefined();
    expect(emu.pipelines.get("hand-fraud")).toBeUndefined();
    expect(ionworks.runs.size).toBe(0);
    expect(await mageSecretValue("yaml_warehouse_password")).toBeNull();
    expect((await stack.export()).deployment.resources ?? []).toEqual([]);
  }, 300_000);
});
