// The review stack's view of the declarations: what a pull request's changed
// pipelines become beside a pre-production stack's own (declarations/reviewStack.ts),
// and the names its stacks and objects take. That the view deploys, runs and is
// destroyed leaving the server as it was is test/e2e/workflows.test.ts.
import { describe, expect, it } from "vitest";
import { REVIEW_STACK_MARKER, render, reviewStackCommand } from "../../provider/cli/reviewStack";
import {
  REVIEW_TRIGGER,
  reviewSettings,
  reviewStackName,
  reviewStackNumber,
  reviewView,
} from "../../provider/declarations/reviewStack";
import type {
  FelderaPipeline,
  IonworksPipeline,
  MagePipeline,
  PipelineDeclaration,
} from "../../provider/declarations/types";

const entries = (...decls: PipelineDeclaration[]) => decls.map((decl) => ({ decl, file: "p.yaml" }));

const ETL: MagePipeline = {
  engine: "mage",
  target: "dev-mage",
  name: "orders etl",
  adopt: true,
  blocks: [
    { name: "load", type: "data_loader", code: "x" },
    { name: "clean", type: "transformer", code: "y", upstream: ["load"] },
  ],
  schedules: [{ name: "daily", type: "time", interval: "@daily", status: "active" }],
};

describe("a review stack's declarations", () => {
  it("renames the changed pipelines, their blocks and upstream references, and replaces their triggers by one API trigger", () => {
    const view = reviewView(entries(ETL, { ...ETL, name: "other" }), { prefix: "pr-7-", pipelines: ["orders etl"] });
    expect(view.skipped).toEqual([]);
    expect(view.pipelines).toEqual([
      {
        file: "p.yaml",
        decl: {
          engine: "mage",
          target: "dev-mage",
          name: "pr-7-orders etl",
          adopt: undefined,
          cloneFrom: undefined,
          blocks: [
            { name: "pr-7-load", type: "data_loader", code: "x", upstream: undefined },
            { name: "pr-7-clean", type: "transformer", code: "y", upstream: ["pr-7-load"] },
          ],
          schedules: [{ name: REVIEW_TRIGGER, type: "api", status: "active" }],
        },
      },
    ]);
  });

  it("leaves out a Mage pipeline with a dbt model, whose file other pipelines share by path, and says why", () => {
    const dbt: MagePipeline = {
      ...ETL,
      blocks: [{ name: "dbt/demo/models/orders", type: "dbt", language: "sql" }],
    };
    const view = reviewView(entries(dbt), { prefix: "pr-7-", pipelines: ["orders etl"] });
    expect(view.pipelines).toEqual([]);
    expect(view.skipped).toEqual([{ name: "orders etl", why: expect.stringContaining("dbt model") }]);
  });

  it("starts a Feldera pipeline, and takes along the Ionworks pipelines whose results a changed one uses", () => {
    const feldera: FelderaPipeline = {
      engine: "feldera",
      target: "feldera",
      name: "fraud",
      blocks: [{ name: "views", sql: "select 1" }],
      desiredState: "stopped",
    };
    const fit: IonworksPipeline = {
      engine: "ionworks",
      target: "ionworks",
      name: "fit",
      blocks: [{ name: "d", type: "entry", config: {} }],
    };
    const report: IonworksPipeline = {
      engine: "ionworks",
      target: "ionworks",
      name: "report",
      blocks: [{ name: "r", type: "calculation", fromPipeline: "fit", config: {} }],
    };
    const view = reviewView(entries(feldera, fit, report), { prefix: "pr-3-", pipelines: ["fraud", "report"] });
    type Reviewed = { name: string; desiredState?: string; waitFor?: string; blocks: { fromPipeline?: string }[] };
    const decls = view.pipelines.map((p) => p.decl as unknown as Reviewed);
    expect(decls.map((d) => [d.name, d.desiredState ?? d.waitFor])).toEqual([
      ["pr-3-fraud", "running"],
      ["pr-3-fit", "completed"],
      ["pr-3-report", "completed"],
    ]);
    expect(decls[2].blocks[0].fromPipeline).toBe("pr-3-fit");
  });

  it("checks stack config pipelines:review before it is used", () => {
    expect(reviewSettings({ from: "dev", prefix: "pr-7-", pipelines: ["a"] })).toEqual({
      from: "dev",
      prefix: "pr-7-",
      pipelines: ["a"],
    });
    expect(reviewSettings({ from: "dev", prefix: "prod-", pipelines: [] })).toMatch(/prefix must be pr-<number>-/);
    expect(reviewSettings({ from: "dev", prefix: "pr-7-", pipelines: "a" })).toMatch(/list of pipeline names/);
    expect(reviewSettings({ prefix: "pr-7-", pipelines: [] })).toMatch(/from must name the stack/);
    expect(reviewSettings("x")).toMatch(/must be a mapping/);
  });

  it("names a pull request's stack beside another, on any backend, and knows it again", () => {
    expect(reviewStackName("dev", 12)).toBe("pr-12-dev");
    expect(reviewStackName("acme/pipelines/staging", 3)).toBe("acme/pipelines/pr-3-staging");
    expect(reviewStackNumber("acme/pipelines/pr-3-staging", "acme/pipelines/staging")).toBe(3);
    expect(reviewStackNumber("pr-3-staging", "dev")).toBeUndefined();
    expect(reviewStackNumber("staging", "staging")).toBeUndefined();
  });
});

