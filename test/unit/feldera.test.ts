import { describe, expect, it } from "vitest";
import { declaredDrift, MISSING, projectDeclared, storageBoundChanges } from "../../provider/backends/feldera/config";
import { atLeast, felderaFromRemote, mergeDeclared, normalizeFeldera } from "../../provider/backends/feldera/pipeline";
import { felderaPlanNotes, felderaPlanText } from "../../provider/backends/feldera/plan";
import { assembleProgram, describeSqlErrors, locateLine } from "../../provider/backends/feldera/program";
import { felderaPlan } from "../../provider/resources/feldera/pipeline";
import { schemaFailures } from "../../provider/resources/validate";
import { fillProgram, fillRuntime } from "../fakes/feldera/emulator";

describe("program assembly", () => {
  const blocks = [
    { name: "tables", sql: "CREATE TABLE a (x INT);\nCREATE TABLE b (y INT);\n", file: "sql/tables.sql" },
    { name: "views", sql: "CREATE VIEW v AS\nSELECT * FROM a;" },
  ];

  it("keeps declared order and heads each fragment with its name", () => {
    expect(assembleProgram(blocks).code).toBe(
      "-- block: tables (sql/tables.sql)\nCREATE TABLE a (x INT);\nCREATE TABLE b (y INT);\n\n-- block: views\nCREATE VIEW v AS\nSELECT * FROM a;\n",
    );
  });

  it("maps program lines back to block, file and line", () => {
    const { spans } = assembleProgram(blocks);
    expect(locateLine(spans, 1)).toBeUndefined(); // a header
    expect(locateLine(spans, 3)).toEqual({ block: "tables", file: "sql/tables.sql", line: 2 });
    expect(locateLine(spans, 7)).toEqual({ block: "views", file: undefined, line: 2 });
    expect(
      describeSqlErrors(spans, [
        { start_line_number: 3, start_column: 14, warning: false, error_type: "Error parsing SQL", message: "bad" },
        { start_line_number: 6, start_column: 1, warning: true, error_type: "Warning", message: "ignored" },
        { start_line_number: 7, start_column: 5, warning: false, error_type: "Type error", message: "no" },
      ]),
    ).toEqual([
      "sql/tables.sql:2:14 (block 'tables'): Error parsing SQL: bad",
      "block 'views' line 2, column 5: Type error: no",
    ]);
  });

  it("is byte-stable whatever the line endings of the files", () => {
    expect(assembleProgram([{ name: "t", sql: "A;\r\nB;\r\n" }]).code).toBe(
      assembleProgram([{ name: "t", sql: "A;\nB;" }]).code,
    );
  });
});

describe("declared-keys comparison", () => {
  const remote = fillRuntime({ workers: 4, storage: { compression: "snappy" } });

  it("server defaults never show: the projection has exactly the declared paths", () => {
    const declared = { workers: 4, storage: { compression: "snappy" } };
    expect(projectDeclared(declared, remote)).toEqual(declared);
    expect(declaredDrift(declared, projectDeclared(declared, remote))).toEqual([]);
  });

  it("a changed declared value is drift; a dropped unknown key is marked absent", () => {
    const declared = { workers: 2, workerz: 1 };
    expect(declaredDrift(declared, projectDeclared(declared, remote))).toEqual(["workers", "workerz"]);
    expect(projectDeclared(declared, remote).workerz).toBe(MISSING);
  });

  it("merges declared keys into the server object (PATCH replaces runtime_config whole)", () => {
    const merged = mergeDeclared(remote, { storage: { cache_mib: 64 } });
    expect(merged.storage).toEqual({ ...(remote.storage as object), cache_mib: 64 });
    expect(merged.workers).toBe(4);
  });

  it("knows which runtime keys need cleared storage", () => {
    expect(storageBoundChanges({ workers: 4, tracing: false }, { workers: 2, tracing: true })).toEqual(["workers"]);
    expect(storageBoundChanges({ resources: { storage_class: "a" } }, { resources: { storage_class: "b" } })).toEqual([
      "resources.storage_class",
    ]);
  });

  it("program_config defaults are not drift either", () => {
    expect(projectDeclared({ profile: "optimized" }, fillProgram({ profile: "optimized" }))).toEqual({
      profile: "optimized",
    });
  });
});

describe("reading a live pipeline through the declaration", () => {
  const spec = normalizeFeldera({
    name: "p",
    blocks: [{ name: "t", sql: "CREATE TABLE t (x INT);" }],
    runtimeConfig: { workers: 4 },
  });
  const remote = {
    name: "p",
    description: "",
    program_code: assembleProgram(spec.blocks).code,
    runtime_config: fillRuntime({ workers: 4 }),
    program_config: fillProgram({}),
    udf_rust: "",
    udf_toml: "",
    deployment_desired_status: "Running",
    // Status fields every read carries; the mapping uses none of them.
    program_status: "Success" as const,
    program_version: 1,
    deployment_status: "Running",
    storage_status: "InUse",
  };

  it("equals the declaration when nothing drifted", () => {
    expect(felderaFromRemote(remote, spec)).toEqual(spec);
  });

  it("shows program edits made outside Pulumi as one live block", () => {
    const live = felderaFromRemote({ ...remote, program_code: "CREATE TABLE t (x INT, y INT);" }, spec);
    expect(live.blocks).toEqual([
      { name: "live program (changed outside Pulumi)", sql: "CREATE TABLE t (x INT, y INT);" },
    ]);
  });
});

