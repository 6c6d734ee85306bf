// A review's changes from `pulumi preview --json`: Pulumi decided each step with the providers' diff; the fields
// listed are the ones that diff finds changed.

import { UNKNOWN } from "../resources/diff";
import { callsOf } from "../resources/kindCalls";
import { KINDS, type ResourceType, resourceTypeOf } from "../resources/kinds";
import { type Action, type Change, fieldChanges, notesOf, pipelineOf, visibleInputs } from "./changes";
import type { ResourceView } from "./graph";

type Props = Record<string, unknown>;

/** A resource's state in a step of `pulumi preview --json` (the fields read here). */
interface StepState {
  type?: string;
  id?: string;
  inputs?: Props;
}

/** One step of `pulumi preview --json`. */
export interface PreviewStep {
  op: string;
  urn: string;
  oldState?: StepState;
  newState?: StepState;
}

/** What `pulumi preview --json` writes (the fields read here). */
export interface Preview {
  steps?: PreviewStep[];
}

/** The resource's name in its URN (`urn:pulumi:stack::project::type::name`). */
export const nameOf = (urn: string) => urn.split("::").pop() ?? urn;

export function changesFromPreview(preview: Preview): Change[] {
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
      resource: nameOf(step.urn),
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
export function viewsFromPreview(preview: Preview): {
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
    const view = (state: StepState): ResourceView => ({
      type: type.type,
      name: nameOf(step.urn),
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
function keepRunLinks(state: StepState, old: StepState | undefined): StepState {
  type Entry = { name?: string; config?: { pipelineId?: unknown } };
  const blocks = state.inputs?.blocks as Entry[] | undefined;
  const oldBlocks = old?.inputs?.blocks as Entry[] | undefined;
  if (!Array.isArray(blocks) || !Array.isArray(oldBlocks)) return state;
  const oldId = new Map(oldBlocks.map((b) => [b.name, b.config?.pipelineId]));
  const kept = blocks.map((b) =>
    b.config?.pipelineId === UNKNOWN && typeof oldId.get(b.name) === "string"
      ? { ...b, config: { ...b.config, pipelineId: oldId.get(b.name) } }
      : b,
  );
  return { ...state, inputs: { ...state.inputs, blocks: kept } };
}

function normalized(type: Typed, inputs: Record<string, unknown>): Record<string, unknown> {
  return visibleInputs(callsOf(KINDS[type.type]).normalizeInputs(inputs));
}

/** The fields the kind's own diff finds unchanged (its `comparable` and sameJson), so a review never lists them. */
function sameKeys(type: Typed, before: Record<string, unknown>, after: Record<string, unknown>): Set<string> {
  const calls = callsOf(KINDS[type.type]);
  return calls.sameKeys(calls.normalizeInputs(before), after);
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
