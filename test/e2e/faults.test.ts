// Convergence under faults: between the provider and each server (real Mage,
// the Feldera and Ionworks emulators) a seeded proxy answers 20% of requests
// with 503, 429 + Retry-After, a reset before or after forwarding, or 2 s of
// latency. A 60-resource stack per engine converges in ONE `pulumi up`, with
// no duplicate and no orphan on the server (listed directly, not via the proxy).
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type FaultProxy, startFaultProxy } from "../fakes/faultProxy";
import { startFelderaEmulator } from "../fakes/feldera/emulator";
import { startIonworksEmulator } from "../fakes/ionworks/emulator";
import { configureMage, mageTarget, testClient, uniqueName } from "../helpers/mage";
import { createStack, ops, type TestStack } from "../helpers/pulumi";

const program = path.join(__dirname, "programs", "scale");
const SEED = 20261122;

async function converge(stack: TestStack, proxy: FaultProxy, resources: number) {
  const r = await stack.up();
  expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
  // Faults really happened, including the ambiguous kind (the server acted, the client never heard).
  expect(proxy.injected["reset-after"], JSON.stringify(proxy.injected)).toBeGreaterThan(0);
  expect(Object.values(proxy.injected).reduce((a, b) => a + b, 0)).toBeGreaterThan(resources / 4);
  // Converged: nothing left to do, even with faults still on.
  expect(ops(await stack.preview())).toEqual({ same: resources });
}

describe("convergence under injected faults", () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  });

  it("Mage: 10 pipelines × (pipeline, 4 blocks, 1 trigger) = 60 resources", async () => {
    const target = mageTarget();
    const proxy = await startFaultProxy({ upstream: target.url, seed: SEED, rate: 0.2 });
    cleanups.push(() => proxy.close());
    const prefix = uniqueName("fault").replace(/ /g, "-");
    const stack = await createStack(program);
    cleanups.push(() => stack.remove());
    await stack.config("e2e:engine", "mage");
    await stack.config("e2e:n", "10");
    await stack.config("e2e:prefix", prefix);
    await configureMage(stack, proxy.url);

    await converge(stack, proxy, 60);
    const mage = testClient();
    const ours = (await mage.call<any>("GET", "/api/pipelines", { query: { _limit: "1000" } })).pipelines.filter(
      (p: any) => p.name.startsWith(`${prefix}-`),
    );
    expect(ours).toHaveLength(10);
    const triggers = (await mage.call<any>("GET", "/api/pipeline_schedules", { query: { _limit: "10000" } }))
      .pipeline_schedules;
    for (const p of ours) {
      const detail = await mage.call<any>("GET", `/api/pipelines/${p.uuid}`, {
        query: { includes_content: "false", includes_outputs: "false" },
      });
      expect(detail.pipeline.blocks).toHaveLength(4);
      expect(Object.keys(detail.pipeline.variables)).toEqual(["index"]);
      expect(triggers.filter((t: any) => t.pipeline_uuid === p.uuid).map((t: any) => t.name)).toEqual(["hourly"]);
    }

    proxy.setRate(0);
    await stack.destroy();
    const left = (await mage.call<any>("GET", "/api/pipelines", { query: { _limit: "1000" } })).pipelines.filter(
      (p: any) => p.name.startsWith(`${prefix}-`),
    );
    expect(left).toEqual([]);
    expect(
      (
        await mage.call<any>("GET", "/api/pipeline_schedules", { query: { _limit: "10000" } })
      ).pipeline_schedules.filter((t: any) => ours.some((p: any) => p.uuid === t.pipeline_uuid)),
    ).toEqual([]);
  }, 600_000);

  it("Feldera: 60 pipelines", async () => {
    const emu = await startFelderaEmulator({ stepMs: 5 });
    cleanups.push(() => emu.close());
    const proxy = await startFaultProxy({ upstream: emu.url, seed: SEED + 1, rate: 0.2 });
    cleanups.push(() => proxy.close());
    const stack = await createStack(program, { PULUMI_PIPELINES_POLL_MS: "20" });
    cleanups.push(() => stack.remove());
    await stack.config("e2e:engine", "feldera");
    await stack.config("e2e:n", "60");
    await stack.config("e2e:prefix", "fault");
    await stack.config("pipelines:feldera.url", proxy.url, { path: true });

    await converge(stack, proxy, 60);
    expect([...emu.pipelines.keys()].sort()).toEqual(Array.from({ length: 60 }, (_, i) => `fault-${i}`).sort());
    expect(
      [...emu.pipelines.values()].every((p) => p.resources === "Provisioned" && p.runtime_config.workers === 2),
    ).toBe(true);
    expect(emu.violations).toEqual([]);
    await stack.destroy();
    expect(emu.pipelines.size).toBe(0);
  }, 600_000);

  it("Ionworks: 60 runs, none submitted twice", async () => {
    const emu = await startIonworksEmulator({ apiKey: "iw-fault-key-1", autoAdvanceMs: 5 });
    cleanups.push(() => emu.close());
    const proxy = await startFaultProxy({ upstream: emu.url, seed: SEED + 2, rate: 0.2 });
    cleanups.push(() => proxy.close());
    const stack = await createStack(program, { PULUMI_PIPELINES_POLL_MS: "20" });
    cleanups.push(() => stack.remove());
    await stack.config("e2e:engine", "ionworks");
    await stack.config("e2e:n", "60");
    await stack.config("e2e:prefix", "fault");
    await stack.config("pipelines:ionworks.url", proxy.url, { path: true });
    await stack.config("pipelines:ionworks.project", emu.projectId, { path: true });
    await stack.config("pipelines:ionworks.apiKey", "iw-fault-key-1", { path: true, secret: true });

    await converge(stack, proxy, 60);
    const names = [...emu.runs.values()].map((r) => r.name).sort();
    expect(names).toEqual(Array.from({ length: 60 }, (_, i) => `fault-${i}`).sort()); // one run each: no compute spent twice
    expect(proxy.forwarded.filter((f) => f.method === "POST" && f.path === "/pipelines").length).toBe(60);
    await stack.destroy();
    expect(emu.runs.size).toBe(0);
  }, 600_000);
});
