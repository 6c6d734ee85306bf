// A Feldera Enterprise pipeline with fault tolerance checkpoints while it
// runs, so starting it again after a program change bootstraps the changed
// views. The server's default policy would wait for an approval; the `up`
// that made the change is that approval, so it converges in one `up`.
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FelderaEmulator, startFelderaEmulator } from "../fakes/feldera/emulator";
import { createStack, type TestStack } from "../helpers/pulumi";

const program = path.join(__dirname, "programs", "feldera-lifecycle");
const API_KEY = "apikey:e2e-feldera-bootstrap";

describe("feldera bootstrapping through the Pulumi CLI (Enterprise, fault tolerance)", () => {
  let emu: FelderaEmulator;
  let stack: TestStack;
  const name = "bootstrap-e2e";
  const live = () => emu.pipelines.get(name)!;

  beforeAll(async () => {
    emu = await startFelderaEmulator({ apiKey: API_KEY, stepMs: 20, edition: "Enterprise" });
    stack = await createStack(program, { PULUMI_PIPELINES_POLL_MS: "50" });
    await stack.config("e2e:name", name);
    await stack.config("e2e:views", "views-v1");
    await stack.config("e2e:faultTolerance", "exactly_once");
    await stack.config("pipelines:feldera.url", emu.url, { path: true });
    await stack.config("pipelines:feldera.apiKey", API_KEY, { path: true, secret: true });
  }, 120_000);

  afterAll(async () => {
    await stack?.destroy();
    await stack?.remove();
    await emu?.close();
  });

  it("a SQL change to a checkpointed pipeline restarts it, bootstrapping, in one up", async () => {
    const first = await stack.up();
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(live()).toMatchObject({ runtime: "Running", checkpoint: expect.any(String) });
    const checkpointed = live().checkpoint;

    await stack.config("e2e:views", "views-v2");
    emu.requests.splice(0);
    const r = await stack.up();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(emu.requests.map((q) => q.path)).toContain(
      `/v0/pipelines/${name}/start?initial=running&bootstrap_policy=allow&dismiss_error=true`,
    );
    // Started from the old checkpoint with another program, it bootstrapped and runs the new one.
    expect(live()).toMatchObject({ runtime: "Running", deployment_error: null, storage_status: "InUse" });
    expect(live().program_code).toContain("amount > 500");
    expect(live().checkpoint).not.toBe(checkpointed);
    expect(emu.violations).toEqual([]);
  }, 240_000);
});
