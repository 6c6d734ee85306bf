// Per-environment values (declarations/environments.ts): one set of files, per stack the values that differ. The
// YAML loader, validate, graph and the TypeScript helper all take a stack's values by one rule.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { forStack, mage } from "../../provider";
import { validateCommand } from "../../provider/cli/validate";
import { overlay, stacksOf, stackView } from "../../provider/declarations/environments";
import { loadFiles } from "../../provider/declarations/loader";
import schema from "../../schemas/pipelines.schema.json";

const FILE = `pipelines:
  - engine: mage
    target: mage
    name: orders etl
    variables: { bucket: s3://dev, rows: 3 }
    environments:
      prod: { target: mage-prod, variables: { bucket: s3://prod } }
    blocks:
      - name: load
        type: data_loader
        code: "x = 1"
        environments:
          staging: { timeout: 60 }
    schedules:
      - name: daily
        type: time
        interval: "@hourly"
        status: inactive
        environments:
          prod: { status: active, interval: "@daily" }
  - engine: feldera
    target: feldera
    name: fraud
    desiredState: paused
    runtimeConfig: { workers: 1 }
    environments:
      prod: { desiredState: running, runtimeConfig: { workers: 8 } }
    blocks:
      - name: t
        sql: CREATE TABLE t (x INT);
  - engine: ionworks
    target: ionworks
    name: fit
    waitFor: submitted
    environments:
      prod: { project: prod-project, waitFor: completed }
    blocks:
      - name: e
        type: entry
        config: { values: { a: 1 } }
secrets:
  - engine: mage
    target: mage
    name: warehouse
    value: { secret: DEV_PASSWORD }
    environments:
      prod: { value: { secret: PROD_PASSWORD } }
`;

/** The line of `text`'s first line that holds `what`. */
const lineOf = (text: string, what: string) => text.split("\n").findIndex((l) => l.includes(what)) + 1;

const load = (text: string, stack?: string) =>
  loadFiles([{ file: "pipelines/all.yaml", bytes: Buffer.from(text) }], { stack });

describe("overlay", () => {
  it("replaces a field, and merges a mapping key by key one level deep", () => {
    expect(
      overlay<Record<string, unknown>>(
        { status: "inactive", variables: { a: 1, b: { x: 1 } }, tags: ["a"] },
        { status: "active", variables: { b: { y: 2 } }, tags: ["b"] },
      ),
    ).toEqual({ status: "active", variables: { a: 1, b: { y: 2 } }, tags: ["b"] });
    expect(overlay({ a: 1 }, undefined)).toEqual({ a: 1 });
  });
});

