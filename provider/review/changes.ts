// What a change does to the servers, at the level pipeline owners think in:
// which pipelines, blocks and schedules are created, updated, replaced or
// deleted, field by field. Two sources, each in a file of its own:
// `pulumi preview --json` (fromPreview.ts), or two revisions of the YAML
// declarations (fromDeclarations.ts: no Pulumi, no server, no credentials).
// Either way, update-or-replace is decided by the providers' own diff. This
// file holds what both share: the change types, how each field is shown, the
// notes a change carries, drift's reading and the graphs of a review.
import { felderaPlanNotes } from "../backends/feldera/plan";
import { sameJson } from "../backends/shared/json";
import { containsUnknown, UNKNOWN } from "../resources/diff";
import { felderaPlan } from "../resources/feldera/pipeline";
import type { FieldDisplay } from "../resources/kind";
import { KINDS, type ResourceType } from "../resources/kinds";
import { BOOKKEEPING } from "../resources/validate";
import { diffGraphs, graphKey, isChanged, type PipelineGraph, pipelineGraphs, type ResourceView } from "./graph";

export type Action = "create" | "update" | "replace" | "delete";

export interface FieldChange {
  field: string;
  before?: unknown;
  after?: unknown;
  /** Code, SQL or config shown as a unified diff. */
  text?: { before: string; after: string; language: string };
}

export interface Change {
  engine: string;
  kind: string;
  /** The Pulumi resource name (target/pipeline[/block|schedule]). */
  resource: string;
  /** The pipeline it belongs to, for grouping. */
  pipeline: string;
  action: Action;
  fields: FieldChange[];
  /** What the change does beyond its fields: stops, storage, compute. */
  notes: string[];
}

/** Inputs a review does not show: bookkeeping, the uuid output, and `adopt` (a create's note says it). */
const HIDDEN = new Set([...BOOKKEEPING, "uuid", "adopt"]);

/** Inputs as a review shows them. */
export function visibleInputs(inputs: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(inputs ?? {}).filter(([k]) => !HIDDEN.has(k)));
}

/**
 * A drift report's changes, from a preview with --refresh: each field and
 * diff reads from the declaration to what the server has now (a review reads
 * the other way, from the server to what the change writes).
 */
export function asDrift(changes: Change[]): Change[] {
  return changes.map((c) => ({
    ...c,
    fields: c.fields.map((f) => ({
      ...f,
      before: f.after,
      after: f.before,
      ...(f.text ? { text: { ...f.text, before: f.text.after, after: f.text.before } } : {}),
    })),
  }));
}

/** The graph of each pipeline the changes touch, after them, with what they add, remove, rewire or edit marked. */
export function reviewGraphs(
  before: ResourceView[],
  after: ResourceView[],
  changes: Change[],
  partial = false,
): PipelineGraph[] {
  const keyed = (graphs: PipelineGraph[]) => new Map(graphs.map((g) => [graphKey(g.engine, g.pipeline), g]));
  const old = keyed(pipelineGraphs(before));
  const now = keyed(pipelineGraphs(after, before));
  const touched = new Map(changes.map((c) => [graphKey(c.engine, c.pipeline), c.pipeline]));
  return (
    [...touched]
      .filter(([key]) => old.has(key) || now.has(key))
      // Named as the review's section for it names the pipeline.
      .map(([key, pipeline]) => ({ ...diffGraphs(old.get(key), now.get(key)), pipeline }))
      // Feldera and Ionworks pipelines are one resource each: listed at all, they are whole.
      .map((g) => (partial && g.engine === "mage" ? { ...g, partial } : g))
      .filter(isChanged)
  );
}

export function pipelineOf(engine: string, kind: string, inputs: Record<string, unknown>): string {
  const target = inputs.target ?? engine;
  const name = engine === "mage" && kind !== "Pipeline" ? inputs.pipeline : inputs.name;
  return `${target}/${name}`;
}

