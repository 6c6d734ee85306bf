import { describe, expect, it } from "vitest";
import {
  configHash,
  describeIssue,
  elementsJson,
  inlineDataProblems,
  normalizeIonworks,
} from "../../provider/backends/ionworks/pipeline";
import { ionworksPlanText } from "../../provider/backends/ionworks/plan";
import { UNKNOWN } from "../../provider/resources/diff";
import { ionworksPlan } from "../../provider/resources/ionworks/pipeline";
import { provider } from "../../provider/resources/ionworks/pipelineProvider";
import { keyOrder } from "../fakes/ionworks/emulator";

const blocks = [
  { name: "params", type: "entry" as const, config: { values: { a: 1 } } },
  {
    name: "fit",
    type: "data_fit" as const,
    config: { objectives: { o: { data: "db:m1" } }, parameters: { a: { initial_value: 1, bounds: [0, 2] } } },
  },
];
const outs = { target: "ionworks", ...normalizeIonworks({ name: "run", blocks }), status: "completed" };

describe("element order", () => {
  it("is the declared order on the wire, names like '10' and '2' included", () => {
    const odd = [
      { name: "10", type: "entry" as const, config: {} },
      { name: "2", type: "entry" as const, config: {} },
      { name: "a", type: "entry" as const, config: {} },
    ];
    expect(keyOrder(`{"elements":${elementsJson(odd)}}`, "elements")).toEqual(["10", "2", "a"]);
  });

  it("sends pipelineId as pipeline_id", () => {
    expect(JSON.parse(elementsJson([{ name: "e", type: "entry", config: { pipelineId: "run-1" } }]))).toEqual({
      e: { element_type: "entry", pipeline_id: "run-1" },
    });
  });
});

describe("replace decisions", () => {
  it("a rename or a new description updates in place", async () => {
    expect(await provider.diff!("id", outs, { name: "run 2", description: "x", blocks })).toEqual({
      changes: true,
      replaces: [],
    });
  });

  it("a changed fit bound replaces, creating the new run first", async () => {
    const changed = [
      blocks[0],
      { ...blocks[1], config: { ...blocks[1].config, parameters: { a: { initial_value: 1, bounds: [0, 3] } } } },
    ];
    expect(await provider.diff!("id", outs, { name: "run", blocks: changed })).toEqual({
      changes: true,
      replaces: ["blocks"],
    });
  });

  it("reordering blocks replaces (order is execution order)", async () => {
    expect((await provider.diff!("id", outs, { name: "run", blocks: [blocks[1], blocks[0]] })).replaces).toEqual([
      "blocks",
    ]);
  });

  it("options and project replace; an unknown upstream run id (preview) replaces too", async () => {
    expect((await provider.diff!("id", outs, { name: "run", blocks, options: { seed: 1 } })).replaces).toEqual([
      "options",
    ]);
    expect((await provider.diff!("id", outs, { name: "run", blocks, project: "p2" })).replaces).toEqual(["project"]);
    const chained = [{ name: "from", type: "entry", config: { pipelineId: UNKNOWN } }];
    expect((await provider.diff!("id", outs, { name: "run", blocks: chained })).replaces).toEqual(["blocks"]);
  });

  it("the plan says, as data, whether a run is submitted, and the preview says it in words", () => {
    const replace = ionworksPlan({ name: "run", blocks }, { name: "run", blocks, options: { seed: 1 } });
    expect(replace).toEqual({ adopts: false, submits: "replace", because: ["options"], renames: false });
    expect(ionworksPlanText(replace)).toBe(
      "REPLACES the run (options changed): a new pipeline is submitted and its compute runs again; the old run is deleted after",
    );
    const rename = ionworksPlan({ name: "run", blocks }, { name: "run 2", blocks });
    expect(rename).toEqual({ adopts: false, submits: "none", because: [], renames: true });
    expect(ionworksPlanText(rename)).toBe("renames/describes the run in place (no compute)");
    expect(ionworksPlan(undefined, { name: "run", blocks })).toMatchObject({ submits: "create" });
    expect(ionworksPlan(undefined, { name: "run", blocks, adopt: true })).toMatchObject({
      adopts: true,
      submits: "none",
    });
  });
});

describe("config hash", () => {
  const spec = normalizeIonworks({ name: "run", blocks });

  it("is stable under key order inside configs, and changes with element order", () => {
    const shuffled = normalizeIonworks({
      name: "other name",
      blocks: [
        blocks[0],
        { ...blocks[1], config: { parameters: blocks[1].config.parameters, objectives: blocks[1].config.objectives } },
      ],
    });
    expect(configHash(shuffled, "p")).toBe(configHash(spec, "p"));
    expect(configHash(normalizeIonworks({ name: "run", blocks: [blocks[1], blocks[0]] }), "p")).not.toBe(
      configHash(spec, "p"),
    );
    expect(configHash(spec, "p2")).not.toBe(configHash(spec, "p"));
  });
});

describe("check", () => {
  it("refuses integer-like and duplicate names, and unknown element types", async () => {
    const r = await provider.check!(
      {},
      {
        name: "run",
        blocks: [
          { name: "1", type: "entry", config: { values: { a: 1 } } },
          { name: "x", type: "datafit", config: {} },
          { name: "x", type: "entry", config: { values: { a: 1 } } },
        ],
      },
    );
    expect(r.failures).toEqual([
      {
        property: "blocks[1].type",
        reason:
          "must be one of array_data_fit, calculation, data_fit, entry, linear_confidence_interval, sobol_sensitivity, validation; got \"datafit\" — did you mean 'data_fit'?",
      },
      {
        property: "blocks[0].name",
        reason:
          "element name '1' is integer-like; JSON objects put such keys first, which would change the run order: use a name with a letter (e.g. 'step_1')",
      },
      { property: "blocks[2].name", reason: "block 'x' is declared twice in this pipeline" },
    ]);
  });

  it("refuses a large inline table, pointing at db: references", async () => {
    const big = {
      name: "fit",
      type: "data_fit",
      config: { objectives: { ocp: { data: { data: { "Voltage [V]": new Array(1500).fill(4.1) } } } } },
    };
    expect(inlineDataProblems([big as any])).toEqual([
      `block 'fit': inline data objectives.ocp.data.data.Voltage [V] has 1500 rows; Ionworks takes at most 1000 inline rows: upload the measurement and reference it as "db:<measurement id>"`,
    ]);
    expect((await provider.check!({}, { name: "run", blocks: [big] })).failures?.[0].property).toBe("blocks");
  });
});

describe("422 locations", () => {
  it("name the block and field of the declaration", () => {
    const spec = normalizeIonworks({ name: "run", blocks });
    expect(
      describeIssue(spec, {
        loc: ["body", "elements", "fit", "cost"],
        msg: "Extra inputs are not permitted",
        type: "extra_forbidden",
      }),
    ).toBe("blocks[1] 'fit' config.cost: Extra inputs are not permitted");
    expect(
      describeIssue(spec, { loc: ["body", "elements", "params", "element_type"], msg: "bad", type: "literal_error" }),
    ).toBe("blocks[0] 'params' type: bad");
    expect(describeIssue(spec, { loc: ["body", "project_id"], msg: "Field required", type: "missing" })).toBe(
      "project: Field required",
    );
  });
});
