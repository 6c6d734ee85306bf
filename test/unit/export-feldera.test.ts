// Export's pure half for Feldera: the program split back into blocks, and the
// config reduced to what differs from the server defaults (whose table is
// checked against Feldera's OpenAPI here).
import { describe, expect, it } from "vitest";
import { overDefaults, PROGRAM_DEFAULTS, RUNTIME_DEFAULTS } from "../../provider/backends/feldera/config";
import { felderaFromRemote, normalizeFeldera } from "../../provider/backends/feldera/pipeline";
import { assembleProgram, programMatches, splitProgram, statementName } from "../../provider/backends/feldera/program";
import { exportFelderaPipeline, felderaExportable } from "../../provider/export/feldera";
import { fillProgram, fillRuntime } from "../fakes/feldera/emulator";
import { felderaOpenApi } from "../fakes/feldera/openapi";

describe("the defaults table", () => {
  const schemas = felderaOpenApi().components.schemas;

  for (const [schema, table] of [
    ["RuntimeConfig", RUNTIME_DEFAULTS],
    ["ProgramConfig", PROGRAM_DEFAULTS],
  ] as const) {
    it(`has every ${schema} key, with the OpenAPI's default (null where it gives none)`, () => {
      const props: Record<string, any> = schemas[schema].properties;
      expect(Object.keys(table).sort()).toEqual(Object.keys(props).sort());
      for (const [key, prop] of Object.entries(props))
        expect({ key, value: table[key] }).toEqual({ key, value: "default" in prop ? prop.default : null });
    });
  }

  it("reduces a filled config to what was set, and a default config to nothing", () => {
    expect(overDefaults(fillRuntime({}), RUNTIME_DEFAULTS)).toEqual({});
    expect(overDefaults(fillProgram({}), PROGRAM_DEFAULTS)).toEqual({});
    const set = {
      workers: 4,
      storage: { compression: "snappy", cache_mib: 512 },
      resources: { memory_mb_max: 8192 },
      env: { TZ: "UTC" },
    };
    expect(overDefaults(fillRuntime(set), RUNTIME_DEFAULTS)).toEqual(set);
    expect(overDefaults(fillProgram({ profile: "dev" }), PROGRAM_DEFAULTS)).toEqual({ profile: "dev" });
  });

  it("keeps fault_tolerance whole (without its model it would mean exactly_once), keys it does not know unless null", () => {
    expect(
      overDefaults(
        { ...fillRuntime({}), fault_tolerance: { model: "none", checkpoint_interval_secs: 120 } },
        RUNTIME_DEFAULTS,
      ),
    ).toEqual({ fault_tolerance: { model: "none", checkpoint_interval_secs: 120 } });
    expect(overDefaults({ ...fillRuntime({}), newer_knob: 3, newer_null: null }, RUNTIME_DEFAULTS)).toEqual({
      newer_knob: 3,
    });
  });
});

