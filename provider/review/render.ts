// A review a pipeline owner can approve from: dangerous parts first, a
// summary table, then each pipeline's changes with code/SQL/config diffs.
import type { Violation } from "../policy/rules";
import { type Action, type Change, type FieldChange, showUnknowns } from "./changes";
import type { PipelineGraph } from "./graph";
import { renderMermaid } from "./mermaid";
import { unifiedDiff } from "./textDiff";

/** GitHub's comment limit is 65,536 characters; leave room for a heading the workflow adds. */
export const COMMENT_LIMIT = 65_000;
const FOLD_LINES = 40;
/** A graph with more nodes than this is folded in <details>. */
const FOLD_NODES = 12;
const ACTIONS: Action[] = ["create", "update", "replace", "delete"];
const SYMBOL: Record<Action, string> = { create: "+", update: "~", replace: "+-", delete: "-" };

export function warnings(changes: Change[]): string[] {
  const out: string[] = [];
  for (const c of changes) {
    const what = `${c.engine} ${c.kind} \`${c.resource}\``;
    if (c.action === "delete") out.push(`**Deletes** ${what}`);
    if (c.action === "replace")
      out.push(
        `**Replaces** ${what} (deleted and created again${c.fields.length ? `: ${c.fields.map((f) => f.field.split(" ")[0]).join(", ")} changed` : ""})`,
      );
    for (const n of c.notes) out.push(`${what} ${n}`);
  }
  return out;
}

export function summary(changes: Change[]): Record<Action, number> {
  return Object.fromEntries(ACTIONS.map((a) => [a, changes.filter((c) => c.action === a).length])) as Record<
    Action,
    number
  >;
}

function driftHeadline(changes: Change[]): string {
  return changes.length ? `${changes.length} object${changes.length === 1 ? "" : "s"} drifted` : "no drift";
}

function headline(changes: Change[]): string {
  const s = summary(changes);
  const parts = ACTIONS.filter((a) => s[a]).map((a) => `${s[a]} to ${a}`);
  return parts.length ? parts.join(", ") : "no changes";
}

// ---------------------------------------------------------------- markdown

export interface MarkdownOptions {
  title?: string;
  limit?: number;
  /** The graph of each changed pipeline (reviewGraphs), drawn in its section. */
  graphs?: PipelineGraph[];
  /** A drift report (driftChanges): what differs on the servers, rather than what a change does. */
  drift?: boolean;
  /** What the guardrails found (policy/rules.ts violations): shown before anything else. */
  violations?: Violation[];
}

/** The guardrails' findings, mandatory apart from advisory, per resource: the first thing a review says. */
function violationsMarkdown(found: Violation[]): string[] {
  if (!found.length) return [];
  const list = (vs: Violation[]) => vs.map((v) => `> - \`${v.resource}\` · **${v.rule}**: ${v.message}`);
  const mandatory = found.filter((v) => v.enforcement === "mandatory");
  const advisory = found.filter((v) => v.enforcement === "advisory");
  return [
    ...(mandatory.length
      ? [
          "> [!CAUTION]",
          `> **Guardrails: ${mandatory.length} mandatory violation${mandatory.length === 1 ? "" : "s"}.** The deploy fails until each is fixed or allowed.`,
          ...list(mandatory),
          "",
        ]
      : []),
    ...(advisory.length ? ["> [!NOTE]", "> **Guardrails (advisory)**", ...list(advisory), ""] : []),
  ];
}

const DRIFT_INTRO =
  "These objects differ on their servers from their declarations: someone changed them outside the stack. " +
  "Each `before → after` and each diff reads from the declaration to the server; the action is what the next " +
  "`pulumi up` does to put the declaration back.";

export function renderMarkdown(changes: Change[], opts: MarkdownOptions = {}): string {
  const limit = opts.limit ?? COMMENT_LIMIT;
  const full = markdown(changes, opts, new Set(), opts.graphs ?? []);
  if (full.length <= limit) return full;
  // Graphs go before diffs: the diffs are what is approved.
  if (opts.graphs?.length) return renderMarkdown(changes, { ...opts, graphs: [] });
  // Fold the largest diffs out first until the comment fits, and say so.
  const diffs = changes
    .flatMap((c, i) =>
      c.fields.map((f, j) => ({ key: `${i}.${j}`, size: f.text ? f.text.before.length + f.text.after.length : 0 })),
    )
    .filter((d) => d.size > 0)
    .sort((a, b) => b.size - a.size);
  const folded = new Set<string>();
  for (const d of diffs) {
    folded.add(d.key);
    const text = markdown(changes, opts, folded, []);
    if (text.length <= limit) return text;
  }
  const text = markdown(changes, opts, folded, []);
  return text.length <= limit
    ? text
    : `${text.slice(0, limit - 200)}\n\n… _review cut at ${limit} characters (GitHub's comment limit); run \`pulumi preview --diff\` for the rest._\n`;
}