describe("the plan of a change, as data, and the text the preview shows", () => {
  const base = { name: "p", blocks: [{ name: "t", sql: "CREATE TABLE t (x INT);" }], runtimeConfig: { workers: 4 } };
  const text = (olds: any, news: any) => felderaPlanText(felderaPlan(olds, news)!);

  it("a storage-bound change stops, clears storage and restarts", () => {
    const news = { ...base, runtimeConfig: { workers: 8 } };
    expect(felderaPlan(base, news)).toEqual({
      adopts: false,
      stops: true,
      clearsStorage: ["runtime_config.workers"],
      recompiles: false,
      bootstraps: false,
      leaves: "running",
    });
    expect(text(base, news)).toBe(
      "update stops the pipeline (force), then CLEARS ITS STORAGE (runtime_config.workers can only change with storage cleared), then leaves it running",
    );
    expect(felderaPlanNotes(felderaPlan(base, news)!)).toEqual([
      "stops the running Feldera pipeline (force) and restarts it",
      "clears the Feldera pipeline's storage (runtime_config.workers can only change with storage cleared)",
    ]);
  });

  it("a SQL change stops and recompiles", () => {
    const news = { ...base, blocks: [{ name: "t", sql: "CREATE TABLE t (y INT);" }] };
    expect(felderaPlan(base, news)).toMatchObject({
      stops: true,
      recompiles: true,
      clearsStorage: [],
      bootstraps: true,
    });
    expect(text(base, news)).toBe(
      "update stops the pipeline (force), then recompiles the program (the new SQL is validated first), then leaves it running (from a checkpoint, the changed views are bootstrapped)",
    );
    expect(felderaPlanNotes(felderaPlan(base, news)!)).toContain(
      "restarted from a checkpoint (Feldera Enterprise), bootstraps the views the change touches",
    );
    const stopped = { ...news, desiredState: "stopped" };
    expect(felderaPlan(base, stopped)).toMatchObject({ recompiles: true, bootstraps: false });
  });

  it("a description change, or config keys in another order, touch nothing running", () => {
    expect(felderaPlan(base, { ...base, description: "x" })).toEqual({
      adopts: false,
      stops: false,
      clearsStorage: [],
      recompiles: false,
      bootstraps: false,
    });
    expect(text(base, { ...base, description: "x" })).toBe("no lifecycle change");
    const two = { ...base, runtimeConfig: { workers: 4, storage: { compression: "snappy", cache_mib: 9 } } };
    const reordered = { ...base, runtimeConfig: { storage: { cache_mib: 9, compression: "snappy" }, workers: 4 } };
    expect(felderaPlanNotes(felderaPlan(two, reordered)!)).toEqual([]);
  });

  it("a create says it adopts only when marked adopt", () => {
    expect(felderaPlan(undefined, base)).toBeUndefined();
    expect(felderaPlan(undefined, { ...base, adopt: true })).toMatchObject({ adopts: true, stops: false });
  });
});

describe("server versions", () => {
  it.each([
    ["0.337.0", true],
    ["v0.330.0", true],
    ["0.329.9", false],
    ["1.0.0", true],
  ])("%s ≥ 0.330: %s", (v, ok) => expect(atLeast(v, [0, 330, 0])).toBe(ok));
});

describe("check(): Feldera config types from its OpenAPI, before any request", () => {
  it("names the key of a wrong type, and accepts the forms the server's own deserializers take", () => {
    const base = { name: "p", blocks: [{ name: "t", sql: "CREATE TABLE t (x INT);" }] };
    expect(
      schemaFailures("FelderaPipelineInputs", {
        ...base,
        runtimeConfig: { workers: "4", resources: { cpu_cores_max: 2 } },
        programConfig: { profile: "fast" },
      }),
    ).toEqual([
      { property: "runtimeConfig.workers", reason: 'must be a whole number, got the string "4"' },
      {
        property: "programConfig.profile",
        reason: 'must be one of dev, unoptimized, optimized, optimized_symbols, null; got "fast"',
      },
    ]);
    for (const runtimeConfig of [
      { storage: true },
      { storage: null },
      { fault_tolerance: "initial_state" },
      { fault_tolerance: null },
      { fault_tolerance: { model: "exactly_once" } },
      { a_key_from_a_newer_feldera: 1 },
    ])
      expect(
        schemaFailures("FelderaPipelineInputs", { ...base, runtimeConfig }),
        JSON.stringify(runtimeConfig),
      ).toEqual([]);
  });
});
