// A review's changes from two revisions of the YAML declarations, with no Pulumi, server or credentials: each
// resource's inputs as its class would send them (references filled, files read by readDeclaredFile), and
// update-or-replace decided by the provider's own diff.

import type { GuardedResource } from "../policy/rules";
import { type DeclaredResource, setValueAt } from "../program/declaredResources";
import { UNKNOWN } from "../resources/diff";
import { readFiles } from "../resources/kind";
import { callsOf, withPlan } from "../resources/kindCalls";
import { KINDS } from "../resources/kinds";
import { type Action, type Change, fieldChanges, notesOf, pipelineOf, visibleInputs } from "./changes";
import type { ResourceView } from "./graph";

/** A review from declarations: its changes, and every declared resource as the guardrails see it. */
export interface DeclaredReview {
  changes: Change[];
  /** The head's resources with the inputs check() would hand a policy pack (the plan of each change added). */
  checked: GuardedResource[];
}

/**
 * Changes between two sets of declared resources. `root*` are the project
 * directories their code/SQL files resolve against.
 */
export async function changesFromDeclarations(
  base: DeclaredResource[],
  baseRoot: string,
  head: DeclaredResource[],
  headRoot: string,
): Promise<DeclaredReview> {
  const baseBy = new Map(base.map((r) => [r.name, r]));
  const headBy = new Map(head.map((r) => [r.name, r]));
  const actions = new Map<string, Action | "same">();
  const changes: Change[] = [];
  const checked: GuardedResource[] = [];
  // Head order puts referred resources first, so a replaced run is known before its dependants.
  for (const r of head) {
    const old = baseBy.get(r.name);
    const after = resolve(r, headRoot, (ref) =>
      ref.output === "id" ? idOf(ref.resource, actions) : String(headBy.get(ref.resource)!.args.name),
    );
    if (!old || old.type !== r.type) {
      actions.set(r.name, "create");
      changes.push(change(r, "create", {}, after));
      checked.push({ type: r.type, name: r.name, inputs: withPlan(KINDS[r.type], undefined, after) });
      continue;
    }
    const before = resolve(old, baseRoot, (ref) =>
      ref.output === "id" ? `<id of ${ref.resource}>` : String(baseBy.get(ref.resource)!.args.name),
    );
    checked.push({ type: r.type, name: r.name, inputs: withPlan(KINDS[r.type], before, after) });
    const calls = callsOf(KINDS[r.type]);
    const outs = calls.normalizeInputs(before);
    const d = calls.diff(outs, after);
    const action: Action | "same" = d.replaces.length ? "replace" : d.changes ? "update" : "same";
    actions.set(r.name, action);
    if (action !== "same") changes.push(change(r, action, before, after, calls.sameKeys(outs, after)));
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
  return { changes, checked };
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
    );
    type Entry = { config: Record<string, unknown> };
    for (const ref of r.refs)
      if (ref.path[0] === "blocks" && ref.path.at(-1) === "pipelineId") {
        const entry = (inputs.blocks as Entry[])[Number(ref.path[1])];
        const { pipelineId: _, ...config } = entry.config;
        entry.config = { ...config, fromPipeline: ref.resource };
      }
    return { type: r.type, name: r.name, inputs };
  });
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
  const args = structuredClone(r.args);
  for (const ref of r.refs) setValueAt(args, ref.path, refValue(ref));
  // As the class reads them, relative to the revision's checkout.
  const read = readFiles(KINDS[r.type], args, root, r.name);
  return JSON.parse(JSON.stringify(read)); // drops undefined, as Pulumi does
}
