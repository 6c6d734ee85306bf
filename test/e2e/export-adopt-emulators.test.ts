// Onboarding on Feldera and Ionworks (emulators): pipelines and runs made
// directly through the engines' APIs are exported, validated, adopted by the
// GitOps program with no write to the server, then preview as unchanged, and
// a second export is byte-identical. What the stack does not declare stays.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { felderaCreatePlan, felderaPlanText } from "../../provider/backends/feldera/plan";
import { assembleProgram } from "../../provider/backends/feldera/program";
import { ionworksCreatePlan, ionworksPlanText } from "../../provider/backends/ionworks/plan";
import { type FelderaEmulator, startFelderaEmulator } from "../fakes/feldera/emulator";
import { type IonworksEmulator, startIonworksEmulator } from "../fakes/ionworks/emulator";
import { createStack, ops, type TestStack } from "../helpers/pulumi";
import { until } from "../helpers/until";

const root = path.resolve(__dirname, "..", "..");
const cli = path.join(root, "dist", "provider", "cli", "main.js");
const run = promisify(execFile);

describe("export → adopt → no change → export again (Feldera emulator)", () => {
  const API_KEY = "apikey:export-e2e-secret-5150";
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "pp-export-feldera-"));
  const again = fs.mkdtempSync(path.join(os.tmpdir(), "pp-export-feldera-"));
  let emu: FelderaEmulator;
  let stack: TestStack;
  const writes = () => emu.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`);
  const api = async (method: string, p: string, body?: unknown) => {
    const res = await fetch(`${emu.url}${p}`, {
      method,
      headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  // Everything a write would move: versions, program, configs, lifecycle.
  const snapshot = () =>
    JSON.stringify(
      [...emu.pipelines.values()].map((p) => [
        p.name,
        p.version,
        p.program_version,
        p.refresh_version,
        p.program_code,
        p.runtime_config,
        p.program_config,
        p.description,
        p.udf_rust,
        p.udf_toml,
        p.desired,
        p.resources,
        p.storage_status,
      ]),
    );
  const exportTo = (dir: string) =>
    run(
      "node",
      [cli, "export", "--target", "feldera", "--pipeline", "orders", "--pipeline", "made-by-a-stack", "--out", dir],
      { env: { ...process.env, FELDERA_HOST: emu.url, FELDERA_API_KEY: API_KEY } },
    );

  const handWritten = [
    "-- Orders as they arrive; amounts in cents.",
    "CREATE TABLE orders (id BIGINT NOT NULL PRIMARY KEY, note VARCHAR, amount BIGINT);",
    "/* customers; loaded nightly */",
    'CREATE TABLE "Customers" (id BIGINT NOT NULL PRIMARY KEY); -- keyed by id',
    "CREATE VIEW big AS SELECT * FROM orders WHERE note <> 'it''s;' AND amount > 500; CREATE MATERIALIZED VIEW totals AS",
    "  SELECT COUNT(*) AS n FROM big;",
    "-- end",
  ].join("\n");

  beforeAll(async () => {
    emu = await startFelderaEmulator({ apiKey: API_KEY, stepMs: 10 });
    // Made the way a team made them: by hand, and by an earlier tool run with its own block headers.
    await api("POST", "/v0/pipelines", {
      name: "orders",
      description: "Order totals, set up by hand",
      program_code: handWritten,
      runtime_config: { workers: 4, storage: { cache_mib: 256 }, resources: { memory_mb_max: 4096 } },
      program_config: { profile: "dev" },
      udf_rust: "pub fn double(x: i64) -> i64 { x * 2 }\n",
      udf_toml: "[dependencies]\n",
    });
    const assembled = assembleProgram([
      { name: "tables", sql: "CREATE TABLE t (x INT);\n", file: "sql/tables.sql" },
      { name: "views", sql: "CREATE VIEW v AS SELECT x FROM t;" },
    ]).code;
    await api("POST", "/v0/pipelines", { name: "made-by-a-stack", program_code: assembled });
    await api("POST", "/v0/pipelines", { name: "bystander", program_code: "CREATE TABLE b (x INT);" });
    await until("compilation", () => [...emu.pipelines.values()].every((p) => p.program_status === "Success"));
    await api("POST", "/v0/pipelines/orders/start?initial=running");
    await api("POST", "/v0/pipelines/bystander/start?initial=paused");
    await until(
      "the pipelines to run",
      () => emu.pipelines.get("orders")!.runtime === "Running" && emu.pipelines.get("bystander")!.runtime === "Paused",
    );

    stack = await createStack(root, { PULUMI_PIPELINES_POLL_MS: "50" });
    await stack.config("pipelines:feldera.url", emu.url, { path: true });
    await stack.config("pipelines:feldera.apiKey", API_KEY, { path: true, secret: true });
    await stack.config("pipelines:path", path.join(out, "pipelines"));
  }, 180_000);

  afterAll(async () => {
    await stack?.remove();
    await emu?.close();
    fs.rmSync(out, { recursive: true, force: true });
    fs.rmSync(again, { recursive: true, force: true });
  });

  it("exports SQL blocks, UDF files and only the non-default config, which validate, without the key", async () => {
    const r = await exportTo(out);
    expect(r.stdout).toMatch(/2 pipelines exported/);
    const yaml = fs.readFileSync(path.join(out, "pipelines", "orders.yaml"), "utf8");
    expect(yaml).toMatch(/adopt: true/);
    expect(yaml).toContain(
      "runtimeConfig:\n      workers: 4\n      storage:\n        cache_mib: 256\n      resources:\n        memory_mb_max: 4096\n",
    );
    expect(yaml).toContain("programConfig:\n      profile: dev\n");
    expect(yaml).toContain("udfRustFile: ../udf/orders/udf.rs");
    expect(yaml).not.toMatch(/desiredState|workers: 8|cpu_profiler/);
    expect(fs.readdirSync(path.join(out, "sql", "orders")).sort()).toEqual([
      "Customers.sql",
      "big.sql",
      "orders.sql",
      "totals.sql",
    ]);
    expect(fs.readFileSync(path.join(out, "sql", "orders", "totals.sql"), "utf8")).toBe(
      " CREATE MATERIALIZED VIEW totals AS\n  SELECT COUNT(*) AS n FROM big;\n-- end",
    );
    const stacked = fs.readFileSync(path.join(out, "pipelines", "made-by-a-stack.yaml"), "utf8");
    expect(stacked).toMatch(/desiredState: stopped/);
    expect(stacked).toMatch(/- name: tables\n\s+sqlFile: ..\/sql\/made-by-a-stack\/tables.sql\n\s+- name: views/);
    for (const f of walk(out)) expect(fs.readFileSync(f, "utf8")).not.toContain(API_KEY);
    const v = await run("node", [cli, "validate", path.join(out, "pipelines")]);
    expect(v.stdout).toMatch(/2 pipelines: valid/);
  }, 60_000);

  it("previews only adoptions, then adopts with no write to Feldera", async () => {
    const before = snapshot();
    expect(ops(await stack.preview())).toEqual({ create: 2 });
    emu.requests.splice(0);
    const r = await stack.up();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(writes()).toEqual([]);
    expect(emu.requests.length).toBeGreaterThan(0);
    expect(snapshot()).toBe(before);
    expect(emu.violations).toEqual([]);
    expect((await stack.outputs("feldera/orders")).updatePlan).toBe(felderaPlanText(felderaCreatePlan(true)!));
  }, 180_000);

  it("then previews no change with no request, and a second export is byte-identical", async () => {
    emu.requests.splice(0);
    expect(ops(await stack.preview())).toEqual({ same: 2 });
    expect(emu.requests).toEqual([]);
    await exportTo(again);
    expect(files(again)).toEqual(files(out));
  }, 120_000);

  it("with --stack, export connects with a named target from the stack's config (secret key included)", async () => {
    await stack.config("pipelines:targets.lake.engine", "feldera", { path: true });
    await stack.config("pipelines:targets.lake.url", emu.url, { path: true });
    await stack.config("pipelines:targets.lake.apiKey", API_KEY, { path: true, secret: true });
    const viaStack = fs.mkdtempSync(path.join(os.tmpdir(), "pp-export-feldera-"));
    try {
      const env = { ...stack.cliEnv, FELDERA_HOST: "", FELDERA_API_KEY: "" };
      const args = [
        "export",
        "--stack",
        stack.stack,
        "--config-file",
        stack.configFile,
        "--target",
        "lake",
        "--pipeline",
        "orders",
        "--pipeline",
        "made-by-a-stack",
        "--out",
        viaStack,
      ];
      const r = await run("node", [cli, ...args], { cwd: root, env });
      expect(r.stdout).toMatch(/2 pipelines exported/);
      // The same files, naming the server as the declarations' target: lake.
      expect(files(viaStack)).toEqual(
        files(out).map(([f, c]) => [f, c.replace(/^(\s+)target: feldera$/m, "$1target: lake")]),
      );
      expect(files(viaStack).some(([, c]) => c.includes("target: lake"))).toBe(true);
      for (const [, c] of files(viaStack)) expect(c).not.toContain(API_KEY);
    } finally {
      fs.rmSync(viaStack, { recursive: true, force: true });
    }
  }, 120_000);

  it("refresh sees the adopted pipelines as they are", async () => {
    const r = await stack.run(["refresh", "--yes", "--skip-preview"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(ops(await stack.preview())).toEqual({ same: 2 });
  }, 120_000);
});

describe("export → adopt → no change → export again (Ionworks emulator)", () => {
  const API_KEY = "iw-export-e2e-secret-8080";
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "pp-export-ionworks-"));
  const again = fs.mkdtempSync(path.join(os.tmpdir(), "pp-export-ionworks-"));
  let emu: IonworksEmulator;
  let stack: TestStack;
  const writes = () => emu.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`);
  const snapshot = () => JSON.stringify([...emu.runs.values()]);
  const submit = async (body: Record<string, unknown>) => {
    const res = await fetch(`${emu.url}/pipelines`, {
      method: "POST",
      headers: { "x-api-key": API_KEY, "content-type": "application/json" },
      body: JSON.stringify({ project_id: emu.projectId, options: {}, ...body }),
    });
    if (res.status !== 201) throw new Error(`POST /pipelines: ${res.status} ${await res.text()}`);
    const id = ((await res.json()) as { id: string }).id;
    await until(`run ${id} to finish`, () => ["completed", "failed"].includes(emu.runs.get(id)!.status));
    return id;
  };
  const exportTo = (dir: string) =>
    run("node", [cli, "export", "--target", "ionworks", "--out", dir], {
      env: { ...process.env, IONWORKS_API_URL: emu.url, IONWORKS_API_KEY: API_KEY, IONWORKS_PROJECT_ID: emu.projectId },
    });
  const fitElements = (upper: number, baseId: string) => ({
    "from base": { element_type: "entry", pipeline_id: baseId },
    "cathode fit": {
      element_type: "data_fit",
      objectives: { ocp: { type: "MSMRHalfCell", data: { data: "db:measurement-1" } } },
      parameters: {
        "Ambient temperature [K]": 298.15,
        "Positive electrode capacity [A.h]": { initial_value: 5, bounds: [4, upper] },
      },
      multistarts: 4,
    },
    "check it": {
      element_type: "validation",
      objectives: { ocp: { type: "MSMRHalfCell", data: { data: "db:measurement-2" } } },
      summary_stats: [{ type: "RMSE" }],
    },
  });

  beforeAll(async () => {
    emu = await startIonworksEmulator({ apiKey: API_KEY, autoAdvanceMs: 5 });
    // Runs submitted the way the SDK does: the newest "cathode" supersedes an older one; one run failed.
    const base = await submit({
      name: "base parameters",
      elements: { entry: { element_type: "entry", values: { "Nominal cell capacity [A.h]": 5 } } },
    });
    await submit({ name: "cathode", elements: fitElements(6, base) });
    await new Promise((r) => setTimeout(r, 5));
    await submit({
      name: "cathode",
      description: "second try, wider bounds",
      options: { live_progress_updates: true },
      elements: fitElements(7, base),
    });
    await submit({
      name: "broken",
      elements: { entry: { element_type: "entry", values: {}, source: "emulator:fail:SOLVER_ERROR:diverged" } },
    });

    stack = await createStack(root, { PULUMI_PIPELINES_POLL_MS: "25" });
    await stack.config("pipelines:ionworks.url", emu.url, { path: true });
    await stack.config("pipelines:ionworks.project", emu.projectId, { path: true });
    await stack.config("pipelines:ionworks.apiKey", API_KEY, { path: true, secret: true });
    await stack.config("pipelines:path", path.join(out, "pipelines"));
  }, 180_000);

  afterAll(async () => {
    await stack?.remove();
    await emu?.close();
    fs.rmSync(out, { recursive: true, force: true });
    fs.rmSync(again, { recursive: true, force: true });
  });

  it("exports the newest run of each name with its element configs, says what it left out, and validates", async () => {
    const r = await exportTo(out);
    expect(r.stdout).toMatch(/2 pipelines exported/);
    expect(r.stderr).toMatch(/skipped Ionworks run 'broken' \(.*\): the newest run of this name failed/);
    expect(r.stderr).toMatch(/skipped 1 older Ionworks run named 'cathode'/);
    const yaml = fs.readFileSync(path.join(out, "pipelines", "cathode.yaml"), "utf8");
    expect(yaml).toMatch(/adopt: true/);
    expect(yaml).toMatch(/description: second try, wider bounds/);
    expect(yaml).toMatch(/- name: from base\n\s+type: entry\n\s+config: {}\n\s+fromPipeline: base parameters/);
    expect(yaml.indexOf("name: from base")).toBeLessThan(yaml.indexOf("name: cathode fit"));
    expect(yaml.indexOf("name: cathode fit")).toBeLessThan(yaml.indexOf("name: check it"));
    expect(yaml).toMatch(/bounds:\n\s+- 4\n\s+- 7/);
    for (const f of walk(out)) expect(fs.readFileSync(f, "utf8")).not.toContain(API_KEY);
    const v = await run("node", [cli, "validate", path.join(out, "pipelines")]);
    expect(v.stdout).toMatch(/2 pipelines: valid/);
  }, 60_000);

  it("previews only adoptions, then adopts with no write and no new run", async () => {
    const before = snapshot();
    expect(ops(await stack.preview())).toEqual({ create: 2 });
    emu.requests.splice(0);
    const r = await stack.up();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(writes()).toEqual([]);
    expect(snapshot()).toBe(before);
    const newest = [...emu.runs.values()]
      .filter((x) => x.name === "cathode")
      .sort((a, b) => b.created_at.localeCompare(a.created_at))[0];
    expect((await stack.export()).deployment.resources.find((x: any) => x.urn.endsWith("ionworks/cathode")).id).toBe(
      newest.id,
    );
    expect(await stack.outputs("ionworks/cathode")).toMatchObject({
      status: "completed",
      updatePlan: ionworksPlanText(ionworksCreatePlan(true)),
    });
  }, 180_000);

  it("then previews no change with no request, and a second export is byte-identical", async () => {
    emu.requests.splice(0);
    expect(ops(await stack.preview())).toEqual({ same: 2 });
    expect(emu.requests).toEqual([]);
    await exportTo(again);
    expect(files(again)).toEqual(files(out));
  }, 120_000);
});

function walk(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .sort();
}

function files(dir: string): string[][] {
  return walk(dir).map((f) => [path.relative(dir, f), fs.readFileSync(f, "utf8")]);
}
