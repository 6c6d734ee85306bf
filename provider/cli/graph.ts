// pulumi-pipelines graph [paths…]: the declared pipelines as Mermaid
// flowcharts, for the docs and READMEs of GitOps repositories. Reads the
// declarations only (no Pulumi, no server).
import { formatError } from "../declarations/errors";
import { loadPaths } from "../declarations/loader";
import { declaredResources } from "../program/declaredResources";
import { declaredViews } from "../review/fromDeclarations";
import { type PipelineGraph, pipelineGraphs } from "../review/graph";
import { DEFAULT_NODE_BUDGET, renderMermaid } from "../review/mermaid";
import { type Out, parseCommand, usageError } from "./args";

export const GRAPH = {
  name: "graph",
  usage: `graph [paths…] [--pipeline <name>…] [--stack <name>] [--format markdown|mermaid|json] [--budget <nodes>]
                 the declared pipelines as Mermaid flowcharts (Markdown with one diagram per pipeline),
                 for docs and READMEs; reads the declarations only (--stack: as that stack sees them)`,
  options: {
    format: { type: "string", default: "markdown" },
    pipeline: { type: "string", multiple: true, default: [] as string[] },
    budget: { type: "string", default: String(DEFAULT_NODE_BUDGET) },
    stack: { type: "string" },
  },
  positionals: Number.POSITIVE_INFINITY,
} as const;

export function graphCommand(args: string[], out: Out, err: Out): number {
  const parsed = parseCommand(GRAPH, args, out, err);
  if (typeof parsed === "number") return parsed;
  const { format, pipeline: only } = parsed.values;
  const budget = Number(parsed.values.budget);
  const paths = parsed.positionals;
  if (!["markdown", "mermaid", "json"].includes(format))
    return usageError(GRAPH, `unknown --format '${format}'; use markdown, mermaid or json`, err);
  if (!Number.isInteger(budget) || budget < 1)
    return usageError(GRAPH, "--budget must be a positive number of nodes", err);
  const loaded = loadPaths(paths.length ? paths : ["pipelines"], { stack: parsed.values.stack });
  if (loaded.errors.length) {
    for (const e of loaded.errors) err.write(`${formatError(e)}\n`);
    return 1;
  }
  const root = process.cwd();
  const all = pipelineGraphs(declaredViews(declaredResources(loaded.pipelines, root), root));
  const graphs = only.length ? all.filter((g) => only.some((name) => named(g, name))) : all;
  const missing = only.filter((name) => !all.some((g) => named(g, name)));
  if (missing.length) {
    err.write(
      `no declared pipeline named ${missing.map((m) => `'${m}'`).join(", ")} (declared: ${all.map((g) => g.pipeline).join(", ")})\n`,
    );
    return 1;
  }
  if (format === "json") {
    out.write(`${JSON.stringify(graphs, null, 2)}\n`);
    return 0;
  }
  if (format === "mermaid") {
    if (graphs.length !== 1) {
      err.write(`--format mermaid draws one pipeline; ${graphs.length} are declared here: pick one with --pipeline\n`);
      return 1;
    }
    out.write(renderMermaid(graphs[0], budget).text);
    return 0;
  }
  out.write(graphs.map((g) => section(g, budget)).join("\n"));
  return 0;
}

/** A pipeline is named by its name, or target/name when names repeat across targets. */
function named(g: PipelineGraph, name: string): boolean {
  return g.pipeline === name || g.pipeline.split("/").slice(1).join("/") === name;
}

function section(g: PipelineGraph, budget: number): string {
  const r = renderMermaid(g, budget);
  const cut = r.omitted ? `\n${r.nodes} of ${r.nodes + r.omitted} nodes shown (--budget ${budget}).\n` : "";
  return `### ${g.engine} · \`${g.pipeline}\`\n\n\`\`\`mermaid\n${r.text}\`\`\`\n${cut}`;
}
