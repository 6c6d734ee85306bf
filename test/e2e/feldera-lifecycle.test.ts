// Feldera through the real Pulumi CLI against the emulator (every response of
// which is checked against Feldera's OpenAPI).
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { felderaClient } from "../../provider/backends/feldera/client";
import { type FelderaEmulator, startFelderaEmulator } from "../fakes/feldera/emulator";
import { createStack, ops, type TestStack } from "../helpers/pulumi";
import { until } from "../helpers/until";

const program = path.join(__dirname, "programs", "feldera-lifecycle");
const API_KEY = "apikey:e2e-feldera-secret-7731";

describe("feldera lifecycle through the Pulumi CLI", () => {
  let emu: FelderaEmulator;
  let stack: TestStack;
  const name = "fraud-e2e";
  const writes = () => emu.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`);
  const live = () => emu.pipelines.get(name);

  beforeAll(async () => {
    emu = await startFelderaEmulator({ apiKey: API_KEY, stepMs: 20 });
    stack = await createStack(program, { PULUMI_PIPELINES_POLL_MS: "50" });
    await stack.config("e2e:name", name);
    await stack.config("e2e:views", "views-v1");
    await stack.config("pipelines:feldera.url", emu.url, { path: true });
    await stack.config("pipelines:feldera.apiKey", API_KEY, { path: true, secret: true });
  }, 120_000);

  afterAll(async () => {
    await stack?.remove();
    await emu?.close();
  });

  it("creates, compiles and starts the pipeline", async () => {
    expect(ops(await stack.preview("feldera-create"))).toEqual({ create: 1 });
    const r = await stack.up();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(live()).toMatchObject({ program_status: "Success", desired: "Running", resources: "Provisioned" });
    expect(live()!.program_code).toContain("-- block: views (sql/views-v1.sql)");
    expect(live()!.runtime_config.workers).toBe(4);
    expect(emu.violations).toEqual([]);
  }, 180_000);

  it("previews no change and sends Feldera no write", async () => {
    emu.requests.splice(0);
    expect(ops(await stack.preview())).toEqual({ same: 1 });
    expect(writes()).toEqual([]);
    expect(JSON.stringify(await stack.export())).not.toContain(API_KEY);
  }, 120_000);

  it("previews a storage-bound change and a rename for what they are", async () => {
    await stack.config("e2e:workers", "8");
    expect(ops(await stack.preview("feldera-update-workers"))).toEqual({ update: 1 });
    await stack.config("e2e:workers", "4");
    await stack.config("e2e:name", `${name}-2`);
    expect(ops(await stack.preview("feldera-replace"))).toEqual({ replace: 1 });
    await stack.config("e2e:name", name);
  }, 120_000);

  it("updates one SQL block: validate, stop, patch, recompile, start", async () => {
    await stack.config("e2e:views", "views-v2");
    await stack.preview("feldera-update-sql");
    emu.requests.splice(0);
    const r = await stack.up();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(writes()).toEqual([
      "POST /v0/validate_program",
      `POST /v0/pipelines/${name}/stop?force=true`,
      `PATCH /v0/pipelines/${name}`,
      `POST /v0/pipelines/${name}/start?initial=running&bootstrap_policy=allow&dismiss_error=true`,
    ]);
    expect(live()!.program_code).toContain("amount > 500");
    expect(live()!.resources).toBe("Provisioned");
    expect((await stack.outputs("fraud")).updatePlan).toBe(
      "update stops the pipeline (force), then recompiles the program (the new SQL is validated first), then leaves it running (from a checkpoint, the changed views are bootstrapped)",
    );
  }, 180_000);

  it("a SQL error fails the up with its file:line, and the previous program keeps running", async () => {
    await stack.config("e2e:views", "views-bad");
    const before = live()!.program_code;
    const r = await stack.up();
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toContain(
      `sql/views-bad.sql:4:1 (block 'views'): Error parsing SQL: Encountered "SELEC"`,
    );
    expect(live()!.program_code).toBe(before);
    expect(live()).toMatchObject({ resources: "Provisioned", desired: "Running" });
    await stack.config("e2e:views", "views-v2");
  }, 180_000);

  it("refresh detects an out-of-band runtime_config change, and up puts it back", async () => {
    // An operator changes a declared key by hand (stop, patch, start), as the API requires.
    const operator = felderaClient({ url: emu.url, apiKey: API_KEY });
    await operator.call<any>("POST", `/v0/pipelines/${name}/stop`, { query: { force: "true" } });
    await until("the pipeline to stop", () => live()!.resources === "Stopped");
    await operator.call<any>("PATCH", `/v0/pipelines/${name}`, {
      body: { runtime_config: { ...live()!.runtime_config, cpu_profiler: false } },
    });
    await operator.call<any>("POST", `/v0/pipelines/${name}/start`);
    await stack.refresh();
    expect((await stack.outputs("fraud")).runtimeConfig).toEqual({ workers: 4, cpu_profiler: false });
    expect(ops(await stack.preview())).toEqual({ update: 1 });
    expect((await stack.up()).code).toBe(0);
    expect(live()!.runtime_config.cpu_profiler).toBe(true);
  }, 240_000);

  it("a crashed pipeline: refresh shows the deployment error, up dismisses it and starts the pipeline again", async () => {
    emu.crash(name, "worker thread 0 panicked");
    await until("the crashed pipeline to stop", () => live()!.resources === "Stopped");
    await stack.refresh();
    const after = await stack.outputs("fraud");
    expect(after.deploymentError).toBe(
      "RunnerCheckError: Pipeline check failed: compute and/or storage resources encountered a fatal error.\n\nworker thread 0 panicked",
    );
    expect(after.deploymentStatus).toBe("Stopped");
    expect(ops(await stack.preview())).toEqual({ update: 1 });
    const r = await stack.up();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(live()).toMatchObject({ resources: "Provisioned", runtime: "Running", deployment_error: null });
    expect((await stack.outputs("fraud")).deploymentError).toBe("");
    expect(ops(await stack.preview())).toEqual({ same: 1 });
  }, 240_000);

  it("destroy leaves nothing, and no response broke the OpenAPI contract", async () => {
    await stack.destroy();
    expect([...emu.pipelines.keys()]).toEqual([]);
    expect(emu.violations).toEqual([]);
  }, 180_000);
});