function markdown(changes: Change[], opts: MarkdownOptions, folded: Set<string>, graphs: PipelineGraph[]): string {
  const title = opts.title ?? (opts.drift ? "Drift report" : "Pipeline review");
  const lines: string[] = [
    `## ${title}: ${opts.drift ? driftHeadline(changes) : headline(changes)}`,
    "",
    ...violationsMarkdown(opts.violations ?? []),
  ];
  if (!changes.length)
    return `${lines.join("\n")}\n${opts.drift ? "Every managed object on the servers matches its declaration." : "Nothing on the pipeline servers changes."}\n`;
  if (opts.drift) lines.push(DRIFT_INTRO, "");
  const warn = warnings(changes);
  if (warn.length) lines.push("> [!CAUTION]", ...warn.map((w) => `> - ${w}`), "");
  lines.push("| engine | kind | create | update | replace | delete |", "|---|---|---:|---:|---:|---:|");
  for (const [engine, kind] of unique(changes.map((c) => [c.engine, c.kind] as const))) {
    const mine = changes.filter((c) => c.engine === engine && c.kind === kind);
    lines.push(
      `| ${engine} | ${kind} | ${ACTIONS.map((a) => mine.filter((c) => c.action === a).length || "").join(" | ")} |`,
    );
  }
  lines.push("");
  for (const [engine, pipeline] of unique(changes.map((c) => [c.engine, c.pipeline] as const))) {
    lines.push(`### ${engine} · \`${pipeline}\``, "");
    const graph = graphs.find((g) => g.engine === engine && g.pipeline === pipeline);
    if (graph) lines.push(...graphMarkdown(graph, opts.drift === true));
    changes.forEach((c, i) => {
      if (c.engine !== engine || c.pipeline !== pipeline) return;
      lines.push(`**${SYMBOL[c.action]} ${c.action}** ${c.kind} \`${c.resource}\``);
      for (const [j, f] of c.fields.entries()) lines.push(...fieldMarkdown(f, folded.has(`${i}.${j}`), c.action));
      lines.push("");
    });
  }
  if (folded.size)
    lines.push(
      `_${folded.size} diff${folded.size === 1 ? "" : "s"} folded out to stay under GitHub's 65,536-character comment limit; \`pulumi preview --diff\` shows ${folded.size === 1 ? "it" : "them"} in full._`,
      "",
    );
  return lines.join("\n");
}

function graphMarkdown(graph: PipelineGraph, drift: boolean): string[] {
  const r = renderMermaid(graph);
  const body = ["```mermaid", r.text.trimEnd(), "```", ""];
  const cut = [
    ...(r.omitted ? [`_${r.omitted} nodes left out (unchanged ones first); the graph shows ${r.nodes}._`, ""] : []),
    ...(graph.partial
      ? ["_Only what the preview lists; `pulumi preview --json --show-sames` gives the whole graph._", ""]
      : []),
  ];
  const what = drift ? "Graph as on the servers" : "Graph after the change";
  const marks = drift
    ? "added there green, removed there red and dashed, edited there amber"
    : "added green, removed red and dashed, edited amber";
  if (r.nodes + r.omitted <= FOLD_NODES) return [`_${what}: ${marks}._`, "", ...body, ...cut];
  return [
    `<details><summary>${what} (${r.nodes + r.omitted} nodes): ${marks}</summary>`,
    "",
    ...body,
    ...cut,
    "</details>",
    "",
  ];
}

function fieldMarkdown(f: FieldChange, folded: boolean, action: Action): string[] {
  if (!f.text) {
    // A new or removed object has one side: its value, not a "before → after".
    if (action === "create") return [`- \`${f.field}\`: ${value(f.after)}`];
    if (action === "delete") return [];
    return [`- \`${f.field}\`: ${value(f.before)} → ${value(f.after)}`];
  }
  const diff = unifiedDiff(f.text.before, f.text.after);
  const n = diff.split("\n").length;
  if (folded) return [`- \`${f.field}\`: _diff of ${n} lines folded out (comment size limit)_`];
  const fence = "```";
  const body = [`${fence}diff`, diff, fence];
  // What a delete removes is there to look at, not to review line by line.
  if (n <= FOLD_LINES && action !== "delete") return [`- \`${f.field}\`:`, "", ...body, ""];
  const summary = action === "delete" ? `removed: ${n - 1} lines` : `${n} lines of diff`;
  return [`- \`${f.field}\`:`, "", `<details><summary>${summary}</summary>`, "", ...body, "", "</details>", ""];
}

function value(v: unknown): string {
  if (v === undefined) return "_(unset)_";
  const s = showUnknowns(JSON.stringify(v));
  return `\`${s.length > 200 ? `${s.slice(0, 200)}…` : s}\``;
}

function unique<T extends readonly [string, string]>(pairs: T[]): T[] {
  const seen = new Set<string>();
  return pairs.filter((p) => !seen.has(p.join("\u0000")) && !!seen.add(p.join("\u0000")));
}

// ---------------------------------------------------------------- text and json

export function renderText(changes: Change[], drift = false, violations: Violation[] = []): string {
  const lines = [drift ? `Drift report: ${driftHeadline(changes)}` : `Pipeline review: ${headline(changes)}`];
  for (const v of violations) lines.push(`  ${v.enforcement.toUpperCase()} ${v.rule} ${v.resource}: ${v.message}`);
  for (const w of warnings(changes)) lines.push(`  ! ${w.replace(/\*\*|`/g, "")}`);
  for (const c of changes) {
    lines.push(`${SYMBOL[c.action].padEnd(2)} ${c.action.padEnd(7)} ${c.engine} ${c.kind} ${c.resource}`);
    for (const f of c.fields) {
      if (!f.text) lines.push(`      ${f.field}: ${JSON.stringify(f.before)} → ${JSON.stringify(f.after)}`);
      else
        lines.push(
          `      ${f.field}:`,
          ...unifiedDiff(f.text.before, f.text.after)
            .split("\n")
            .map((l) => `        ${l}`),
        );
    }
  }
  return `${lines.join("\n")}\n`;
}

export function renderJson(
  changes: Change[],
  graphs?: PipelineGraph[],
  drift = false,
  violations?: Violation[],
): string {
  const warn = warnings(changes).map((w) => w.replace(/\*\*|`/g, ""));
  const doc = {
    ...(drift ? { drift: true } : {}),
    ...(violations ? { violations } : {}),
    summary: summary(changes),
    warnings: warn,
    changes,
  };
  return `${JSON.stringify({ ...doc, ...(graphs ? { graphs } : {}) }, null, 2)}\n`;
}
