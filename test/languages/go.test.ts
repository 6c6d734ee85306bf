// A Go program (examples/go) through the provider plugin, as a Go team
// without Node runs it: the Go SDK module (the repository's sdk/, which the
// release tags sdk/v<version>, put in place of the tag with a replace
// directive), the plugin from the release's archive installed with
// `pulumi plugin install --file`, no Node on PATH, the real Pulumi CLI and Go
// language host, the run's Mage and the Feldera and Ionworks emulators. After
// each step the servers are read directly and compared with the program.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { run, which } from "../../provider/cli/process";
import { type FelderaEmulator, startFelderaEmulator } from "../fakes/feldera/emulator";
import { type IonworksEmulator, startIonworksEmulator } from "../fakes/ionworks/emulator";
import { exampleProject, installPluginArchive, pathWithoutNode } from "../helpers/languages";
import { configureMage, mageSecretValue, testClient } from "../helpers/mage";
import { createStack, ops, type TestStack } from "../helpers/pulumi";
import { configureFeldera, configureIonworks } from "../helpers/targets";

const REPO = path.resolve(__dirname, "..", "..");
const EXAMPLE = path.join(REPO, "examples", "go");
const UUID = "go_orders";
const FELDERA_KEY = "apikey:languages-go-6120";
const IONWORKS_KEY = "iw-languages-go-2291";
const WAREHOUSE_PASSWORD = "warehouse-go-5407";

describe("a Go program through the provider plugin", () => {
  const mage = testClient();
  let stack: TestStack;
  let dir: string;
  let feldera: FelderaEmulator;
  let ionworks: IonworksEmulator;

  const pipeline = async () =>
    (await mage.call<any>("GET", `/api/pipelines/${UUID}`, { query: { includes_content: "true" } })).pipeline;

  beforeAll(async () => {
    const go = which("go");
    if (!go) throw new Error("the Go lane needs go on PATH");
    feldera = await startFelderaEmulator({ apiKey: FELDERA_KEY, stepMs: 20 });
    ionworks = await startIonworksEmulator({ apiKey: IONWORKS_KEY, autoAdvanceMs: 20 });
    dir = exampleProject("go");
    const goEnv = { ...process.env, GOTOOLCHAIN: "local", GOWORK: "off", GOFLAGS: "-mod=mod" };
    // Before the release's tag exists, the module is the repository's sdk/ (a user would `go get` the tag).
    await run(
      go,
      ["mod", "edit", `-replace=github.com/pulumi-pipelines/pulumi-pipelines/sdk=${path.join(REPO, "sdk")}`],
      {
        cwd: dir,
        env: goEnv,
      },
    );
    stack = await createStack(dir, {
      PATH: [pathWithoutNode(inject("pulumiBin"), inject("languages")), path.dirname(go)].join(path.delimiter),
      GOTOOLCHAIN: "local",
      GOWORK: "off",
      GOFLAGS: "-mod=mod",
    });
    await installPluginArchive(inject("pulumiBin"), stack, inject("release").archive);
    await configureMage(stack);
    await configureFeldera(stack, feldera.url, FELDERA_KEY);
    await configureIonworks(stack, ionworks, IONWORKS_KEY);
    await stack.config("pipelines:secrets.WAREHOUSE_PASSWORD", WAREHOUSE_PASSWORD, { path: true, secret: true });
  }, 600_000);

  afterAll(async () => {
    await stack?.remove();
    await feldera?.close();
    await ionworks?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("deploys: Mage, Feldera and Ionworks hold what the program declares", async () => {
    const r = await stack.up();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const p = await pipeline();
    expect(p).toMatchObject({ name: "go orders", description: "Daily orders, declared in Go" });
    expect(p.tags.sort()).toEqual(["go", "orders"]);
    expect(p.variables).toMatchObject({ region: "eu" });
    const blocks = Object.fromEntries(p.blocks.map((b: any) => [b.uuid, b]));
    expect(Object.keys(blocks).sort()).toEqual(["drop_empty", "fetch_orders"]);
    for (const uuid of ["fetch_orders", "drop_empty"])
      expect(blocks[uuid].content).toBe(fs.readFileSync(path.join(EXAMPLE, "blocks", `${uuid}.py`), "utf8"));
    expect(blocks.drop_empty.upstream_blocks).toEqual(["fetch_orders"]);
    const { pipeline_schedules } = await mage.call<any>("GET", `/api/pipelines/${UUID}/pipeline_schedules`);
    expect(pipeline_schedules).toHaveLength(1);
    expect(pipeline_schedules[0]).toMatchObject({ name: "daily", schedule_interval: "@daily", status: "active" });
    expect((await stack.outputs("orders")).uuid).toBe(UUID);

    expect(await mageSecretValue("go_warehouse_password")).toBe(WAREHOUSE_PASSWORD);
    const fraud = feldera.pipelines.get("go-fraud");
    expect(fraud?.program_code).toContain("CREATE MATERIALIZED VIEW large_payments");
    expect(fraud?.program_status).toBe("Success");
    expect(feldera.violations).toEqual([]);
    const [capacity] = [...ionworks.runs.values()];
    expect(capacity).toMatchObject({ name: "go-cell-capacity", status: "completed" });
    expect(capacity.elements.map((e) => [e.name, e.type, e.job_config])).toEqual([
      ["known", "entry", { values: { "Nominal cell capacity [A.h]": 5 } }],
      [
        "balance",
        "calculation",
        { calculation: "ElectrodeVolumeFractionFromLoading", electrode: "positive", method: "loading" },
      ],
    ]);
    const state = JSON.stringify(await stack.export());
    for (const secret of [WAREHOUSE_PASSWORD, FELDERA_KEY, IONWORKS_KEY]) expect(state).not.toContain(secret);
  }, 600_000);

  it("an edit updates in place, and the next preview is clean", async () => {
    await stack.config("description", "Orders, edited from Go");
    expect(ops(await stack.preview())).toEqual({ same: 6, update: 1 });
    const r = await stack.up();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect((await pipeline()).description).toBe("Orders, edited from Go");
    expect(ops(await stack.preview())).toEqual({ same: 7 });
  }, 300_000);

  it("destroy deletes what it made", async () => {
    await stack.destroy();
    const { pipelines } = await mage.call<any>("GET", "/api/pipelines", { query: { _limit: "1000" } });
    expect(pipelines.map((p: any) => p.uuid)).not.toContain(UUID);
    expect(await mageSecretValue("go_warehouse_password")).toBeNull();
    expect(feldera.pipelines.get("go-fraud")).toBeUndefined();
    expect(ionworks.runs.size).toBe(0);
    expect((await stack.export()).deployment.resources ?? []).toEqual([]);
  }, 300_000);
});
