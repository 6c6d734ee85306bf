// What a change does to the servers, at the level pipeline owners think in:
// which pipelines, blocks and schedules are created, updated, replaced or
// deleted, field by field. Two sources: `pulumi preview --json`, or two
// revisions of the YAML declarations (no Pulumi, no server, no credentials).
// Either way, update-or-replace is decided by the providers' own diff.
import { felderaPlanNotes } from "../backends/feldera/plan";
import { sameJson } from "../backends/shared/json";
import { readDeclaredFile } from "../declarations/files";
import type { DeclaredResource } from "../program/args";
import { containsUnknown, UNKNOWN } from "../resources/diff";
import { felderaPlan } from "../resources/feldera/pipelineProvider";
import { KINDS, type ResourceType, resourceTypeOf } from "../resources/kinds";
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

// ---------------------------------------------------------------- from a preview

export function changesFromPreview(preview: { steps?: any[] }): Change[] {
  const changes: Change[] = [];
  const replaced = new Set<string>();
  for (const step of preview.steps ?? []) {
    const type = parseType(step.urn ?? step.newState?.type ?? step.oldState?.type);
    if (!type) continue;
    let action: Action;
    if (step.op === "create" || step.op === "update" || step.op === "delete") action = step.op;
    else if (step.op === "replace" || step.op === "create-replacement") action = "replace";
    else continue;
    if (action === "replace") {
      if (replaced.has(step.urn)) continue;
      replaced.add(step.urn);
    }
    const before = visibleInputs(step.oldState?.inputs);
    const after = visibleInputs(step.newState?.inputs);
    const inputs = action === "delete" ? before : after;
    changes.push({
      engine: type.engine,
      kind: type.kind,
      resource: step.urn.split("::").pop(),
      pipeline: pipelineOf(type.engine, type.kind, inputs),
      action,
      fields:
        action === "update" || action === "replace"
          ? // Compared as the provider compares them: a refreshed state spells out every default and names
            // Mage objects by uuid, a declaration gives only what it sets; only real differences are listed.
            fieldChanges(
              type.engine,
              type.kind,
              normalized(type, before),
              normalized(type, after),
              sameKeys(type, before, after),
            )
          : fieldChanges(type.engine, type.kind, action === "create" ? {} : before, action === "delete" ? {} : after),
      notes: notesOf(type.engine, action, step.oldState?.inputs, step.newState?.inputs ?? {}),
    });
  }
  return changes;
}

/**
 * Every resource of a preview as it was (`before`) and as it will be
 * (`after`), for the graphs. `partial`: the preview lists only what changes
 * (made without --show-sames) while some resources already existed, so the
 * unchanged ones are missing from it.
 */
export function viewsFromPreview(preview: { steps?: any[] }): {
  before: ResourceView[];
  after: ResourceView[];
  partial: boolean;
} {
  const before = new Map<string, ResourceView>();
  const after = new Map<string, ResourceView>();
  for (const step of preview.steps ?? []) {
    const type = parseType(step.urn ?? step.newState?.type ?? step.oldState?.type);
    if (!type) continue;
    // Normalized as the provider compares them, so a refreshed state (every default spelled out) and a
    // declaration draw the same node when they say the same.
    const view = (state: any): ResourceView => ({
      type: type.type,
      name: step.urn.split("::").pop(),
      inputs: { ...(state.inputs ?? {}), ...normalized(type, state.inputs ?? {}) },
      ...(state.id ? { id: String(state.id) } : {}),
    });
    if (step.oldState && step.op !== "create") before.set(step.urn, view(step.oldState));
    if (step.newState && !["delete", "delete-replaced", "discard"].includes(step.op))
      after.set(step.urn, view(keepRunLinks(step.newState, step.oldState)));
  }
  const ours = (preview.steps ?? []).filter((s) => parseType(s.urn));
  const partial = !ours.some((s) => s.op === "same") && ours.some((s) => s.op !== "create");
  return { before: [...before.values()], after: [...after.values()], partial };
}

/**
 * An Ionworks entry whose run is being replaced sees that run's new id as
 * unknown; it still takes its parameters from the same pipeline, so the graph
 * keeps the link by the old id.
 */
function keepRunLinks(state: any, old: any): any {
  const blocks = state.inputs?.blocks;
  if (!Array.isArray(blocks) || !Array.isArray(old?.inputs?.blocks)) return state;
  const oldId = new Map(old.inputs.blocks.map((b: any) => [b.name, b.config?.pipelineId]));
  const kept = blocks.map((b: any) =>
    b.config?.pipelineId === UNKNOWN && typeof oldId.get(b.name) === "string"
      ? { ...b, config: { ...b.config, pipelineId: oldId.get(b.name) } }
      : b,
  );
  return { ...state, inputs: { ...state.inputs, blocks: kept } };
}

