import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, inject, it } from "vitest";
import { diffCommand } from "../../provider/cli/diff";
import { validateCommand } from "../../provider/cli/validate";
import { findDeclarationFiles, loadFiles, loadPaths } from "../../provider/declarations/loader";
import { inputProblems, validateSchema } from "../../provider/declarations/schema";
import { parseSource } from "../../provider/declarations/source";
import { deriveIonworksElements, IONWORKS_ELEMENTS } from "../../scripts/ionworks-elements";
import { generatePipelinesSchema, SCHEMA_FILE } from "../../scripts/schemas";

describe("JSON Schema", () => {
  it("schemas/pipelines.schema.json is what the spec types generate (run npm run schemas)", () => {
    expect(fs.readFileSync(SCHEMA_FILE, "utf8")).toBe(generatePipelinesSchema());
  }, 60_000);

  it("the Ionworks element keys are what the pinned ionworks-schema says (run npm run fixtures:ionworks)", async () => {
    expect(fs.readFileSync(IONWORKS_ELEMENTS, "utf8")).toBe(await deriveIonworksElements(inject("vendorSdks")));
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

  it("Pulumi project and stack files are never read as declarations", () => {
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

describe("examples/github-actions", () => {
  it("is a workflow that validates, reviews from git, gates deletes and deploys on main", async () => {
    const { parse } = await import("yaml");
    const wf = parse(
      fs.readFileSync(path.join(__dirname, "..", "..", "examples", "github-actions", "pipelines.yml"), "utf8"),
    );
    const runs = (job: string) => wf.jobs[job].steps.map((s: any) => s.run ?? s.uses ?? "").join("\n");
    expect(Object.keys(wf.jobs)).toEqual(["review", "preview", "deploy"]);
    expect(runs("review")).toContain("npx pulumi-pipelines validate pipelines/");
    expect(runs("review")).toMatch(
      /npx pulumi-pipelines diff --base "origin\/\$\{\{ github\.base_ref \}\}" pipelines\/ .*> review\.md/,
    );
    expect(runs("review")).toContain("--fail-on delete");
    expect(runs("preview")).toContain("pulumi preview --stack prod --json --show-sames > preview.json");
    expect(wf.jobs.deploy.if).toBe("github.event_name == 'push'");
    // The CLI really takes the options the workflow passes.
    let out = "";
    expect(
      await diffCommand(
        [
          "--preview",
          path.join(__dirname, "..", "fixtures", "preview", "mage-delete.json"),
          "--title",
          "Pipeline review",
          "--format",
          "text",
          "--fail-on",
          "delete",
        ],
        { write: (s: string) => (out += s) },
      ),
    ).toBe(2);
  });

  it("has a nightly drift job whose report command is the CLI's, exit codes included", async () => {
    const { parse } = await import("yaml");
    const wf = parse(
      fs.readFileSync(path.join(__dirname, "..", "..", "examples", "github-actions", "drift.yml"), "utf8"),
    );
    expect(wf.on.schedule[0].cron).toMatch(/^\d+ \d+ \* \* \*$/);
    expect(wf.permissions).toEqual({ contents: "read", issues: "write" });
    const run = wf.jobs.drift.steps.map((s: any) => s.run ?? "").join("\n");
    expect(run).toContain("pulumi preview --stack prod --refresh --json --show-sames > preview.json");
    const command = /npx pulumi-pipelines (diff --drift --preview preview\.json --title "([^"]+)") > drift\.md/.exec(
      run,
    );
    expect(command).not.toBeNull();
    // The workflow reads exit 2 as drift and 0 as none: so does the CLI, on a preview of each.
    const fixtures = path.join(__dirname, "..", "fixtures", "preview");
    const report = async (file: string) => {
      let out = "";
      const code = await diffCommand(["--drift", "--preview", path.join(fixtures, file), "--title", command![2]], {
        write: (s: string) => (out += s),
      });
      return { code, out };
    };
    const drifted = await report("mage-drift.json");
    expect(drifted.code).toBe(2);
    expect(drifted.out).toMatch(/^## Pipeline drift \(prod\): 2 objects drifted/);
    expect(drifted.out).toContain('- `description`: `"e2e lifecycle"` → `"edited in the Mage UI"`');
    // The same stack with nothing to put back: only "same" steps.
    const same = JSON.parse(fs.readFileSync(path.join(fixtures, "mage-drift.json"), "utf8"));
    same.steps = same.steps.filter((s: { op: string }) => s.op === "same");
    const calmFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pp-drift-")), "same.json");
    fs.writeFileSync(calmFile, JSON.stringify(same));
    const calm = await report(path.relative(fixtures, calmFile));
    expect(calm).toEqual({ code: 0, out: expect.stringContaining("## Pipeline drift (prod): no drift") });
    const script = wf.jobs.drift.steps.find((s: any) => s.uses?.startsWith("actions/github-script")).with.script;
    expect(script).toContain('labels: "pipeline-drift"');
    expect(script).toContain('state: "closed"');
  });
});
