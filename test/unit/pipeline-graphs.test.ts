// Pipeline graphs: what each engine's declarations draw, what a change
// marks, and the Mermaid text, which must parse with Mermaid's own parser
// (the one GitHub's renderer runs).
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { graphCommand } from "../../provider/cli/graph";
import { diffGraphs, type PipelineGraph, pipelineGraphs, type ResourceView } from "../../provider/review/graph";
import { renderMermaid } from "../../provider/review/mermaid";
import { mermaidParse } from "../helpers/mermaid";

const examples = path.join(__dirname, "..", "..", "examples");

function mageBlock(name: string, type: string, upstream: string[] = [], code = ""): ResourceView {
  return { type: "mage:Block", name: `mage/etl/${name}`, inputs: { pipeline: "etl", name, type, upstream, code } };
}
const magePipeline: ResourceView = { type: "mage:Pipeline", name: "mage/etl", inputs: { name: "etl" } };
const trigger: ResourceView = {
  type: "mage:Schedule",
  name: "mage/etl/hourly",
  inputs: { pipeline: "etl", name: "hourly", type: "time", interval: "@hourly" },
};

/** Runs `pulumi-pipelines graph` in `dir` and returns its output. */
function graphOf(dir: string, args: string[] = []): { code: number; out: string; err: string } {
  let out = "";
  let err = "";
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    const code = graphCommand(args, { write: (s) => (out += s) }, { write: (s) => (err += s) });
    return { code, out, err };
  } finally {
    process.chdir(cwd);
  }
}

const diagrams = (markdown: string) => [...markdown.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]);

describe("pipeline graphs", () => {
  it("draws Mage blocks and edges, callbacks beside the blocks they serve, and triggers into the first blocks", () => {
    const [g] = pipelineGraphs([
      magePipeline,
      mageBlock("load", "data_loader"),
      mageBlock("clean", "transformer", ["load"]),
      mageBlock("notify", "callback", ["clean"]),
      trigger,
    ]);
    expect(g.pipeline).toBe("mage/etl");
    expect(g.nodes.map((n) => `${n.id}:${n.shape}`)).toEqual([
      "block:load:block",
      "block:clean:block",
      "block:notify:helper",
      "trigger:hourly:trigger",
    ]);
    expect(g.edges.map((e) => `${e.from}>${e.to}${e.dotted ? " dotted" : ""}`)).toEqual([
      "block:load>block:clean",
      "block:clean>block:notify dotted",
      "trigger:hourly>block:load",
    ]);
  });

  it("marks a rewiring: the edges it adds and removes, the blocks it adds, removes or edits (code, not wiring)", () => {
    const before = pipelineGraphs([
      magePipeline,
      mageBlock("load", "data_loader"),
      mageBlock("clean", "transformer", ["load"]),
      mageBlock("old", "transformer", ["clean"]),
      mageBlock("export", "data_exporter", ["clean"]),
    ])[0];
    const after = pipelineGraphs([
      magePipeline,
      mageBlock("load", "data_loader"),
      mageBlock("clean", "transformer", ["load"], "x = 2\n"),
      mageBlock("enrich", "transformer", ["load"]),
      mageBlock("export", "data_exporter", ["enrich"]),
    ])[0];
    const g = diffGraphs(before, after);
    const marks = Object.fromEntries(g.nodes.map((n) => [n.id, n.mark]));
    expect(marks).toEqual({
      "block:load": "unchanged",
      "block:clean": "edited",
      "block:enrich": "added",
      "block:export": "unchanged",
      "block:old": "removed",
    });
    expect(g.edges.filter((e) => e.mark !== "unchanged").map((e) => `${e.mark} ${e.from}>${e.to}`)).toEqual([
      "added block:load>block:enrich",
      "added block:enrich>block:export",
      "removed block:clean>block:old",
      "removed block:clean>block:export",
    ]);
    const text = renderMermaid(g).text;
    expect(text).toMatch(/class n\d+ added/);
    expect(text).toMatch(/class n\d+ removed/);
    expect(text).toMatch(/class n\d+ edited/);
    expect(text).toContain("-.->");
    expect(text).toMatch(/linkStyle \d+ stroke:#cf222e,stroke-dasharray:4 3/);
  });

  it("keeps what changed within the node budget, and says how much it left out", () => {
    const blocks = Array.from({ length: 30 }, (_, i) => mageBlock(`b${i}`, "transformer", i ? [`b${i - 1}`] : []));
    const before = pipelineGraphs([magePipeline, ...blocks])[0];
    const after = pipelineGraphs([magePipeline, ...blocks, mageBlock("late", "transformer", ["b29"])])[0];
    const r = renderMermaid(diffGraphs(before, after), 5);
    expect(r.nodes).toBe(5);
    expect(r.omitted).toBe(26);
    expect(r.text).toContain('"late<br/><small>transformer</small>"');
    expect(r.text).toContain('"b29<br/><small>transformer</small>"');
  });

  it("escapes what would end a label", () => {
    const g: PipelineGraph = {
      engine: "mage",
      pipeline: "mage/x",
      nodes: [{ id: "a", label: 'say "hi" <b>#1</b> & more', shape: "block", mark: "unchanged" }],
      edges: [],
    };
    expect(renderMermaid(g).text).toContain('n0["say #quot;hi#quot; #lt;b#gt;#35;1#lt;/b#gt; #amp; more"]');
  });
});

describe("Mermaid's own parser", () => {
  it("accepts the graph of every example and of a rewiring", async () => {
    const texts = ["mage-etl", "feldera-fraud", "ionworks-fit"].flatMap((ex) => {
      const r = graphOf(path.join(examples, ex), ["pipelines"]);
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
      return diagrams(r.out);
    });
    expect(texts.length).toBeGreaterThanOrEqual(4);
    const rewired = diffGraphs(
      pipelineGraphs([magePipeline, mageBlock("a", "data_loader"), mageBlock("b", "transformer", ["a"]), trigger])[0],
      pipelineGraphs([magePipeline, mageBlock("a", "data_loader"), mageBlock("c", "callback", ["a"]), trigger])[0],
    );
    for (const text of [...texts, renderMermaid(rewired).text])
      await expect(mermaidParse(text)).resolves.toBe("flowchart-v2");
  });

  it("refuses a broken diagram (the check can fail)", async () => {
    await expect(mermaidParse('flowchart LR\n  n0["open\n')).rejects.toThrow(/Parse error/);
  });
});

describe("pulumi-pipelines graph", () => {
  it("draws one pipeline as bare Mermaid, refuses an unknown name, and needs one pipeline for --format mermaid", () => {
    const dir = path.join(examples, "ionworks-fit");
    const one = graphOf(dir, ["pipelines", "--pipeline", "full-cell-from-fit", "--format", "mermaid"]);
    expect(one.code).toBe(0);
    expect(one.out.startsWith("flowchart LR\n")).toBe(true);
    expect(one.out).toContain('>"cathode-ocp-fit<br/><small>run</small>"]');
    const unknown = graphOf(dir, ["pipelines", "--pipeline", "nope"]);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain("no declared pipeline named 'nope'");
    const two = graphOf(dir, ["pipelines", "--format", "mermaid"]);
    expect(two.code).toBe(1);
    expect(two.err).toContain("pick one with --pipeline");
    const json = JSON.parse(graphOf(dir, ["pipelines", "--format", "json"]).out);
    expect(json.map((g: PipelineGraph) => g.pipeline)).toEqual([
      "ionworks/cathode-ocp-fit",
      "ionworks/full-cell-from-fit",
    ]);
  });
});