function normalized(type: Typed, inputs: Record<string, unknown>): Record<string, unknown> {
  return visibleInputs(KINDS[type.type].provider.normalizeInputs(inputs));
}

/** The fields the kind's own diff finds unchanged (its `comparable` and sameJson), so a review never lists them. */
function sameKeys(type: Typed, before: Record<string, unknown>, after: Record<string, unknown>): Set<string> {
  const provider = KINDS[type.type].provider;
  return provider.sameKeys(provider.normalizeInputs(before), after);
}

interface Typed {
  type: ResourceType;
  engine: string;
  kind: string;
}

function parseType(urnOrType: string | undefined): Typed | undefined {
  const type = resourceTypeOf(urnOrType);
  return type && { type, engine: KINDS[type].engine, kind: KINDS[type].name };
}

function visibleInputs(inputs: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(inputs ?? {}).filter(([k]) => !HIDDEN.has(k)));
}

// ---------------------------------------------------------------- from declarations

/**
 * Changes between two sets of declared resources. `root*` are the project
 * directories their code/SQL files resolve against.
 */
export async function changesFromDeclarations(
  base: DeclaredResource[],
  baseRoot: string,
  head: DeclaredResource[],
  headRoot: string,
): Promise<Change[]> {
  const baseBy = new Map(base.map((r) => [r.name, r]));
  const headBy = new Map(head.map((r) => [r.name, r]));
  const actions = new Map<string, Action | "same">();
  const changes: Change[] = [];
  // Head order puts referred resources first, so a replaced run is known before its dependants.
  for (const r of head) {
    const old = baseBy.get(r.name);
    const after = resolve(r, headRoot, (ref) =>
      ref.output === "id" ? idOf(ref.resource, actions) : String(headBy.get(ref.resource)!.args.name),
    );
    if (!old || old.type !== r.type) {
      actions.set(r.name, "create");
      changes.push(change(r, "create", {}, after));
      continue;
    }
    const before = resolve(old, baseRoot, (ref) =>
      ref.output === "id" ? `<id of ${ref.resource}>` : String(baseBy.get(ref.resource)!.args.name),
    );
    const provider = KINDS[r.type].provider;
    const outs = provider.normalizeInputs(before);
    const d = { changes: false, replaces: [] as string[], ...(await provider.diff!("", outs, after)) };
    const action: Action | "same" = d.replaces.length ? "replace" : d.changes ? "update" : "same";
    actions.set(r.name, action);
    if (action !== "same") changes.push(change(r, action, before, after, provider.sameKeys(outs, after)));
  }
  for (const r of base)
    if (!headBy.has(r.name))
      changes.push(
        change(
          r,
          "delete",
          resolve(r, baseRoot, () => `<ref>`),
          {},
        ),
      );
  return changes;
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

/**
 * Declared resources as the graphs read them: files read, references by
 * name, and an Ionworks entry's run by the pipeline it names (it has no id yet).
 */
export function declaredViews(resources: DeclaredResource[], root: string): ResourceView[] {
  const byName = new Map(resources.map((r) => [r.name, r]));
  return resources.map((r) => {
    const inputs = resolve(r, root, (ref) =>
      ref.output === "name" ? String(byName.get(ref.resource)?.args.name) : ref.resource,
    ) as Record<string, any>;
    for (const ref of r.refs)
      if (ref.path[0] === "blocks" && ref.path.at(-1) === "pipelineId") {
        const { pipelineId: _, ...config } = inputs.blocks[ref.path[1]].config;
        inputs.blocks[ref.path[1]].config = { ...config, fromPipeline: ref.resource };
      }
    return { type: r.type, name: r.name, inputs };
  });
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

function change(
  r: DeclaredResource,
  action: Action,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  same: ReadonlySet<string> = new Set(),
): Change {
  const [engine, kind] = r.type.split(":");
  const inputs = action === "delete" ? before : after;
  return {
    engine,
    kind,
    resource: r.name,
    pipeline: pipelineOf(engine, kind, inputs),
    action,
    fields: fieldChanges(engine, kind, visibleInputs(before), visibleInputs(after), same),
    notes: notesOf(engine, action, before, after),
  };
}

function idOf(resource: string, actions: Map<string, Action | "same">): string {
  const a = actions.get(resource);
  // A new or replaced run gets a new id, which the dependant then sees as unknown, as in a preview.
  return a === "create" || a === "replace" ? UNKNOWN : `<id of ${resource}>`;
}

/** Args as the resource would send them: references filled, files read. */
function resolve(
  r: DeclaredResource,
  root: string,
  refValue: (ref: DeclaredResource["refs"][number]) => string,
): Record<string, unknown> {
  const args = structuredClone(r.args) as Record<string, any>;
  for (const ref of r.refs) {
    let cur: any = args;
    for (const part of ref.path.slice(0, -1)) cur = cur[part];
    cur[ref.path[ref.path.length - 1]] = refValue(ref);
  }
  const read = (file: string) => readDeclaredFile(root, file, r.name);
  if (r.type === "mage:Block" && args.codeFile !== undefined) args.code = read(args.codeFile);
  if (r.type === "feldera:Pipeline") {
    args.blocks = args.blocks.map((b: any) =>
      b.sqlFile !== undefined ? { name: b.name, sql: read(b.sqlFile), file: b.sqlFile } : b,
    );
    if (args.udfRustFile !== undefined) args.udfRust = read(args.udfRustFile);
    if (args.udfTomlFile !== undefined) args.udfToml = read(args.udfTomlFile);
    delete args.udfRustFile;
    delete args.udfTomlFile;
  }
  return JSON.parse(JSON.stringify(args)); // drops undefined, as Pulumi does
}

// ---------------------------------------------------------------- fields

function pipelineOf(engine: string, kind: string, inputs: Record<string, unknown>): string {
  const target = inputs.target ?? engine;
  const name = engine === "mage" && kind !== "Pipeline" ? inputs.pipeline : inputs.name;
  return `${target}/${name}`;
}

export function fieldChanges(
  engine: string,
  kind: string,
  before: Record<string, any>,
  after: Record<string, any>,
  same: ReadonlySet<string> = new Set(),
): FieldChange[] {
  const out: FieldChange[] = [];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  for (const key of keys) {
    const a = before[key];
    const b = after[key];
    if (same.has(key) || sameJson(a, b)) continue;
    if (engine === "mage" && kind === "Block" && key === "code") {
      out.push({
        field: "code",
        text: { before: str(a), after: str(b), language: String(after.language ?? before.language ?? "python") },
      });
    } else if (engine === "feldera" && key === "blocks") {
      out.push(...namedBlocks(a, b, (x) => str(x?.sql), "sql", "sql"));
      out.push(...orderChange(a, b));
    } else if (engine === "feldera" && (key === "udfRust" || key === "udfToml")) {
      out.push({ field: key, text: { before: str(a), after: str(b), language: key === "udfRust" ? "rust" : "toml" } });
    } else if (engine === "ionworks" && key === "blocks") {
      out.push(
        ...namedBlocks(
          a,
          b,
          (x) => (x ? `type: ${x.type}\n${JSON.stringify(x.config ?? {}, null, 2)}\n` : ""),
          "config",
          "json",
        ),
      );
      out.push(...orderChange(a, b));
    } else {
      out.push({ field: key, before: a, after: b });
    }
  }
  return out;
}

/** Blocks matched by name, each diffed on its own. */
function namedBlocks(
  before: any[] | undefined,
  after: any[] | undefined,
  text: (b: any) => string,
  what: string,
  language: string,
): FieldChange[] {
  const a = new Map((before ?? []).map((b) => [b.name, b]));
  const b = new Map((after ?? []).map((x) => [x.name, x]));
  const names = [...new Set([...(after ?? []).map((x) => x.name), ...(before ?? []).map((x) => x.name)])];
  return names.flatMap((name) => {
    const x = showUnknowns(text(a.get(name)));
    const y = showUnknowns(text(b.get(name)));
    if (x === y && JSON.stringify(a.get(name)?.file) === JSON.stringify(b.get(name)?.file)) return [];
    const file = b.get(name)?.file ?? a.get(name)?.file;
    return [{ field: `blocks['${name}'].${what}${file ? ` (${file})` : ""}`, text: { before: x, after: y, language } }];
  });
}

function orderChange(before: any[] | undefined, after: any[] | undefined): FieldChange[] {
  const a = (before ?? []).map((x) => x.name).filter((n) => (after ?? []).some((y) => y.name === n));
  const b = (after ?? []).map((x) => x.name).filter((n) => (before ?? []).some((y) => y.name === n));
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
function notesOf(
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
