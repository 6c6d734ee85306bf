// `Resource.get(name, id, state)`: a live object read into the stack, never
// written. The provider's read gets the id and this state only, and answers
// with a complete state (see each kind's read); every output is registered so
// the typed properties are filled.
import type * as pulumi from "@pulumi/pulumi";

/** What a read needs besides the id: the target (default: the engine's), and for Mage blocks and triggers their pipeline. */
export interface LookupState {
  target?: pulumi.Input<string>;
  pipeline?: pulumi.Input<string>;
}

export function lookupInputs(state: LookupState, outputs: readonly string[]): Record<string, unknown> {
  return {
    ...Object.fromEntries(outputs.map((k) => [k, undefined])),
    target: state.target,
    ...(state.pipeline !== undefined ? { pipeline: state.pipeline } : {}),
  };
}
