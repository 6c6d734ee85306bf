// `npm run bench` at N=2 on every engine, against the run's Mage and fresh
// emulators: the benchmark keeps working, and its request-count targets hold
// (the timing targets are measured by `npm run bench` itself, never asserted here).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, inject, it } from "vitest";
import { loadPaths } from "../../provider/declarations/loader";
import { kindOf } from "../bench/client";
import { busy, medianRows, runBench, scaleTable, table, targets } from "../bench/main";
import { packageOf, summarizeProfiles } from "../bench/profile";
import { writeMageDeclarations } from "../bench/yamlProgram";

describe("benchmark (npm run bench) at N=2", () => {
  it("runs all seven steps per engine and meets the request targets", async () => {
    const n = 2;
    const rows = await runBench(
      { n, parallel: 8, engines: ["mage", "feldera", "ionworks"] },
      inject("pulumiBin"),
      async () => inject("mage"),
    );
    expect(rows.map((r) => `${r.engine} ${r.step}`)).toEqual(
      ["mage", "feldera", "ionworks"].flatMap((e) =>
        ["create", "no-change up", "no-change preview", "refresh", "one block change", "10% change", "destroy"].map(
          (s) => `${e} ${s}`,
        ),
      ),
    );
    const row = (engine: string, step: string) => rows.find((r) => r.engine === engine && r.step === step)!;
    for (const engine of ["mage", "feldera", "ionworks"]) {
      expect(row(engine, "no-change up").requests).toBe(0);
      expect(row(engine, "no-change preview").requests).toBe(0);
      expect(row(engine, "create").writes).toBeGreaterThanOrEqual(n);
      expect(row(engine, "create").rss_mb).toBeGreaterThan(0);
      // The client's CPU: the CLI, program and providers all ran; the total is at least what was sampled.
      const create = row(engine, "create");
      expect(create.client_cpu_by.cli).toBeGreaterThan(0);
      expect(create.client_cpu_by.program).toBeGreaterThan(0);
      expect(create.client_cpu_by.provider).toBeGreaterThan(0);
      expect(create.client_cpu_s).toBeGreaterThanOrEqual(
        create.client_cpu_by.cli + create.client_cpu_by.program + create.client_cpu_by.provider - 0.05,
      );
      expect(create.client_peak_mb).toBeGreaterThan(create.rss_mb);
      // Memory by kind: each kind ran, and no kind alone is above the whole.
      for (const kind of ["cli", "program", "provider"] as const) {
        expect(create.client_peak_mb_by[kind]).toBeGreaterThan(0);
        expect(create.client_peak_mb_by[kind]).toBeLessThanOrEqual(create.client_peak_mb);
      }
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

  it("tells the client's processes apart, and summarizes CPU profiles by package and function", () => {
    expect(kindOf("/home/u/.pulumi/bin/pulumi\u0000up\u0000")).toBe("cli");
    expect(kindOf("/usr/bin/pulumi-language-nodejs\u0000localhost:1\u0000")).toBe("cli");
    expect(kindOf("node\u0000/x/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js\u0000")).toBe("provider");
    expect(kindOf("/usr/bin/node\u0000/x/node_modules/@pulumi/pulumi/cmd/run\u0000")).toBe("program");
    expect(packageOf("file:///p/node_modules/@grpc/grpc-js/build/src/a.js", "f")).toBe("@grpc/grpc-js");
    expect(packageOf("node:internal/fs", "f")).toBe("node");
    expect(packageOf("", "(garbage collector)")).toBe("(garbage collector)");

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pp-prof-"));
    const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 });
    fs.writeFileSync(
      path.join(dir, "a.cpuprofile"),
      JSON.stringify({
        nodes: [
          { id: 1, callFrame: frame("(root)", "") },
          { id: 2, callFrame: frame("load", "file:///p/node_modules/typescript/lib/typescript.js") },
          { id: 3, callFrame: frame("serve", "file:///p/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js") },
        ],
        startTime: 0,
        endTime: 4000,
        samples: [2, 2, 3],
        timeDeltas: [0, 1000, 1000],
      }),
    );
    const [s] = summarizeProfiles(dir);
    expect(s).toMatchObject({ kind: "provider", files: 1, total_ms: 2 });
    // Each sample is charged the time until the next one: the last has none.
    expect(s.by_package).toEqual([{ name: "typescript", ms: 2 }]);
    expect(s.by_function).toEqual([{ name: "load typescript/lib/typescript.js:1", ms: 2 }]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("writes the YAML program's declarations valid, with the TypeScript program's changes", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pp-bench-yaml-"));
    writeMageDeclarations(dir, 3, "bench", { touchOne: true, revise: 1 });
    const loaded = loadPaths([dir]);
    expect(loaded.errors).toEqual([]);
    const pipelines = loaded.pipelines.map((p) => p.decl as any);
    expect(pipelines.map((p) => [p.name, p.blocks.length, p.schedules.length, p.description])).toEqual([
      ["bench-0", 4, 1, undefined],
      ["bench-1", 4, 1, undefined],
      ["bench-2", 4, 1, "revised"],
    ]);
    expect(pipelines[0].blocks[1].code).toContain("# touched");
    expect(pipelines[2].schedules[0].interval).toBe("@daily");
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("shows growth with N only when there are two N", () => {
    const row = (n: number, wall: number) =>
      ({
        engine: "mage",
        step: "create",
        n,
        wall_s: wall,
        client_cpu_s: wall / 2,
        requests: n,
        client_peak_mb: 100,
      }) as any;
    expect(scaleTable([row(10, 2)])).toBe("");
    const curve = scaleTable([row(10, 2), row(50, 10)]);
    expect(curve).toContain("wall s N=10");
    expect(curve.split("\n")[2]).toMatch(/\|\s+1\.00 \|$/);
  });

  it("counts time with a request in flight once, however many overlap", () => {
    expect(
      busy([
        { method: "GET", path: "/", at: 0, ms: 100 },
        { method: "GET", path: "/", at: 50, ms: 100 },
        { method: "GET", path: "/", at: 300, ms: 10 },
      ]),
    ).toBe(160);
  });

  it("reports each figure's median over several runs, with ratios between the medians", () => {
    const run = (wall: number, floor: number, cpu: number) =>
      [
        { engine: "mage", step: "create", n: 2, wall_s: wall, baseline_wall_s: 2, baseline_requests: 8, requests: 9 },
        { engine: "mage", step: "no-change up", n: 2, wall_s: floor, baseline_wall_s: 0, baseline_requests: 0 },
      ].map((r) => ({
        reads: 1,
        writes: 8,
        auth: 0,
        by_method: { POST: 8 },
        api_s: 1,
        rss_mb: 100,
        client_cpu_s: cpu,
        client_cpu_by: { cli: cpu / 2, program: cpu / 4, provider: cpu / 4, other: 0, unsampled: 0 },
        client_peak_mb: 300,
        client_peak_mb_by: { cli: 100, program: 100, provider: 100, other: 0 },
        requests: 0,
        ratio: null,
        over_floor_ratio: null,
        ...r,
      })) as any[];
    const [create, noChange] = medianRows([run(9, 3, 6), run(5, 1, 2), run(4, 2, 30)]);
    expect(create.wall_s).toBe(5);
    expect(create.client_cpu_s).toBe(6);
    expect(create.client_cpu_by.cli).toBe(3);
    expect(create.ratio).toBe(2.5);
    expect(noChange.wall_s).toBe(2);
    expect(create.over_floor_ratio).toBe(1.5);
    expect(noChange.ratio).toBeNull();
  });
});