describe("a stack's view of the declarations", () => {
  it("takes each entry's values for the stack, and leaves every other stack the declared ones", () => {
    const prod = load(FILE, "prod");
    const dev = load(FILE, "dev");
    expect(prod.errors).toEqual([]);
    expect(prod.stacks).toEqual(["prod", "staging"]);
    const [magePipeline, feldera, ionworks] = prod.pipelines.map((p) => p.decl as Record<string, any>);
    expect(magePipeline).toMatchObject({ target: "mage-prod", variables: { bucket: "s3://prod", rows: 3 } });
    expect(magePipeline.schedules[0]).toEqual({ name: "daily", type: "time", interval: "@daily", status: "active" });
    expect(magePipeline.blocks[0].timeout).toBeUndefined();
    expect(feldera).toMatchObject({ desiredState: "running", runtimeConfig: { workers: 8 } });
    expect(ionworks).toMatchObject({ project: "prod-project", waitFor: "completed" });
    expect(prod.secrets[0].decl.value).toEqual({ secret: "PROD_PASSWORD" });
    const devPipeline = dev.pipelines[0].decl as Record<string, any>;
    expect(devPipeline).toMatchObject({ target: "mage", variables: { bucket: "s3://dev", rows: 3 } });
    expect(devPipeline.schedules[0]).toMatchObject({ interval: "@hourly", status: "inactive" });
    expect(JSON.stringify(dev.pipelines.map((p) => p.decl))).not.toContain("environments");
    expect((load(FILE, "staging").pipelines[0].decl as Record<string, any>).blocks[0].timeout).toBe(60);
  });

  it("points at where a value is written: under the stack where the stack gives it", () => {
    const prod = load(FILE, "prod").pipelines[0];
    const line = (what: string) => lineOf(FILE, what);
    expect(prod.at(["schedules", 0, "interval"]).line).toBe(line('prod: { status: active, interval: "@daily" }'));
    expect(prod.at(["variables", "bucket"]).line).toBe(line("prod: { target: mage-prod"));
    // A variable the stack does not give is where the declared mapping has it.
    expect(prod.at(["variables", "rows"]).line).toBe(line("variables: { bucket: s3://dev, rows: 3 }"));
    expect(prod.at(["name"]).line).toBe(line("name: orders etl"));
  });

  it("lets a stack give any field of the entry but its name and the entries it holds", () => {
    // Every field of each kind's values per stack, replaced by the stack's value in its view.
    const defs = (schema as unknown as { definitions: Record<string, { properties: Record<string, unknown> }> })
      .definitions;
    const cases: [string, Record<string, unknown>, string[]][] = [
      ["MagePipelineValues", { pipelines: [{ name: "p" }] }, ["pipelines", "0"]],
      ["MageBlockValues", { pipelines: [{ blocks: [{ name: "b" }] }] }, ["pipelines", "0", "blocks", "0"]],
      ["MageScheduleValues", { pipelines: [{ schedules: [{ name: "s" }] }] }, ["pipelines", "0", "schedules", "0"]],
      ["MageSecretValues", { secrets: [{ name: "s" }] }, ["secrets", "0"]],
      ["FelderaPipelineValues", { pipelines: [{ name: "f" }] }, ["pipelines", "0"]],
      ["IonworksPipelineValues", { pipelines: [{ name: "i" }] }, ["pipelines", "0"]],
    ];
    for (const [definition, data, at] of cases) {
      const fields = Object.keys(defs[definition].properties);
      expect(fields, definition).not.toContain("name");
      expect(fields, definition).not.toContain("environments");
      for (const field of fields) {
        const file = structuredClone(data);
        const entry = at.reduce<any>((o, k) => o[k], file);
        entry.environments = { prod: { [field]: `prod value of ${field}` } };
        const seen = at.reduce<any>((o, k) => o[k], stackView(file, "prod").data);
        expect(seen[field], `${definition}.${field}`).toBe(`prod value of ${field}`);
        expect(at.reduce<any>((o, k) => o[k], stackView(file, "dev").data)[field]).toBeUndefined();
        expect(stacksOf(file)).toEqual(["prod"]);
      }
    }
  });

  it("refuses a value of the wrong type for a stack, naming the stack in the path", () => {
    const bad = FILE.replace("prod: { status: active", "prod: { status: paused");
    expect(load(bad).errors.map((e) => `${e.line}: ${e.path}: ${e.message}`)).toEqual([
      `${lineOf(bad, "prod: { status: paused")}: pipelines[0].schedules[0].environments.prod.status: must be one of active, inactive; got "paused"`,
    ]);
  });
});

describe("validate", () => {
  const run = (text: string, args: string[] = []) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pp-envs-"));
    fs.mkdirSync(path.join(dir, "pipelines"));
    fs.writeFileSync(path.join(dir, "pipelines", "all.yaml"), text);
    let out = "";
    const code = validateCommand([path.join(dir, "pipelines"), ...args], { write: (s) => (out += s) });
    return { code, out: out.replaceAll(`${dir}/`, "") };
  };

  it("checks the declarations as every stack sees them, and says which stack an error is the stack's", () => {
    expect(run(FILE)).toEqual({ code: 0, out: "1 file, 3 pipelines: valid\n" });
    const bad = FILE.replace('prod: { status: active, interval: "@daily" }', 'prod: { interval: "every day" }');
    const { code, out } = run(bad);
    expect(code).toBe(1);
    const line = lineOf(bad, 'prod: { interval: "every day" }');
    expect(out).toBe(
      `pipelines/all.yaml:${line}:29: pipelines[0].schedules[0].interval: cron expression 'every day' has 2 fields; expected 5 (minute hour day-of-month month day-of-week) (stack prod)\n1 error in 1 file(s)\n`,
    );
    // Another stack's view alone has no such error.
    expect(run(bad, ["--stack", "staging"]).code).toBe(0);
    expect(run(bad, ["--stack", "prod"]).code).toBe(1);
  });
});

describe("forStack, the TypeScript idiom", () => {
  it("gives a resource the values of the stack being deployed", async () => {
    const registered: Record<string, unknown>[] = [];
    pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          registered.push(args.inputs);
          return { id: `${args.name}-id`, state: args.inputs };
        },
        call: () => ({}),
      },
      "environments",
      "prod",
      false,
    );
    new mage.Schedule(
      "daily",
      forStack(
        { pipeline: "p", name: "daily", type: "time", interval: "@hourly", status: "inactive" },
        { prod: { status: "active", interval: "@daily" }, dev: { interval: "@once" } },
      ),
    );
    await pulumi.runtime.disconnect();
    expect(registered[0]).toMatchObject({ interval: "@daily", status: "active" });
    const args: { status: mage.ScheduleStatus } = { status: "inactive" };
    expect(forStack(args, { prod: { status: "active" } }, "dev")).toEqual({ status: "inactive" });
    expect(forStack(args, { prod: { status: "active" } }, "prod")).toEqual({ status: "active" });
  });
});
