// Model-based acceptance: generated Mage projects and sequences of the edits
// users make (test/model/project.ts), each applied with one `pulumi up`
// through the real CLI against the real Mage. After every `up` the server is
// read through Mage's API and compared whole with the declaration; the next
// preview shows no change; a block and a trigger made outside the stack in a
// managed pipeline are still there. A failure prints the seed and the edits.
//
// npm test runs one generated sequence of five edits (MODEL_RUNS sequences of
// MODEL_STEPS edits; each edit is an `up`, so each sequence costs minutes); the
// model lane, `npm run test:model -- --runs N --steps K --seed S`, runs ten of
// eight by default.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configureMage, mageAtLeast, mageTarget, testClient } from "../helpers/mage";
import { createStack, ops, type TestStack } from "../helpers/pulumi";
import { mageBlockUuid as blockUuid, mageHttp, mageCleanName as pipelineUuid } from "../model/mage";
import { applyEdit, codeFor, type Edit, editArbitrary, initialProject, type Project } from "../model/project";
import { expected, type ObservedBlock, type ObservedTrigger, observe } from "../model/server";

const program = path.join(__dirname, "programs", "model");
const RUNS = Number(process.env.MODEL_RUNS ?? 1);
const STEPS = Number(process.env.MODEL_STEPS ?? 5);
const SEED = Number(process.env.MODEL_SEED ?? 20261130);

