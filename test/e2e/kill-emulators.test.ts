// Interrupted creates on Feldera and Ionworks: `pulumi up` killed with
// SIGKILL once every pipeline was sent to the server and none had finished
// (compiling, or running), then `pulumi cancel` + `refresh` + `up`. The next
// `up` takes over what the killed one made instead of making it again: no
// Feldera pipeline twice, and no Ionworks run submitted twice (its compute is
// what the user pays for).
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FelderaEmulator, startFelderaEmulator } from "../fakes/feldera/emulator";
import { type IonworksEmulator, startIonworksEmulator } from "../fakes/ionworks/emulator";
import { removeTornSidecars } from "../helpers/checkpoint";
import { createStack, ops, type TestStack } from "../helpers/pulumi";
import { until } from "../helpers/until";

const program = path.join(__dirname, "programs", "scale");
const N = 5;

/** Starts `up`, kills it when `inFlight` holds, lets the server go on, then cancel + refresh + up. */
async function killedThenRecovered(stack: TestStack, inFlight: () => boolean, resume: () => void): Promise<void> {
  const run = stack.start(["up", "--yes", "--skip-preview"]);
  await until("every create in flight", inFlight, 120_000);
  run.kill();
  await run.exited;
  removeTornSidecars(stack.stateDir);
  resume();
  await stack.run(["cancel", "--yes"]);
  const refresh = await stack.run(["refresh", "--yes", "--skip-preview"]);
  expect(refresh.code, refresh.stdout + refresh.stderr).toBe(0);
  const up = await stack.up();
  expect(up.code, up.stdout + up.stderr).toBe(0);
  expect(ops(await stack.preview())).toEqual({ same: N });
}

describe("SIGKILL during creates on Ionworks: the next up takes the runs over", () => {
  const key = "iw-kill-key";
  let emu: IonworksEmulator;
  let stack: TestStack;
  let clock: NodeJS.Timeout | undefined;

  beforeAll(async () => {
    emu = await startIonworksEmulator({ apiKey: key }); // no clock: runs wait until the test moves them
    stack = await createStack(program, { PULUMI_PIPELINES_POLL_MS: "50" });
    await stack.config("e2e:engine", "ionworks");
    await stack.config("e2e:n", String(N));
    await stack.config("e2e:prefix", "killed");
    await stack.config("pipelines:ionworks.url", emu.url, { path: true });
    await stack.config("pipelines:ionworks.project", emu.projectId, { path: true });
    await stack.config("pipelines:ionworks.apiKey", key, { path: true, secret: true });
  }, 120_000);

  afterAll(async () => {
    if (clock) clearInterval(clock);
    await stack?.run(["cancel", "--yes"]);
    await stack?.destroy();
    await stack?.remove();
    await emu?.close();
  });

  it("every run submitted exactly once, each taken over by the next up", async () => {
    await killedThenRecovered(
      stack,
      () => emu.runs.size === N,
      () => (clock = setInterval(() => emu.advance(), 20)),
    );
    const submits = emu.requests.filter((r) => r.method === "POST" && r.path === "/pipelines");
    expect(submits).toHaveLength(N);
    const names = [...emu.runs.values()].map((r) => r.name).sort();
    expect(names).toEqual(Array.from({ length: N }, (_, i) => `killed-${i}`));
    expect([...emu.runs.values()].every((r) => r.status === "completed")).toBe(true);
  }, 300_000);
});

describe("SIGKILL during creates on Feldera: the next up takes the pipelines over", () => {
  const key = "apikey:feldera-kill";
  let emu: FelderaEmulator;
  let stack: TestStack;

  beforeAll(async () => {
    emu = await startFelderaEmulator({ apiKey: key, stepMs: 20 });
    emu.faults.compile = { status: "hang" }; // every create waits for its compile
    stack = await createStack(program, { PULUMI_PIPELINES_POLL_MS: "50" });
    await stack.config("e2e:engine", "feldera");
    await stack.config("e2e:n", String(N));
    await stack.config("e2e:prefix", "killed");
    await stack.config("pipelines:feldera.url", emu.url, { path: true });
    await stack.config("pipelines:feldera.apiKey", key, { path: true, secret: true });
  }, 120_000);

  afterAll(async () => {
    await stack?.run(["cancel", "--yes"]);
    await stack?.destroy();
    await stack?.remove();
    await emu?.close();
  });

  it("every pipeline made once, compiled and running after the next up", async () => {
    await killedThenRecovered(
      stack,
      () => emu.pipelines.size === N,
      () => delete emu.faults.compile,
    );
    const posts = emu.requests.filter((r) => r.method === "POST" && r.path === "/v0/pipelines");
    expect(posts.length).toBeGreaterThanOrEqual(N); // the recovering creates ask again, and find them there
    expect([...emu.pipelines.keys()].sort()).toEqual(Array.from({ length: N }, (_, i) => `killed-${i}`));
    for (const p of emu.pipelines.values())
      expect(p).toMatchObject({ program_status: "Success", runtime: "Running", program_version: 1 });
    expect(emu.violations).toEqual([]);
  }, 300_000);
});
