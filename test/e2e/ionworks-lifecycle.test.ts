// Ionworks through the real Pulumi CLI against the emulator.
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type IonworksEmulator, startIonworksEmulator } from "../fakes/ionworks/emulator";
import { createStack, ops, type TestStack } from "../helpers/pulumi";

const program = path.join(__dirname, "programs", "ionworks-lifecycle");
const API_KEY = "iw-e2e-secret-key-4242";

describe("ionworks lifecycle through the Pulumi CLI", () => {
  let emu: IonworksEmulator;
  let stack: TestStack;
  const runs = () => [...emu.runs.values()];
  const byName = (name: string) => runs().find((r) => r.name === name);

  beforeAll(async () => {
    emu = await startIonworksEmulator({ apiKey: API_KEY, autoAdvanceMs: 20 });
    stack = await createStack(program, { PULUMI_PIPELINES_POLL_MS: "25" });
    await stack.config("e2e:fitName", "cathode fit");
    await stack.config("e2e:upper", "6");
    await stack.config("pipelines:ionworks.url", emu.url, { path: true });
    await stack.config("pipelines:ionworks.project", emu.projectId, { path: true });
    await stack.config("pipelines:ionworks.apiKey", API_KEY, { path: true, secret: true });
  }, 120_000);

  afterAll(async () => {
    await stack?.remove();
    await emu?.close();
  });

  it("creates both chained pipelines and waits for them", async () => {
    expect(ops(await stack.preview("ionworks-create"))).toEqual({ create: 2 });
    const r = await stack.up();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(runs().map((x) => [x.name, x.status])).toEqual([
      ["cathode fit", "completed"],
      ["uses the fit", "completed"],
    ]);
    expect(byName("uses the fit")!.elements[0].job_config).toEqual({ pipeline_id: byName("cathode fit")!.id });
    const fitted = JSON.parse((await stack.must(["stack", "output", "fitted", "--json"])).stdout);
    expect(fitted["Positive electrode capacity [A.h]"]).toBe(5.0);
    expect(JSON.parse((await stack.must(["stack", "output", "chainedResult", "--json"])).stdout)).toEqual(fitted);
  }, 180_000);

  it("previews no change and sends Ionworks nothing", async () => {
    emu.requests.splice(0);
    expect(ops(await stack.preview())).toEqual({ same: 2 });
    expect(emu.requests).toEqual([]);
    expect(JSON.stringify(await stack.export())).not.toContain(API_KEY);
  }, 120_000);

  it("renames in place: one PATCH, no compute", async () => {
    await stack.config("e2e:fitName", "cathode fit v2");
    await stack.preview("ionworks-rename");
    const id = byName("cathode fit")!.id;
    emu.requests.splice(0);
    const r = await stack.up();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(emu.requests.filter((q) => q.method !== "GET").map((q) => `${q.method} ${q.path}`)).toEqual([
      `PATCH /pipelines/${id}`,
    ]);
    expect(byName("cathode fit v2")!.id).toBe(id);
  }, 180_000);

  it("a changed fit bound replaces the run (the preview says compute re-runs), and the dependent pipeline follows", async () => {
    await stack.config("e2e:upper", "8");
    const preview = await stack.run(["preview", "--diff"]);
    expect(preview.stdout).toMatch(
      /~ updatePlan\s*: "renames\/describes the run in place \(no compute\)" => "SUBMITS A NEW RUN: its compute runs \(on a replace: runs again\); any old run is deleted after"/,
    );
    expect(ops(await stack.preview("ionworks-replace"))).toEqual({ replace: 2 });
    const oldIds = runs().map((x) => x.id);
    const r = await stack.up();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(runs()).toHaveLength(2);
    expect(runs().every((x) => !oldIds.includes(x.id) && x.status === "completed")).toBe(true);
    const fitted = JSON.parse((await stack.must(["stack", "output", "fitted", "--json"])).stdout);
    expect(fitted["Positive electrode capacity [A.h]"]).toBe(6.0);
    expect(byName("uses the fit")!.elements[0].job_config).toEqual({ pipeline_id: byName("cathode fit v2")!.id });
  }, 240_000);

  it("a failing element fails the up with the element's error; the last good runs stay", async () => {
    await stack.config("e2e:fail", "true");
    await stack.config("e2e:upper", "9");
    const good = runs()
      .map((x) => x.id)
      .sort();
    const r = await stack.up();
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toContain(
      "Ionworks pipeline 'cathode fit v2' failed: element 'fit_ocp' failed (SOLVER_ERROR): optimizer diverged",
    );
    expect(
      runs()
        .map((x) => x.id)
        .sort(),
    ).toEqual(good);
    await stack.config("e2e:fail", "false");
    await stack.config("e2e:upper", "8");
  }, 240_000);

  it("destroy leaves nothing", async () => {
    await stack.destroy();
    expect(runs()).toEqual([]);
  }, 180_000);
});
