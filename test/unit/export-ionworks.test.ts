// Export's pure half for Ionworks: which runs become declarations, and how a
// run's stored elements read back against a declaration.
import { describe, expect, it } from "vitest";
import { blocksFromElements, normalizeIonworks, runDifferences } from "../../provider/backends/ionworks/pipeline";
import { exportIonworksRun, runsToDeclare } from "../../provider/export/ionworks";

const run = (id: string, name: string, status = "completed", created_at = "2026-01-01T00:00:00Z") => ({
  id,
  name,
  status,
  created_at,
  options: {},
  description: null,
});
const element = (name: string, order: number, element_type: string, job_config: Record<string, unknown>) => ({
  name,
  element_order: order,
  element_type,
  job_config,
  status: "completed",
});

describe("runs to declare", () => {
  it("takes the newest run of each name, and says what it leaves out", () => {
    const runs = [run("r4", "fit"), run("r3", "base", "failed"), run("r2", "fit"), run("r1", "base")];
    const { chosen, skipped } = runsToDeclare(runs);
    expect(chosen.map((r) => r.id)).toEqual(["r4"]);
    expect(skipped).toEqual([
      {
        what: "Ionworks run 'base' (r3)",
        why: "the newest run of this name failed; adopt takes over only runs that did not fail",
      },
      { what: "1 older Ionworks run named 'fit'", why: "a declaration adopts the newest run of its name" },
      { what: "1 older Ionworks run named 'base'", why: "a declaration adopts the newest run of its name" },
    ]);
  });
});

describe("a run as a declaration", () => {
  const elements = [
    element("fit", 2, "Data Fit", {
      objectives: { t: { type: "CurrentDriven", data: { data: "db:m1" } } },
      parameters: { a: { initial_value: 1, bounds: [0, 2] } },
    }),
    element("from base", 1, "Direct Entry", { pipeline_id: "r1", source: "base run" }),
  ];

  it("lists elements in run order with request spellings; an entry from an exported run says fromPipeline", () => {
    expect(blocksFromElements(elements).map((b) => [b.name, b.type])).toEqual([
      ["from base", "entry"],
      ["fit", "data_fit"],
    ]);
    const decl = exportIonworksRun(
      { run: { ...run("r2", "fit"), options: { live_progress_updates: true }, description: "nightly" }, elements },
      "lab",
      new Map([["r1", "base"]]),
    );
    expect(decl).toEqual({
      engine: "ionworks",
      target: "lab",
      name: "fit",
      adopt: true,
      description: "nightly",
      options: { live_progress_updates: true },
      blocks: [
        { name: "from base", type: "entry", config: { source: "base run" }, fromPipeline: "base" },
        { name: "fit", type: "data_fit", config: elements[0].job_config },
      ],
    });
    // A run not exported with it stays referenced by id.
    expect(exportIonworksRun({ run: run("r2", "fit"), elements }, "lab", new Map()).blocks[0]).toEqual({
      name: "from base",
      type: "entry",
      config: { pipeline_id: "r1", source: "base run" },
    });
  });

  it("a run matches the declaration it was exported to, and names what differs from another", () => {
    const spec = normalizeIonworks({
      name: "fit",
      blocks: [
        { name: "from base", type: "entry", config: { source: "base run", pipelineId: "r1" } },
        { name: "fit", type: "data_fit", config: elements[0].job_config },
      ],
    });
    expect(runDifferences(spec, run("r2", "fit"), elements)).toEqual([]);
    const changed = {
      ...spec,
      options: { seed: 1 },
      blocks: [spec.blocks[0], { ...spec.blocks[1], config: { ...spec.blocks[1].config, multistarts: 4 } }],
    };
    expect(runDifferences(changed, run("r2", "fit"), elements)).toEqual([
      "options differ",
      "blocks[1] 'fit' config differs",
    ]);
    expect(runDifferences({ ...spec, blocks: [spec.blocks[1], spec.blocks[0]] }, run("r2", "fit"), elements)).toEqual([
      "its elements are [from base, fit], declared [fit, from base]",
    ]);
  });
});