/** Each field that differs, shown as the kind's descriptor says (code and SQL as diffs, entries one by one). */
export function fieldChanges(
  engine: string,
  kind: string,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  same: ReadonlySet<string> = new Set(),
): FieldChange[] {
  const display: Readonly<Record<string, FieldDisplay>> = KINDS[`${engine}:${kind}` as ResourceType]?.display ?? {};
  const out: FieldChange[] = [];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  for (const key of keys) {
    const a = before[key];
    const b = after[key];
    if (same.has(key) || sameJson(a, b)) continue;
    const shown = display[key];
    if (shown?.as === "text") {
      const language =
        typeof shown.language === "string"
          ? shown.language
          : String(after[shown.language.field] ?? before[shown.language.field] ?? shown.language.default);
      out.push({ field: key, text: { before: str(a), after: str(b), language } });
    } else if (shown?.as === "entries") {
      const [x, y] = [entries(a), entries(b)];
      out.push(...namedEntries(key, x, y, (e) => (e ? str(shown.text(e)) : ""), shown.what, shown.language));
      out.push(...orderChange(x, y));
    } else {
      out.push({ field: key, before: a, after: b });
    }
  }
  return out;
}

/** An entry of a list a review matches by name (Feldera's SQL blocks, Ionworks' elements). */
type Entry = Record<string, unknown> & { name?: unknown; file?: unknown };

const entries = (list: unknown): Entry[] => (Array.isArray(list) ? (list as Entry[]) : []);

/** A list's entries matched by name, each diffed on its own. */
function namedEntries(
  field: string,
  before: Entry[],
  after: Entry[],
  text: (entry: Entry | undefined) => string,
  what: string,
  language: string,
): FieldChange[] {
  const a = new Map(before.map((x) => [x.name, x]));
  const b = new Map(after.map((x) => [x.name, x]));
  const names = [...new Set([...after.map((x) => x.name), ...before.map((x) => x.name)])];
  return names.flatMap((name) => {
    const x = showUnknowns(text(a.get(name)));
    const y = showUnknowns(text(b.get(name)));
    if (x === y && JSON.stringify(a.get(name)?.file) === JSON.stringify(b.get(name)?.file)) return [];
    const file = b.get(name)?.file ?? a.get(name)?.file;
    return [
      { field: `${field}['${name}'].${what}${file ? ` (${file})` : ""}`, text: { before: x, after: y, language } },
    ];
  });
}

function orderChange(before: Entry[], after: Entry[]): FieldChange[] {
  const a = before.map((x) => x.name).filter((n) => after.some((y) => y.name === n));
  const b = after.map((x) => x.name).filter((n) => before.some((y) => y.name === n));
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [{ field: "block order", before: a, after: b }];
}

function str(v: unknown): string {
  return typeof v === "string"
    ? showUnknowns(v)
    : v === undefined || v === null
      ? ""
      : showUnknowns(JSON.stringify(v, null, 2));
}

/** The engine's placeholder for a value a preview cannot know yet. */
export function showUnknowns(text: string): string {
  return text.split(UNKNOWN).join("<known after apply>");
}

/**
 * What a change does beyond its fields. Feldera's lifecycle steps come from the
 * plan the provider itself computes (the same function behind `updatePlan`).
 */
export function notesOf(
  engine: string,
  action: Action,
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown>,
): string[] {
  // A create with adopt: true takes over what is live; the preview cannot tell which will happen.
  if (action === "create" && after.adopt === true) {
    return [
      engine === "ionworks"
        ? "adopts the newest Ionworks run of this name as it is (no compute); submits a new run only if there is none"
        : "adopts the live object of this name if there is one, writing only what differs from the declaration",
    ];
  }
  if (engine === "ionworks" && (action === "create" || action === "replace")) {
    return [`submits a new Ionworks run: its compute runs${action === "replace" ? " again" : ""}`];
  }
  // A plan over values not known yet would guess (check() computes none then either).
  if (engine === "feldera" && action === "update" && before && !containsUnknown(after)) {
    const plan = felderaPlan(before, after);
    return plan ? felderaPlanNotes(plan) : [];
  }
  return [];
}
