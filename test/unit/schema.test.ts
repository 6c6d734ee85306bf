import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { validateCommand } from "../../provider/cli/validate";
import { findDeclarationFiles, loadFiles, loadPaths } from "../../provider/declarations/loader";
import { inputProblems, validateSchema } from "../../provider/declarations/schema";
import { parseSource } from "../../provider/declarations/source";
import { generatePipelinesSchema, SCHEMA_FILE } from "../../scripts/schemas";

describe("JSON Schema", () => {
  it("schemas/pipelines.schema.json is what the spec types generate (run npm run schemas)", () => {
    expect(fs.readFileSync(SCHEMA_FILE, "utf8")).toBe(generatePipelinesSchema());
  }, 60_000);

  it("a YAML entry with fromPipeline takes nothing else that says where its parameters come from", () => {
    const yaml = [
      "pipelines:",
      "  - engine: ionworks",
      "    target: ionworks",
      "    name: b",
      "    blocks:",
      "      - { name: from_a, type: entry, fromPipeline: a, config: { keep: [x] } }",
      "      - { name: twice, type: entry, fromPipeline: a, config: { values: { x: 1 } } }",
      "",
    ].join("\n");
    const { source } = parseSource("runs.yaml", Buffer.from(yaml));
    expect(validateSchema(source!).map((e) => `${e.line}: ${e.path}: ${e.message}`)).toEqual([
      "7: pipelines[0].blocks[1].config: fromPipeline says where this entry's parameters come from; leave path, values, pipeline_id, cell_spec_id and name out",
    ]);
  });

  it("check() refuses an Ionworks element key its schema package does not know, and a missing required one", () => {
    const fit = { name: "fit", type: "data_fit", config: { objectivs: {}, parameters: {} } };
    expect(inputProblems("IonworksPipelineInputs", { name: "p", blocks: [fit] }).map((p) => p.message)).toEqual([
      "missing required key 'objectives'",
      "unknown key 'objectivs' — did you mean 'objectives'?",
    ]);
    const entry = { name: "e", type: "entry", config: { values: { a: 1 }, anything: true } };
    expect(inputProblems("IonworksPipelineInputs", { name: "p", blocks: [entry] }).map((p) => p.message)).toEqual([
      "unknown key 'anything'",
    ]);
    // A TypeScript entry takes another run's parameters with pipelineId, counted as the package counts pipeline_id.
    const both = { name: "e", type: "entry", config: { values: { a: 1 }, pipelineId: "run-1" } };
    expect(inputProblems("IonworksPipelineInputs", { name: "p", blocks: [both] }).map((p) => p.message)).toEqual([
      "an entry takes its parameters from one place: set only one of path, values, pipeline_id, cell_spec_id, pipelineId",
    ]);
  });
});

describe("examples", () => {
  const examples = path.join(__dirname, "..", "..", "examples");
  const folders = fs
    .readdirSync(examples)
    .map((e) => path.join(examples, e, "pipelines"))
    .filter((p) => fs.existsSync(p));

  it("every example's declarations validate", () => {
    expect(folders.length).toBeGreaterThan(0);
    for (const folder of folders) {
      let out = "";
      expect(validateCommand([folder], { write: (s: string) => (out += s) }), out).toBe(0);
      expect(loadPaths([folder]).pipelines.length).toBeGreaterThan(0);
    }
  });

  it("Pulumi project, stack and policy pack files (examples/policy) are never read as declarations", () => {
    const files = findDeclarationFiles([examples]).files.map((f) => path.basename(f));
    expect(files.filter((f) => f.startsWith("Pulumi"))).toEqual([]);
  });
});

describe("README", () => {
  it("every YAML declaration it shows is valid", () => {
    const readme = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");
    const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)]
      .map((m) => m[1])
      .filter((b) => b.startsWith("pipelines:"));
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    const files = blocks.map((text, i) => ({ file: `README.md#yaml-${i + 1}`, bytes: Buffer.from(text) }));
    const result = loadFiles(files);
    expect(result.errors).toEqual([]);
    expect(new Set(result.pipelines.map((p) => p.decl.engine))).toEqual(new Set(["mage", "feldera", "ionworks"]));
  });
});
