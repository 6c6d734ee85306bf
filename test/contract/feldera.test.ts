// The Feldera backend against the emulator (test/fakes/feldera), whose every
// response is validated against Feldera's OpenAPI document.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type FelderaClient, felderaClient } from "../../provider/backends/feldera/client";
import {
  createFeldera,
  deleteFeldera,
  normalizeFeldera,
  readFeldera,
  updateFeldera,
  type Waits,
} from "../../provider/backends/feldera/pipeline";
import { assembleProgram } from "../../provider/backends/feldera/program";
import { type FelderaEmulator, startFelderaEmulator } from "../fakes/feldera/emulator";
import { until } from "../helpers/until";

const waits: Waits = { compileTimeoutMs: 5_000, stateTimeoutMs: 5_000, pollMs: 10 };
const tables = { name: "tables", sql: "CREATE TABLE tx (id BIGINT, amount DECIMAL(10,2));", file: "sql/tables.sql" };
const views = {
  name: "views",
  sql: "CREATE MATERIALIZED VIEW big AS\n  SELECT * FROM tx WHERE amount > 100;",
  file: "sql/views.sql",
};

describe("Feldera backend (emulator)", () => {
  let emu: FelderaEmulator;
  let client: FelderaClient;

  beforeAll(async () => {
    emu = await startFelderaEmulator({ stepMs: 5 });
    client = felderaClient({ url: emu.url });
  });
  afterEach(() => expect(emu.violations).toEqual([]));
  afterAll(() => emu.close());

  it("create compiles, starts, and reads back exactly what was declared", async () => {
    const spec = normalizeFeldera({
      name: "fraud",
      blocks: [tables, views],
      runtimeConfig: { workers: 4, storage: { compression: "snappy" } },
      programConfig: { profile: "optimized" },
    });
    const live = await createFeldera(client, spec, { waits });
    expect(live).toMatchObject({ programStatus: "Success", deploymentStatus: "Running" });
    const remote = emu.pipelines.get("fraud")!;
    expect(remote.program_code).toBe(
      "-- block: tables (sql/tables.sql)\nCREATE TABLE tx (id BIGINT, amount DECIMAL(10,2));\n\n-- block: views (sql/views.sql)\nCREATE MATERIALIZED VIEW big AS\n  SELECT * FROM tx WHERE amount > 100;\n",
    );
    expect(remote.runtime_config.storage.backend).toEqual({ name: "default" }); // server defaults filled...
    expect((await readFeldera(client, spec.name, spec))!.spec).toEqual(spec); // ...and never seen as drift
  });

  it("a description change is one PATCH and leaves the pipeline running", async () => {
    const old = normalizeFeldera({
      name: "fraud",
      blocks: [tables, views],
      runtimeConfig: { workers: 4, storage: { compression: "snappy" } },
      programConfig: { profile: "optimized" },
    });
    emu.requests.splice(0);
    await updateFeldera(client, old, { ...old, description: "scored" }, { waits });
    expect(emu.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`)).toEqual([
      "PATCH /v0/pipelines/fraud",
    ]);
    expect(emu.pipelines.get("fraud")!.deployment_initial).toBe("running");
  });

  it("a SQL change is validated, then stop → patch → recompile → start", async () => {
    const old = normalizeFeldera({
      name: "fraud",
      description: "scored",
      blocks: [tables, views],
      runtimeConfig: { workers: 4, storage: { compression: "snappy" } },
      programConfig: { profile: "optimized" },
    });
    const next = {
      ...old,
      blocks: [tables, { ...views, sql: "CREATE MATERIALIZED VIEW big AS\n  SELECT * FROM tx WHERE amount > 500;" }],
    };
    emu.requests.splice(0);
    const live = await updateFeldera(client, old, next, { waits });
    expect(live.deploymentStatus).toBe("Running");
    expect(emu.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /v0/validate_program",
      "POST /v0/pipelines/fraud/stop?force=true",
      "PATCH /v0/pipelines/fraud",
      "POST /v0/pipelines/fraud/start?initial=running&bootstrap_policy=allow&dismiss_error=true",
    ]);
    expect(emu.pipelines.get("fraud")!.program_code).toContain("amount > 500");
  });

  it("bad SQL fails with the file and line of its block, and the running pipeline keeps its program", async () => {
    const old = normalizeFeldera({
      name: "fraud",
      description: "scored",
      blocks: [tables, { ...views, sql: "CREATE MATERIALIZED VIEW big AS\n  SELECT * FROM tx WHERE amount > 500;" }],
      runtimeConfig: { workers: 4, storage: { compression: "snappy" } },
      programConfig: { profile: "optimized" },
    });
    const bad = { ...old, blocks: [tables, { ...views, sql: "CREATE VIEW ok AS SELECT 1;\n\nSELEC * FROM tx;" }] };
    const before = emu.pipelines.get("fraud")!.program_code;
    await expect(updateFeldera(client, old, bad, { waits })).rejects.toThrow(
      "sql/views.sql:3:1 (block 'views'): Error parsing SQL: Encountered \"SELEC\" at line 7, column 1.",
    );
    const p = emu.pipelines.get("fraud")!;
    expect(p.program_code).toBe(before);
    expect(p.resources).toBe("Provisioned");
  });

  it("a storage-bound change (workers) stops, clears storage, patches and restarts", async () => {
    const old = normalizeFeldera({
      name: "fraud",
      description: "scored",
      blocks: [tables, { ...views, sql: "CREATE MATERIALIZED VIEW big AS\n  SELECT * FROM tx WHERE amount > 500;" }],
      runtimeConfig: { workers: 4, storage: { compression: "snappy" } },
      programConfig: { profile: "optimized" },
    });
    emu.requests.splice(0);
    await updateFeldera(client, old, { ...old, runtimeConfig: { ...old.runtimeConfig, workers: 2 } }, { waits });
    expect(emu.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /v0/pipelines/fraud/stop?force=true",
      "POST /v0/pipelines/fraud/clear",
      "PATCH /v0/pipelines/fraud",
      "POST /v0/pipelines/fraud/start?initial=running&bootstrap_policy=allow&dismiss_error=true",
    ]);
    expect(emu.pipelines.get("fraud")!.runtime_config.workers).toBe(2);
  });

  it("desiredState moves with pause, resume and stop only", async () => {
    const spec = normalizeFeldera({
      name: "fraud",
      description: "scored",
      blocks: [tables, { ...views, sql: "CREATE MATERIALIZED VIEW big AS\n  SELECT * FROM tx WHERE amount > 500;" }],
      runtimeConfig: { workers: 2, storage: { compression: "snappy" } },
      programConfig: { profile: "optimized" },
    });
    expect((await updateFeldera(client, spec, { ...spec, desiredState: "paused" }, { waits })).deploymentStatus).toBe(
      "Paused",
    );
    expect((await updateFeldera(client, { ...spec, desiredState: "paused" }, spec, { waits })).deploymentStatus).toBe(
      "Running",
    );
    expect((await updateFeldera(client, spec, { ...spec, desiredState: "stopped" }, { waits })).deploymentStatus).toBe(
      "Stopped",
    );
  });

  it("a program_config change keeps the keys it does not declare (PATCH replaces the whole object)", async () => {
    const spec = normalizeFeldera({ name: "progcfg", blocks: [tables], programConfig: { profile: "optimized" } });
    await createFeldera(client, spec, { waits });
    // Set by hand: a key the declaration leaves alone.
    await client.call("POST", "/v0/pipelines/progcfg/stop", { query: { force: "true" } });
    await until("it to stop", () => emu.pipelines.get("progcfg")!.resources === "Stopped");
    await client.call("PATCH", "/v0/pipelines/progcfg", {
      body: { program_config: { ...emu.pipelines.get("progcfg")!.program_config, cache: false } },
    });
    await updateFeldera(client, spec, { ...spec, programConfig: { profile: "dev" } }, { waits });
    expect(emu.pipelines.get("progcfg")!.program_config).toMatchObject({ profile: "dev", cache: false });
    await deleteFeldera(client, "progcfg", waits);
  });

  it("a Rust or system compile error fails the create with the compiler's words, and nothing is left", async () => {
    const rust = normalizeFeldera({
      name: "rusty",
      blocks: [tables],
      udfRust: 'compile_error!("mismatched types: expected `i32`, found `String`");',
    });
    const err = await createFeldera(client, rust, { waits }).catch((e) => e);
    expect(err.message).toContain("Feldera pipeline 'rusty': compilation ended in RustError: error: mismatched types");
    expect(emu.pipelines.has("rusty")).toBe(false);
    emu.faults.compile = { status: "SystemError", message: "the compiler server ran out of disk space" };
    try {
      const sys = await createFeldera(client, normalizeFeldera({ name: "sys", blocks: [tables] }), { waits }).catch(
        (e) => e,
      );
      expect(sys.message).toBe(
        "Feldera pipeline 'sys': compilation ended in SystemError: the compiler server ran out of disk space",
      );
      expect(emu.pipelines.has("sys")).toBe(false);
    } finally {
      delete emu.faults.compile;
    }
  });

  it("a compile that never finishes fails after the compile timeout, saying where it stopped", async () => {
    emu.faults.compile = { status: "hang" };
    try {
      const spec = normalizeFeldera({ name: "hangs", blocks: [tables] });
      const err = await createFeldera(client, spec, { waits: { ...waits, compileTimeoutMs: 300 } }).catch((e) => e);
      expect(err.message).toMatch(
        /^Feldera pipeline 'hangs' did not compile within 300 ms \(program CompilingRust, deployment Stopped, storage Cleared\)$/,
      );
      expect(emu.pipelines.has("hangs")).toBe(false); // never compiled: removed again
    } finally {
      delete emu.faults.compile;
    }
  });

  it("tags are managed as a set: created, changed in place while running, not drift in another order", async () => {
    const spec = normalizeFeldera({ name: "tagged", blocks: [tables], tags: ["team-b", "env:prod", "team-b"] });
    await createFeldera(client, spec, { waits });
    expect(emu.pipelines.get("tagged")!.tags).toEqual(["env:prod", "team-b"]);
    emu.requests.splice(0);
    await updateFeldera(client, spec, { ...spec, tags: ["env:prod", "team-c"] }, { waits });
    expect(emu.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`)).toEqual([
      "PATCH /v0/pipelines/tagged",
    ]);
    expect(emu.pipelines.get("tagged")!).toMatchObject({ tags: ["env:prod", "team-c"], resources: "Provisioned" });
    // Tags set elsewhere in another order read as the same set.
    emu.pipelines.get("tagged")!.tags = ["team-c", "env:prod"];
    const declared = { ...spec, tags: ["env:prod", "team-c"] };
    expect((await readFeldera(client, "tagged", declared))!.spec).toEqual(declared);
    const bad = await client.call<any>("PATCH", "/v0/pipelines/tagged", { body: { tags: ["a#b"] } }).catch((e) => e);
    expect([bad.status, bad.code]).toEqual([400, "InvalidTag"]);
    await deleteFeldera(client, "tagged", waits);
  });

  it("refuses a config key the server drops, and leaves nothing behind", async () => {
    const spec = normalizeFeldera({ name: "typo", blocks: [tables], runtimeConfig: { workerz: 4 } });
    await expect(createFeldera(client, spec, { waits })).rejects.toThrow(
      "the server does not know runtimeConfig.workerz",
    );
    expect(emu.pipelines.has("typo")).toBe(false);
  });

  it("a create whose SQL does not compile is removed again", async () => {
    const spec = normalizeFeldera({ name: "broken", blocks: [tables, { name: "v", sql: "SELEC 1;" }] });
    await expect(createFeldera(client, spec, { waits })).rejects.toThrow(
      "block 'v' line 1, column 1: Error parsing SQL",
    );
    expect(emu.pipelines.has("broken")).toBe(false);
  });

  it("a name collision fails clearly unless adopted", async () => {
    const spec = normalizeFeldera({ name: "fraud", blocks: [tables], desiredState: "stopped" });
    await expect(createFeldera(client, spec, { waits })).rejects.toThrow(
      `Feldera pipeline 'fraud' already exists on ${emu.url}; set adopt: true`,
    );
  });

  it("delete stops, clears and deletes; a second delete finds it gone", async () => {
    emu.requests.splice(0);
    await deleteFeldera(client, "fraud", waits);
    expect(emu.pipelines.has("fraud")).toBe(false);
    expect(emu.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /v0/pipelines/fraud/stop?force=true",
      "POST /v0/pipelines/fraud/clear",
      "DELETE /v0/pipelines/fraud",
    ]);
    await deleteFeldera(client, "fraud", waits);
    expect(await readFeldera(client, "fraud", normalizeFeldera({ name: "fraud", blocks: [tables] }))).toBeUndefined();
  });

  it("the emulator enforces the engine's rules (as the backend relies on)", async () => {
    const raw = (method: string, path: string, body?: unknown) =>
      client.call<any>(method as any, path, { body }).catch((e) => e);
    await createFeldera(client, normalizeFeldera({ name: "rules", blocks: [tables] }), { waits });
    expect((await raw("PATCH", "/v0/pipelines/rules", { program_code: "CREATE TABLE x (a INT);" })).code).toBe(
      "UpdateRestrictedToStopped",
    );
    expect((await raw("DELETE", "/v0/pipelines/rules")).code).toBe("DeleteRestrictedToFullyStopped");
    const stop = await raw("POST", "/v0/pipelines/rules/stop");
    expect([stop.status, stop.code]).toEqual([501, "EnterpriseFeature"]);
    expect((await raw("GET", "/v0/pipelines/nope")).code).toBe("UnknownPipelineName");
    expect((await raw("POST", "/v0/pipelines", { name: "-bad-", program_code: "" })).code).toBe(
      "NameDoesNotMatchPattern",
    );
    expect(
      (await raw("POST", "/v0/pipelines", { name: "ft", program_code: "", runtime_config: { fault_tolerance: {} } }))
        .code,
    ).toBe("InvalidRuntimeConfig");
    // A value of the wrong type is refused before anything is stored (serde), not answered 201.
    const typed = await raw("POST", "/v0/pipelines", {
      name: "typed",
      program_code: "",
      runtime_config: { workers: "4" },
    });
    expect([typed.status, typed.code]).toEqual([400, "InvalidRuntimeConfig"]);
    const profile = await raw("POST", "/v0/pipelines", {
      name: "typed",
      program_code: "",
      program_config: { cache: "yes" },
    });
    expect([profile.status, profile.code]).toEqual([400, "InvalidProgramConfig"]);
    expect(emu.pipelines.has("typed")).toBe(false);
    // A body actix cannot deserialize into the request's struct is answered in actix's plain text, with no error code.
    for (const body of [{ name: "nocode" }, { name: "badtags", program_code: "", tags: "a" }]) {
      const refused = await raw("POST", "/v0/pipelines", body);
      expect([refused.status, refused.code]).toEqual([400, undefined]);
      expect(refused.message).toMatch(/Json deserialize error: /);
    }
    await deleteFeldera(client, "rules", waits);
  });

  it("the emulator's PUT creates (201), replaces (200, recompiling) and is refused while running", async () => {
    const put = (body: unknown) => client.call<any>("PUT", "/v0/pipelines/put-me", { body }).catch((e) => e);
    const created = await put({ name: "put-me", program_code: "CREATE TABLE a (x INT);", description: "d" });
    expect([created.program_status, created.description]).toEqual(["Pending", "d"]);
    await until("it to compile", () => emu.pipelines.get("put-me")!.program_status === "Success");
    // Omitted fields reset; the program is the same, so nothing recompiles.
    const replaced = await put({ name: "put-me", program_code: "CREATE TABLE a (x INT);" });
    expect([replaced.program_version, replaced.program_status, replaced.description]).toEqual([1, "Success", ""]);
    const same = await put({ name: "put-me", program_code: "CREATE TABLE a (x INT);" });
    expect([same.version, same.program_version]).toEqual([replaced.version, 1]);
    const changed = await put({ name: "put-me", program_code: "CREATE TABLE a (x BIGINT);" });
    expect([changed.program_version, changed.program_status]).toEqual([2, "Pending"]);
    await client.call<any>("POST", "/v0/pipelines/put-me/start");
    expect((await put({ name: "put-me", program_code: "CREATE TABLE a (x INT);" })).code).toBe(
      "UpdateRestrictedToStopped",
    );
    // An identical PUT is no change, so it is allowed while running.
    expect((await put({ name: "put-me", program_code: "CREATE TABLE a (x BIGINT);" })).code).toBeUndefined();
    const rename = await client
      .call<any>("PUT", "/v0/pipelines/missing", { body: { name: "other", program_code: "" } })
      .catch((e) => e);
    expect([rename.status, rename.code]).toEqual([400, "CannotRenameNonExistingPipeline"]);
    await deleteFeldera(client, "put-me", waits);
  });

  it("refuses a server older than the API it speaks, with the version in the message", async () => {
    const old = await startFelderaEmulator({ version: "0.150.2", stepMs: 5 });
    try {
      const err = await createFeldera(
        felderaClient({ url: old.url }),
        normalizeFeldera({ name: "x", blocks: [tables] }),
        { waits },
      ).catch((e) => e);
      expect(err.message).toBe(
        `Feldera 0.150.2 at ${old.url} is older than 0.160.0, the oldest API this provider speaks (it needs /resume, /clear and storage_status); upgrade Feldera`,
      );
      expect(old.pipelines.size).toBe(0);
      expect(old.violations).toEqual([]);
    } finally {
      await old.close();
    }
  });

  it("a pipeline someone started with Feldera's default bootstrap policy is approved when an update waits for it", async () => {
    const enterprise = await startFelderaEmulator({ stepMs: 5, edition: "Enterprise" });
    const c = felderaClient({ url: enterprise.url });
    try {
      const spec = normalizeFeldera({
        name: "ft",
        blocks: [tables, views],
        runtimeConfig: { fault_tolerance: { model: "exactly_once" } },
      });
      await createFeldera(c, spec, { waits });
      expect(enterprise.pipelines.get("ft")!.checkpoint).not.toBeNull();
      // By hand: stop, change the program, start with the server's default policy (await_approval).
      const next = {
        ...spec,
        blocks: [tables, { ...views, sql: "CREATE MATERIALIZED VIEW big AS SELECT * FROM tx;" }],
      };
      await c.call("POST", "/v0/pipelines/ft/stop", { query: { force: "true" } });
      await until("it to stop", () => enterprise.pipelines.get("ft")!.resources === "Stopped");
      await c.call("PATCH", "/v0/pipelines/ft", { body: { program_code: assembleProgram(next.blocks).code } });
      await until("it to compile", () => enterprise.pipelines.get("ft")!.program_status === "Success");
      await c.call("POST", "/v0/pipelines/ft/start");
      await until("it to wait for approval", () => enterprise.pipelines.get("ft")!.runtime === "AwaitingApproval");
      // The declaration catches up with a description; the update waits for Running and approves.
      const live = await updateFeldera(c, next, { ...next, description: "all" }, { waits });
      expect(live).toMatchObject({ deploymentStatus: "Running", deploymentError: "" });
      expect(enterprise.requests.map((r) => `${r.method} ${r.path}`)).toContain("POST /v0/pipelines/ft/approve");
      expect(enterprise.violations).toEqual([]);
    } finally {
      await enterprise.close();
    }
  });

  it("sends the API key as a bearer token, and maps a 401", async () => {
    const secured = await startFelderaEmulator({ apiKey: "apikey:s3cret-key", stepMs: 5 });
    try {
      const ok = await felderaClient({ url: secured.url, apiKey: "apikey:s3cret-key" }).call<any>(
        "GET",
        "/v0/pipelines",
      );
      expect(ok).toEqual([]);
      const err = await felderaClient({ url: secured.url, apiKey: "apikey:wrong-key" })
        .call<any>("GET", "/v0/pipelines")
        .catch((e) => e);
      expect([err.status, err.code]).toEqual([401, "AuthenticationFailed"]);
      expect(err.message).not.toContain("wrong-key");
    } finally {
      await secured.close();
    }
  });
});
