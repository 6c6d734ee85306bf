// A pipeline graph as a Mermaid flowchart, which GitHub draws inside
// Markdown. Changes are marked by class (added green, removed red and dashed,
// edited amber) and removed edges are dashed. Large graphs are cut to a node
// budget, keeping what changed and its neighbours first, and say what they left out.
import type { GraphEdge, GraphNode, Mark, PipelineGraph, Shape } from "./graph";

export const DEFAULT_NODE_BUDGET = 60;

export interface Rendered {
  /** The diagram source, without the ```mermaid fence. */
  text: string;
  nodes: number;
  /** Nodes left out by the budget. */
  omitted: number;
}

const CLASSES: Record<Exclude<Mark, "unchanged">, string> = {
  added: "fill:#dafbe1,stroke:#1a7f37,color:#1f2328",
  removed: "fill:#ffebe9,stroke:#cf222e,stroke-dasharray:4 3,color:#1f2328",
  edited: "fill:#fff8c5,stroke:#9a6700,color:#1f2328",
};
const EDGE_STYLE: Record<Exclude<GraphEdge["mark"], "unchanged">, string> = {
  added: "stroke:#1a7f37,stroke-width:2px",
  removed: "stroke:#cf222e,stroke-dasharray:4 3",
};

export function renderMermaid(graph: PipelineGraph, budget = DEFAULT_NODE_BUDGET): Rendered {
  const kept = withinBudget(graph, budget);
  const ids = new Map(kept.map((n, i) => [n.id, `n${i}`]));
  const lines = ["flowchart LR"];
  const groups = new Map<string, GraphNode[]>();
  for (const n of kept) {
    if (n.group === undefined) lines.push(`  ${ids.get(n.id)}${shape(n.shape, label(n))}`);
    else groups.set(n.group, [...(groups.get(n.group) ?? []), n]);
  }
  [...groups].forEach(([group, nodes], i) => {
    lines.push(`  subgraph g${i}["${entities(group)}"]`);
    for (const n of nodes) lines.push(`    ${ids.get(n.id)}${shape(n.shape, label(n))}`);
    lines.push("  end");
  });
  const edges = graph.edges.filter((e) => ids.has(e.from) && ids.has(e.to));
  for (const e of edges)
    lines.push(`  ${ids.get(e.from)} ${e.mark === "removed" || e.dotted ? "-.->" : "-->"} ${ids.get(e.to)}`);
  for (const [mark, style] of Object.entries(CLASSES)) {
    const members = kept.filter((n) => n.mark === mark).map((n) => ids.get(n.id));
    if (members.length) lines.push(`  classDef ${mark} ${style}`, `  class ${members.join(",")} ${mark}`);
  }
  edges.forEach((e, i) => {
    if (e.mark !== "unchanged") lines.push(`  linkStyle ${i} ${EDGE_STYLE[e.mark]}`);
  });
  return { text: `${lines.join("\n")}\n`, nodes: kept.length, omitted: graph.nodes.length - kept.length };
}

/** Changed nodes first, then their neighbours, then the rest, in the graph's order, up to `budget`. */
function withinBudget(graph: PipelineGraph, budget: number): GraphNode[] {
  if (graph.nodes.length <= budget) return graph.nodes;
  const changed = new Set(graph.nodes.filter((n) => n.mark !== "unchanged").map((n) => n.id));
  for (const e of graph.edges) if (e.mark !== "unchanged") changed.add(e.from).add(e.to);
  const near = new Set<string>();
  for (const e of graph.edges) {
    if (changed.has(e.from)) near.add(e.to);
    if (changed.has(e.to)) near.add(e.from);
  }
  const rank = (n: GraphNode) => (changed.has(n.id) ? 0 : near.has(n.id) ? 1 : 2);
  const chosen = new Set(
    graph.nodes
      .map((n, i) => ({ n, i }))
      .sort((a, b) => rank(a.n) - rank(b.n) || a.i - b.i)
      .slice(0, budget)
      .map(({ n }) => n.id),
  );
  return graph.nodes.filter((n) => chosen.has(n.id));
}

function label(n: GraphNode): string {
  return n.detail ? `${entities(n.label)}<br/><small>${entities(n.detail)}</small>` : entities(n.label);
}

function shape(s: Shape, text: string): string {
  switch (s) {
    case "trigger":
      return `(["${text}"])`;
    case "table":
      return `[("${text}")]`;
    case "view":
      return `[["${text}"]]`;
    case "helper":
      return `{{"${text}"}}`;
    case "run":
      return `>"${text}"]`;
    default:
      return `["${text}"]`;
  }
}

/** Mermaid's entity codes for what would end a quoted label or open markup. */
function entities(text: string): string {
  return text
    .replace(/#/g, "#35;")
    .replace(/&/g, "#amp;")
    .replace(/"/g, "#quot;")
    .replace(/</g, "#lt;")
    .replace(/>/g, "#gt;")
    .replace(/[\r\n]+/g, " ");
}
