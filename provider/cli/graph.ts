// pulumi-pipelines graph [paths…]: the declared pipelines as Mermaid
// flowcharts, for the docs and READMEs of GitOps repositories. Reads the
// declarations only (no Pulumi, no server).
import { formatError } from "../declarations/errors";
import { loadPaths } from "../declarations/loader";
import { declaredResources } from "../program/args";
import { declaredViews } from "../review/changes";
import { type PipelineGraph, pipelineGraphs } from "../review/graph";
import { DEFAULT_NODE_BUDGET, renderMermaid } from "../review/mermaid";

type Out = { write(s: string): unknown };

export function graphCommand(args: string[], out: Out, err: Out): number {
  let format = "markdown";
  let budget = DEFAULT_NODE_BUDGET;
  const only: string[] = [];
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].startsWith("--") ? args[i].split(/=(.*)/s) : [args[i]];
    const value = () => inline ?? args[++i] ?? "";
    if (flag === "--format") format = value();
    else if (flag === "--pipeline") only.push(value());
    else if (flag === "--budget") budget = Number(value());
    else paths.push(args[i]);
  }
  if (!["markdown", "mermaid", "json"].includes(format)) {
    err.write(`unknown --format '${format}'; use markdown, mermaid or json\n`);
    return 2;
  }
  if (!Number.isInteger(budget) || budget < 1) {
    err.write("--budget must be a positive number of nodes\n");
    return 2;
  }
  const loaded = loadPaths(paths.length ? paths : ["pipelines"]);
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
