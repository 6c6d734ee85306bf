// The graph of a pipeline as its owners draw it: Mage blocks and their
// upstream edges (callbacks and conditionals beside the blocks they serve,
// triggers as entry nodes), Feldera tables feeding views (read from the SQL),
// Ionworks elements in their run order and the runs they take parameters
// from. Built from resource inputs, so a declaration and either side of a
// preview step give the same graph; diffGraphs marks what a change adds,
// removes, rewires or edits.
import { blockUuid, pipelineUuid } from "../backends/mage/names";
import type { ResourceType } from "../resources/kinds";
import { BOOKKEEPING } from "../resources/validate";
import { sqlRelations } from "./sqlRelations";

export type Mark = "added" | "removed" | "edited" | "unchanged";
export type Shape = "block" | "helper" | "trigger" | "table" | "view" | "element" | "run";

export interface GraphNode {
  /** Unique within its graph (kind-prefixed name). */
  id: string;
  label: string;
  /** The second line: a block's type, a trigger's interval, a view's kind. */
  detail?: string;
  shape: Shape;
  /** A Feldera block (SQL fragment) the table or view is declared in. */
  group?: string;
  mark: Mark;
  /** What the node's own declaration says (code, SQL, config), to tell an edit; diffGraphs drops it. */
  fingerprint?: string;
}

export interface GraphEdge {
  from: string;
  to: string;
  mark: Exclude<Mark, "edited">;
  /** Serves rather than feeds: a callback or conditional and its block. */
  dotted?: boolean;
}

export interface PipelineGraph {
  engine: string;
  /** target/pipeline, as the review names pipelines. */
  pipeline: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Drawn from a preview that lists changed resources only (no --show-sames): unchanged ones are missing. */
  partial?: boolean;
}

/** A resource as the graph needs it: its type, Pulumi name and inputs (declared, or from a preview's state). */
export interface ResourceView {
  type: ResourceType;
  name: string;
  inputs: Record<string, unknown>;
  /** Server id when known (a preview's old state): Ionworks runs refer to each other by it. */
  id?: string;
}

const HELPERS = new Set(["callback", "conditional", "extension"]);

/**
 * One graph per pipeline in `resources`, every node and edge unchanged.
 * `known` also names Ionworks runs by id (a preview's old states).
 */
export function pipelineGraphs(resources: ResourceView[], known: ResourceView[] = resources): PipelineGraph[] {
  const graphs = new Map<string, PipelineGraph>();
  const graph = (engine: string, inputs: Record<string, unknown>, name: unknown) => {
    const pipeline = `${inputs.target ?? engine}/${name}`;
    const key = graphKey(engine, pipeline);
    const g = graphs.get(key) ?? { engine, pipeline, nodes: [], edges: [] };
    graphs.set(key, g);
    return g;
  };
  // Ionworks entries refer to the run they take parameters from by its id once deployed.
  const ionworksRuns = new Map(
    [...known, ...resources]
      .filter((r) => r.type === "ionworks:Pipeline" && r.id)
      .map((r) => [r.id as string, `${r.inputs.target ?? "ionworks"}/${r.inputs.name}`]),
  );
  for (const r of resources) {
    const inputs = r.inputs;
    switch (r.type) {
      case "mage:Pipeline":
        // Named as declared: blocks and triggers may name it by its uuid.
        graph("mage", inputs, inputs.name).pipeline = `${inputs.target ?? "mage"}/${inputs.name}`;
        break;
      case "mage:Block":
        addMageBlock(graph("mage", inputs, inputs.pipeline), inputs);
        break;
      case "mage:Schedule":
        graph("mage", inputs, inputs.pipeline).nodes.push({
          id: `trigger:${inputs.name}`,
          label: String(inputs.name),
          detail: String(inputs.interval || inputs.type),
          shape: "trigger",
          mark: "unchanged",
          fingerprint: fingerprint(inputs),
        });
        break;
      case "feldera:Pipeline":
        addFeldera(graph("feldera", inputs, inputs.name), inputs);
        break;
      case "ionworks:Pipeline":
        addIonworks(graph("ionworks", inputs, inputs.name), inputs, ionworksRuns);
        break;
    }
  }
  for (const g of graphs.values()) {
    if (g.engine === "mage") connectTriggers(g);
    g.nodes = dedupe(g.nodes);
  }
  return [...graphs.values()];
}

/**
 * What identifies a pipeline across the two sides of a change: Mage objects
 * refer to a pipeline by name or by uuid (a refreshed state says uuid), so
 * Mage pipelines are keyed by uuid.
 */
export function graphKey(engine: string, pipeline: string): string {
  if (engine !== "mage") return pipeline;
  const [target, ...name] = pipeline.split("/");
  return `${target}/${pipelineUuid(name.join("/"))}`;
}

/** A stable text of the fields that make a node what it is (not its wiring, not bookkeeping). */
function fingerprint(inputs: Record<string, unknown>, leaveOut: string[] = []): string {
  const skip = new Set([...leaveOut, ...BOOKKEEPING, "uuid", "adopt", "target", "pipeline"]);
  const keys = Object.keys(inputs)
    .filter((k) => !skip.has(k) && inputs[k] !== undefined)
    .sort();
  return JSON.stringify(keys.map((k) => [k, inputs[k]]));
}