describe("model-based: generated edit sequences converge on a real Mage in one up each", () => {
  let stack: TestStack;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pp-model-"));
  const declaration = path.join(dir, "declaration.json");
  const mage = () => testClient();
  let sequence = 0;

  beforeAll(async () => {
    stack = await createStack(program);
    await stack.config("e2e:declaration", declaration);
    await configureMage(stack);
  }, 120_000);

  afterAll(async () => {
    await stack?.run(["destroy", "--yes", "--skip-preview"]);
    await stack?.remove();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Deploys a model state and checks the server and the next preview. */
  async function converge(project: Project, outOfBand: () => { block: ObservedBlock; trigger: ObservedTrigger }) {
    fs.writeFileSync(declaration, JSON.stringify(project, null, 2));
    const up = await stack.up();
    if (up.code !== 0) throw new Error(`pulumi up failed:\n${up.stdout}\n${up.stderr}`);
    expect(await observe(mageHttp(mageTarget()), project.prefix)).toEqual(expected(project, outOfBand()));
    const after = ops(await stack.preview());
    expect(Object.keys(after), JSON.stringify(after)).toEqual(["same"]);
  }

  /** A block and a trigger made through Mage's API in the first pipeline: the stack must leave them be. */
  async function makeOutOfBand(project: Project) {
    const holder = project.pipelines.find((p) => p.holdsOutOfBand)!;
    const uuid = pipelineUuid(holder.name);
    const name = `${project.prefix}_oob`;
    const code = codeFor("custom", "python", 0);
    await mage().call("POST", `/api/pipelines/${uuid}/blocks`, {
      body: { block: { name, type: "custom", language: "python", content: code, upstream_blocks: [] } },
    });
    await mage().call("POST", `/api/pipelines/${uuid}/pipeline_schedules`, {
      body: { pipeline_schedule: { name: "made by hand", schedule_type: "api" } },
    });
    return {
      block: {
        uuid: blockUuid(name),
        type: "custom",
        language: "python",
        content: code,
        upstream: [],
        configuration: {},
        retryConfig: null,
        timeout: null,
        executorType: "local_python",
        color: null,
      },
      trigger: {
        name: "made by hand",
        type: "api",
        interval: null,
        startTime: null,
        status: "inactive",
        variables: {},
        settings: {},
        tags: [],
        eventMatchers: [],
      },
    };
  }

  /**
   * One sequence: the initial project, then each edit that applies, each
   * deployed with one `up` and checked. Returns the edits applied.
   */
  async function runSequence(shape: number[], edits: Edit[]): Promise<Edit[]> {
    const prefix = `model${process.pid}s${++sequence}`;
    let project = initialProject(prefix, shape);
    const applied: Edit[] = [];
    let outOfBand = { block: undefined as unknown as ObservedBlock, trigger: undefined as unknown as ObservedTrigger };
    try {
      fs.writeFileSync(declaration, JSON.stringify(project, null, 2));
      const first = await stack.up();
      if (first.code !== 0) throw new Error(`pulumi up failed:\n${first.stdout}\n${first.stderr}`);
      outOfBand = await makeOutOfBand(project);
      await converge(project, () => outOfBand);
      for (const edit of edits) {
        const next = applyEdit(project, edit, { concurrencyConfig: mageAtLeast("0.9.71") });
        if (!next) continue;
        applied.push(edit);
        project = next;
        await converge(project, () => outOfBand);
      }
      process.stdout.write(`[model] ${prefix}: ${applied.map((e) => e.kind).join(", ") || "(no edit applied)"}\n`);
      return applied;
    } catch (e) {
      throw new Error(
        `sequence ${prefix} (shape ${JSON.stringify(shape)}) failed after edits ${JSON.stringify(applied)}\nmodel: ${JSON.stringify(project)}\n${(e as Error).message}`,
      );
    } finally {
      // The next sequence starts from an empty stack; the hand-made block goes with its pipeline.
      await stack.run(["destroy", "--yes", "--skip-preview"]);
      await removeLeftovers(prefix);
    }
  }

  // The two edits users reported failing, as fixed sequences.
  it("renaming a block that others depend on converges (regression)", async () => {
    // Pipeline 0 of shape [0, …] is a chain loader → transformer → … with an attached block.
    const applied = await runSequence([0, 0, 0, 0, 0, 0], [{ kind: "block.rename", a: 0, b: 0, c: 0 }]);
    expect(applied.map((e) => e.kind)).toEqual(["block.rename"]);
  }, 600_000);

  it("changing the upstream of a callback block converges (regression)", async () => {
    // Shape [.., 0, 0]: pipeline 0's attached block is a callback on its first block; it moves to serve another.
    const applied = await runSequence(
      [1, 0, 0, 0, 0, 0],
      [
        { kind: "block.upstreamAdd", a: 0, b: 3, c: 1 },
        { kind: "block.code", a: 0, b: 3, c: 0 },
      ],
    );
    expect(applied.length).toBeGreaterThan(0);
  }, 600_000);

  it("changing an extension block's configuration converges (regression: Mage's update does not write it)", async () => {
    // Shape [.., 2, 0]: pipeline 0 is loader → one main block → an extension block serving one of them (index 2).
    const applied = await runSequence([0, 0, 0, 0, 2, 0], [{ kind: "block.configuration", a: 0, b: 2, c: 5 }]);
    expect(applied.map((e) => e.kind)).toEqual(["block.configuration"]);
  }, 600_000);

  it("changing a pipeline's type converges with its blocks and triggers in place", async () => {
    const applied = await runSequence(
      [1, 2, 0, 1, 0, 0],
      [
        { kind: "pipeline.type", a: 0, b: 0, c: 0 },
        { kind: "pipeline.type", a: 1, b: 0, c: 1 },
        { kind: "pipeline.type", a: 0, b: 0, c: 0 },
      ],
    );
    expect(applied.length).toBe(3);
  }, 600_000);

  it("run settings, block settings and event matchers converge when set, changed and dropped", async () => {
    // Shape [0, …]: pipeline 0 is loader → exporter with a callback on the loader, and a time trigger.
    const edits: Edit[] = [
      { kind: "pipeline.runSettings", a: 0, b: 0, c: 1 },
      { kind: "pipeline.runSettings", a: 0, b: 1, c: 3 },
      { kind: "pipeline.runSettings", a: 0, b: 0, c: 4 },
      { kind: "block.settings", a: 0, b: 0, c: 1 },
      { kind: "block.settings", a: 0, b: 2, c: 3 },
      { kind: "block.settings", a: 0, b: 0, c: 0 },
      { kind: "trigger.add", a: 0, b: 0, c: 2 },
      { kind: "trigger.eventMatchers", a: 0, b: 0, c: 2 },
      { kind: "trigger.eventMatchers", a: 0, b: 0, c: 1 },
    ];
    const applied = await runSequence([0, 0, 0, 0, 0, 0], edits);
    // The second edit sets concurrency settings, which Mage keeps from 0.9.71: an older server is not asked to.
    expect(applied).toEqual(mageAtLeast("0.9.71") ? edits : edits.filter((_, i) => i !== 1));
  }, 900_000);

  it(
    `${RUNS} generated sequences of ${STEPS} edits (seed ${SEED})`,
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 6, maxLength: 6 }),
          fc.array(editArbitrary, { minLength: STEPS, maxLength: STEPS }),
          async (shape, edits) => {
            await runSequence(shape, edits);
          },
        ),
        { numRuns: RUNS, seed: SEED, endOnFailure: process.env.MODEL_SHRINK !== "1", verbose: 2 },
      );
    },
    RUNS * (STEPS + 2) * 120_000,
  );

  /** Pipelines the stack does not own any more (the hand-made block's pipeline is destroyed with the stack). */
  async function removeLeftovers(prefix: string) {
    for (const p of await observe(mageHttp(mageTarget()), prefix))
      await mage().call("DELETE", `/api/pipelines/${p.uuid}`);
  }
});