describe("pulumi-pipelines review-stack", () => {
  const run = async (...args: string[]) => {
    let out = "";
    let err = "";
    const code = await reviewStackCommand(args, { write: (s) => (out += s) }, { write: (s) => (err += s) });
    return { code, out, err };
  };

  it.each([
    [["up", "--pr", "3", "--base", "origin/main"], "--from <stack> names the pre-production stack"],
    [["up", "--from", "dev", "--base", "origin/main"], "--pr takes the pull request's number"],
    [["up", "--from", "dev", "--pr", "0", "--base", "origin/main"], "--pr takes the pull request's number"],
    [["up", "--from", "dev", "--pr", "3"], "up needs --base <git-ref>"],
    [["sweep", "--from", "dev"], "--open takes the open pull requests' numbers"],
    [["sweep", "--from", "dev", "--open", "3 x"], "--open takes the open pull requests' numbers"],
    [["--from", "dev"], "give up, destroy or sweep"],
  ])("refuses %j before any call, on stderr with exit 64", async (args, message) => {
    const r = await run(...args);
    expect(r).toEqual({ code: 64, out: "", err: expect.stringContaining(message) });
  });

  it("reports each pipeline by its declared name and block, with a link to its run, under the comment's marker", () => {
    const text = render(
      "pr-4-dev",
      [
        {
          pipeline: "orders etl",
          status: "completed",
          runId: 7,
          url: "http://mage/pipelines/pr_4_orders_etl/runs/7",
          failedBlocks: [],
        },
        {
          pipeline: "daily",
          status: "failed",
          runId: 8,
          url: "http://mage/pipelines/pr_4_daily/runs/8",
          failedBlocks: ["load"],
        },
        {
          pipeline: "fraud",
          status: "completed",
          url: "http://feldera/pipelines/pr-4-fraud/",
          failedBlocks: [],
          error: "suspicious: 0 row(s)",
        },
      ],
      [{ name: "dbt etl", why: "block 'm' is a dbt model" }],
    );
    expect(text.split("\n")).toEqual([
      REVIEW_STACK_MARKER,
      "## Review stack `pr-4-dev`",
      "",
      "| Pipeline | Result | Failed blocks, or what was read | Run |",
      "| --- | --- | --- | --- |",
      "| `orders etl` | ✅ passed |  | [run 7](http://mage/pipelines/pr_4_orders_etl/runs/7) |",
      "| `daily` | ❌ failed | `load` | [run 8](http://mage/pipelines/pr_4_daily/runs/8) |",
      "| `fraud` | ✅ passed | suspicious: 0 row(s) | [pipeline](http://feldera/pipelines/pr-4-fraud/) |",
      "",
      "- `dbt etl` is not deployed: block 'm' is a dbt model",
      "",
    ]);
  });
});
