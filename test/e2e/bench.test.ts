// `npm run bench` at N=2 on every engine, against the run's Mage and fresh
// emulators: the benchmark keeps working, and its request-count targets hold
// (the timing targets are measured by `npm run bench` itself, never asserted here).
import { describe, expect, inject, it } from "vitest";
import { busy, runBench, table, targets } from "../bench/main";

describe("benchmark (npm run bench) at N=2", () => {
  it("runs all six steps per engine and meets the request targets", async () => {
    const n = 2;
    const rows = await runBench(
      { n, parallel: 8, engines: ["mage", "feldera", "ionworks"] },
      inject("pulumiBin"),
      async () => inject("mage"),
    );
    expect(rows.map((r) => `${r.engine} ${r.step}`)).toEqual(
      ["mage", "feldera", "ionworks"].flatMap((e) =>
        ["create", "no-change up", "refresh", "one block change", "10% change", "destroy"].map((s) => `${e} ${s}`),
      ),
    );
    const row = (engine: string, step: string) => rows.find((r) => r.engine === engine && r.step === step)!;
    for (const engine of ["mage", "feldera", "ionworks"]) {
      expect(row(engine, "no-change up").requests).toBe(0);
      expect(row(engine, "create").writes).toBeGreaterThanOrEqual(n);
      expect(row(engine, "create").rss_mb).toBeGreaterThan(0);
    }
    // Mage: one detail per pipeline + one trigger list; one block change is one write.
    expect(row("mage", "refresh").reads).toBe(n + 1);
    expect(row("mage", "refresh").writes).toBe(0);
    expect(row("mage", "one block change").writes).toBe(1);
    expect(row("mage", "create").writes).toBe(row("mage", "create").baseline_requests);
    const checks = targets(rows, n);
    expect(checks.filter((c) => /requests|reads|write/.test(c.target)).every((c) => c.met)).toBe(true);
    expect(table(rows).split("\n")).toHaveLength(rows.length + 2);
  }, 600_000);

  it("counts time with a request in flight once, however many overlap", () => {
    expect(
      busy([
        { method: "GET", path: "/", at: 0, ms: 100 },
        { method: "GET", path: "/", at: 50, ms: 100 },
        { method: "GET", path: "/", at: 300, ms: 10 },
      ]),
    ).toBe(160);
  });
});
