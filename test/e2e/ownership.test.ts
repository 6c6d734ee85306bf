// Pulumi's own safety options hold for these resources: `protect` stops a
// destroy before anything is deleted, and `retainOnDelete` leaves the object
// on the server when the stack lets go of it.
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pipelineUuid } from "../../provider/backends/mage/names";
import { configureMage, testClient, uniqueName } from "../helpers/mage";
import { createStack, type TestStack } from "../helpers/pulumi";

const program = path.join(__dirname, "programs", "ownership");

describe("protect and retainOnDelete", () => {
  let stack: TestStack;
  const kept = uniqueName("kept");
  const guarded = uniqueName("guarded");
  const exists = async (name: string) =>
    (await testClient().call<any>("GET", "/api/pipelines", { query: { _limit: "1000" } })).pipelines.some(
      (p: any) => p.uuid === pipelineUuid(name),
    );

  beforeAll(async () => {
    stack = await createStack(program);
    await stack.config("e2e:kept", kept);
    await stack.config("e2e:guarded", guarded);
    await configureMage(stack);
    expect((await stack.up()).code).toBe(0);
  }, 120_000);

  afterAll(async () => {
    await testClient()
      .call<any>("DELETE", `/api/pipelines/${pipelineUuid(kept)}`)
      .catch(() => undefined);
    await stack?.remove();
  });

  it("protect: destroy refuses and deletes nothing", async () => {
    const r = await stack.run(["destroy", "--yes", "--skip-preview"]);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/protected/);
    expect(await exists(guarded)).toBe(true);
    expect(await exists(kept)).toBe(true);
  }, 120_000);

  it("retainOnDelete: destroy leaves the object on the server, the unprotected one goes", async () => {
    await stack.config("e2e:protect", "false");
    expect((await stack.up()).code).toBe(0);
    await stack.destroy();
    expect(await exists(guarded)).toBe(false);
    expect(await exists(kept)).toBe(true);
  }, 180_000);
});