function addMageBlock(g: PipelineGraph, inputs: Record<string, unknown>): void {
  const name = String(inputs.name);
  const type = String(inputs.type);
  const helper = HELPERS.has(type);
  g.nodes.push({
    id: `block:${blockUuid(name)}`,
    label: name,
    detail: type,
    shape: helper ? "helper" : "block",
    mark: "unchanged",
    fingerprint: fingerprint(inputs, ["upstream"]),
  });
  for (const up of (inputs.upstream as string[] | undefined) ?? [])
    g.edges.push({
      from: `block:${blockUuid(up)}`,
      to: `block:${blockUuid(name)}`,
      mark: "unchanged",
      // A callback's "upstream" are the blocks it serves: drawn from them, dotted.
      ...(helper ? { dotted: true } : {}),
    });
}

/** Triggers start the pipeline: an edge to each block nothing feeds. */
function connectTriggers(g: PipelineGraph): void {
  const fed = new Set(g.edges.map((e) => e.to));
  const roots = g.nodes.filter((n) => n.shape === "block" && !fed.has(n.id));
  for (const t of g.nodes.filter((n) => n.shape === "trigger"))
    for (const root of roots) g.edges.push({ from: t.id, to: root.id, mark: "unchanged" });
}

function addFeldera(g: PipelineGraph, inputs: Record<string, unknown>): void {
  const blocks = (inputs.blocks as { name: string; sql?: string }[] | undefined) ?? [];
  const relations = blocks.flatMap((b) => sqlRelations(b.sql ?? "").map((rel) => ({ ...rel, block: b.name })));
  const declared = new Map(relations.map((r) => [r.name.toLowerCase(), r]));
  for (const r of relations)
    g.nodes.push({
      id: `rel:${r.name.toLowerCase()}`,
      label: r.name,
      detail: r.kind === "table" ? "table" : r.kind,
      shape: r.kind === "table" ? "table" : "view",
      group: r.block,
      mark: "unchanged",
      fingerprint: r.statement,
    });
  for (const r of relations)
    for (const source of r.reads)
      if (declared.has(source.toLowerCase()))
        g.edges.push({ from: `rel:${source.toLowerCase()}`, to: `rel:${r.name.toLowerCase()}`, mark: "unchanged" });
}

function addIonworks(g: PipelineGraph, inputs: Record<string, unknown>, runs: Map<string, string>): void {
  const blocks = (inputs.blocks as { name: string; type: string; config?: Record<string, unknown> }[]) ?? [];
  const target = inputs.target ?? "ionworks";
  blocks.forEach((b, i) => {
    const { fromPipeline, ...config } = b.config ?? {};
    g.nodes.push({
      id: `element:${b.name}`,
      label: b.name,
      detail: b.type,
      shape: "element",
      mark: "unchanged",
      fingerprint: fingerprint({ type: b.type, config }, ["pipelineId"]),
    });
    if (i > 0) g.edges.push({ from: `element:${blocks[i - 1].name}`, to: `element:${b.name}`, mark: "unchanged" });
    const from = typeof fromPipeline === "string" ? fromPipeline : runs.get(String(config.pipelineId ?? ""));
    if (from === undefined) return;
    const run = from.includes("/") ? from : `${target}/${from}`;
    g.nodes.push({
      id: `run:${run}`,
      label: run.split("/").slice(1).join("/"),
      detail: "run",
      shape: "run",
      mark: "unchanged",
    });
    g.edges.push({ from: `run:${run}`, to: `element:${b.name}`, mark: "unchanged" });
  });
}

const edgeKey = (e: GraphEdge) => `${e.from}\u0000${e.to}`;

/**
 * The graph after a change, with what it added, removed or edited (its own
 * code, SQL, config or kind) marked; removed nodes and edges stay in, to be
 * drawn dashed.
 */
export function diffGraphs(before: PipelineGraph | undefined, after: PipelineGraph | undefined): PipelineGraph {
  const base = (after ?? before)!;
  const oldNodes = new Map((before?.nodes ?? []).map((n) => [n.id, n]));
  const newNodes = new Map((after?.nodes ?? []).map((n) => [n.id, n]));
  const nodes: GraphNode[] = [];
  for (const n of after?.nodes ?? []) {
    const old = oldNodes.get(n.id);
    const changed =
      old !== undefined && (old.detail !== n.detail || old.group !== n.group || old.fingerprint !== n.fingerprint);
    nodes.push({ ...bare(n), mark: !old ? "added" : changed ? "edited" : "unchanged" });
  }
  for (const n of before?.nodes ?? []) if (!newNodes.has(n.id)) nodes.push({ ...bare(n), mark: "removed" });
  const oldEdges = new Set((before?.edges ?? []).map(edgeKey));
  const newEdges = new Set((after?.edges ?? []).map(edgeKey));
  const edges: GraphEdge[] = [
    ...(after?.edges ?? []).map((e) => ({
      ...e,
      mark: oldEdges.has(edgeKey(e)) ? ("unchanged" as const) : ("added" as const),
    })),
    ...(before?.edges ?? []).filter((e) => !newEdges.has(edgeKey(e))).map((e) => ({ ...e, mark: "removed" as const })),
  ];
  return { engine: base.engine, pipeline: base.pipeline, nodes, edges };
}

function bare({ fingerprint: _, ...n }: GraphNode): GraphNode {
  return n;
}

function dedupe(nodes: GraphNode[]): GraphNode[] {
  const seen = new Set<string>();
  return nodes.filter((n) => !seen.has(n.id) && seen.add(n.id));
}

/** Whether the graph shows any change. */
export function isChanged(g: PipelineGraph): boolean {
  return g.nodes.some((n) => n.mark !== "unchanged") || g.edges.some((e) => e.mark !== "unchanged");
}