describe("splitting a program back into blocks", () => {
  const handWritten = [
    "-- Orders as they arrive; price in cents.",
    "CREATE TABLE orders (id BIGINT NOT NULL PRIMARY KEY, note VARCHAR DEFAULT 'a;b', \"odd;name\" INT);",
    "/* customers; loaded nightly */",
    'CREATE TABLE IF NOT EXISTS "Customers" (id BIGINT); -- keep',
    "CREATE LOCAL VIEW big AS SELECT * FROM orders WHERE note <> 'it''s;'; CREATE MATERIALIZED VIEW totals AS",
    "  SELECT COUNT(*) AS n FROM big;",
    "CREATE FUNCTION twice(x INT) RETURNS INT AS x * 2;",
    "DECLARE RECURSIVE VIEW reach (n INT);",
    "CREATE VIEW reach AS SELECT 1 AS n;",
    "-- trailing note, no newline after it",
  ].join("\n");

  it("cuts at statement ends outside strings, quoted names and comments, and names blocks after what they create", () => {
    const blocks = splitProgram(handWritten);
    expect(blocks.map((b) => b.name)).toEqual([
      "orders",
      "Customers",
      "big",
      "totals",
      "twice",
      "reach_declaration",
      "reach",
    ]);
    expect(blocks[0].sql).toBe(`${handWritten.split("\n")[0]}\n${handWritten.split("\n")[1]}\n`);
    expect(blocks[1].sql).toBe(
      '/* customers; loaded nightly */\nCREATE TABLE IF NOT EXISTS "Customers" (id BIGINT); -- keep\n',
    );
    expect(blocks[2].sql).toBe("CREATE LOCAL VIEW big AS SELECT * FROM orders WHERE note <> 'it''s;';");
    expect(blocks[6].sql).toBe("CREATE VIEW reach AS SELECT 1 AS n;\n-- trailing note, no newline after it");
  });

  it("keeps every byte: the blocks read back as the live program", () => {
    for (const code of [
      handWritten,
      "",
      "CREATE TABLE t (x INT)",
      "CREATE TABLE a (x INT);\r\nCREATE TABLE b (y INT);\r\n",
      "\n\nCREATE TABLE a (x INT);\n\n\n",
    ]) {
      const blocks = splitProgram(code);
      expect(blocks.map((b) => b.sql).join("")).toBe(code);
      expect(programMatches(code, blocks)).toBe(true);
      expect(new Set(blocks.map((b) => b.name)).size).toBe(blocks.length);
    }
  });

  it("splits a program this provider assembled at its block headers, keeping the names", () => {
    const assembled = assembleProgram([
      { name: "tables", sql: "CREATE TABLE a (x INT);\n\nCREATE TABLE b (y INT);\n", file: "sql/tables.sql" },
      { name: "views", sql: "CREATE VIEW v AS SELECT * FROM a;" },
    ]).code;
    const blocks = splitProgram(assembled);
    expect(blocks).toEqual([
      { name: "tables", sql: "CREATE TABLE a (x INT);\n\nCREATE TABLE b (y INT);\n" },
      { name: "views", sql: "CREATE VIEW v AS SELECT * FROM a;\n" },
    ]);
    // Exported to other files, the headers name other paths: still the same program.
    expect(
      programMatches(
        assembled,
        blocks.map((b) => ({ ...b, file: `sql/x/${b.name}.sql` })),
      ),
    ).toBe(true);
    expect(programMatches(assembled, [{ name: "tables", sql: "CREATE TABLE a (x INT);\n" }, blocks[1]])).toBe(false);
  });

  it("does not count a changed program as a match", () => {
    const blocks = splitProgram(handWritten);
    expect(programMatches(handWritten.replace("x * 2", "x * 3"), blocks)).toBe(false);
    expect(programMatches(`${handWritten}\n`, blocks)).toBe(false);
  });

  it("names what a statement creates", () => {
    expect(statementName("create or replace view s.v2 as select 1")).toBe("v2");
    expect(statementName("-- CREATE TABLE commented (x INT)\nINSERT INTO t VALUES (1)")).toBeUndefined();
    expect(statementName("CREATE TYPE addr AS (street VARCHAR)")).toBe("addr");
  });
});

describe("a live pipeline as a declaration", () => {
  const remote = {
    name: "orders",
    description: "made in the UI",
    program_code: "CREATE TABLE t (x INT);\nCREATE VIEW v AS SELECT x FROM t;\n",
    runtime_config: fillRuntime({ workers: 2 }),
    program_config: fillProgram({}),
    udf_rust: "",
    udf_toml: "",
    deployment_desired_status: "Paused",
    // Status fields every read carries; the mapping uses none of them.
    program_status: "Success" as const,
    program_version: 1,
    deployment_status: "Paused",
    storage_status: "InUse",
  };

  it("reads back, through the provider's own read, as exactly the live pipeline", () => {
    const { declaration, files } = exportFelderaPipeline(remote, "prod");
    expect(declaration).toMatchObject({
      engine: "feldera",
      target: "prod",
      adopt: true,
      desiredState: "paused",
      runtimeConfig: { workers: 2 },
    });
    expect(declaration).not.toHaveProperty("programConfig");
    const content = new Map(files.map((f) => [`../${f.path}`, f.content]));
    const declared = normalizeFeldera({
      ...declaration,
      blocks: declaration.blocks.map((b) => ({ name: b.name, sql: content.get(b.sqlFile!)! })),
    } as any);
    expect(felderaFromRemote(remote, declared)).toEqual(declared);
  });

  it("leaves out a pipeline meant to be in a state a declaration cannot keep", () => {
    expect(felderaExportable(remote)).toBeUndefined();
    expect(felderaExportable({ ...remote, deployment_desired_status: "Suspended" })?.why).toMatch(/Suspended/);
  });
});
