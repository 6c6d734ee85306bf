// The import-verify step of provider acceptance tests: after a write, a read
// gives back exactly the outputs with no drift, and a read that knows only the
// id (and target) — what `Resource.get` and an import have — gives a complete
// state that diffs as unchanged against the declaration.
import type * as pulumi from "@pulumi/pulumi";
import { expect } from "vitest";

export async function readVerify(
  handler: pulumi.dynamic.ResourceProvider,
  id: string,
  outs: Record<string, unknown>,
  declared: Record<string, unknown>,
  /** What an import knows besides the id (the target; for a Mage trigger, whose id is a number, its pipeline). */
  known: Record<string, unknown> = { target: outs.target },
): Promise<void> {
  const read = await handler.read!(id, outs);
  expect(read.id).toBe(id);
  expect(read.props).toEqual(outs);
  // No drift: no new inputs, so the engine keeps the stored ones and the state is unchanged.
  expect(read.inputs).toBeUndefined();
  expect((await handler.diff!(id, read.props!, declared)).changes).toBe(false);

  const imported = await handler.read!(id, known);
  expect(imported.id).toBe(id);
  expect(imported.inputs, "a read by id alone supplies the inputs").toBeDefined();
  expect((await handler.diff!(id, imported.props!, imported.inputs!)).changes).toBe(false);
  const against = await handler.diff!(id, imported.props!, declared);
  expect(against.changes).toBe(false);
}
