// The root Pulumi.yaml program through the real CLI: it deploys YAML from
// pipelines:path, and refuses every bad-input case before any HTTP request.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diffCommand } from "../../provider/cli/diff";
import { type FelderaEmulator, startFelderaEmulator } from "../fakes/feldera/emulator";
import { startIonworksEmulator } from "../fakes/ionworks/emulator";
import { type RecordingProxy, startRecordingProxy } from "../fakes/recordingProxy";
import { pluginGitopsProject } from "../helpers/gitopsProject";
import { configureMage, mageTarget, testClient } from "../helpers/mage";
import { mermaidParse } from "../helpers/mermaid";
import { createStack, ops, type TestStack } from "../helpers/pulumi";

const root = path.join(__dirname, "..", "..");
const corpus = path.join(root, "test", "corpus", "bad");
const CASES = fs
  .readdirSync(corpus)
  .filter((f) => f.endsWith(".yaml"))
  .sort();

/** Each case's preview fails, and its output names the case's first expected error at test/corpus/bad/<case>. */
async function expectCorpusFailures(stack: TestStack, cases: string[]): Promise<void> {
  for (const c of cases) {
    const r = await stack.run(["preview", "--config", `pipelines:path=test/corpus/bad/${c}`]);
    const first = fs
      .readFileSync(path.join(corpus, c.replace(/\.yaml$/, ".expect")), "utf8")
      .split("\n")[0]
      .split("<dir>")
      .join(path.join(stack.programDir, "test", "corpus", "bad"));
    expect(r.code, c).not.toBe(0);
    expect(r.stdout + r.stderr, c).toContain(`test/corpus/bad/${c}:${first}`);
  }
}

describe("GitOps program (root Pulumi.yaml)", () => {
  let stack: TestStack;
  let proxy: RecordingProxy;

  beforeAll(async () => {
    const target = mageTarget();
    proxy = await startRecordingProxy(target.url);
    stack = await createStack(root);
    await configureMage(stack, proxy.url);
  }, 120_000);

  afterAll(async () => {
    await stack?.remove();
    await proxy?.close();
  });

  it("deploys the YAML example, then previews no change, then destroys it", async () => {
    await stack.config("pipelines:path", "examples/mage-etl/pipelines");
    const r = await stack.up();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const detail = await testClient().call<any>("GET", "/api/pipelines/orders_etl", {
      query: { includes_content: "true", includes_outputs: "false" },
    });
    expect(detail.pipeline.blocks.map((b: any) => b.uuid)).toEqual(["load_orders", "clean_orders", "export_orders"]);
    expect(detail.pipeline.blocks[1].content).toBe(
      fs.readFileSync(path.join(root, "examples/mage-etl/blocks/clean_orders.py"), "utf8"),
    );
    // Resource names come from the declarations, not from file paths.
    const urns = (await stack.export()).deployment.resources.map((x: any) => x.urn.split("::").pop());
    expect(urns).toEqual(
      expect.arrayContaining(["mage/orders etl", "mage/orders etl/clean_orders", "mage/orders etl/daily"]),
    );

    proxy.reset();
    expect(ops(await stack.preview())).toEqual({ same: 5 });
    expect(proxy.requests).toEqual([]);
    await stack.destroy();
    expect(
      (await testClient().call<any>("GET", "/api/pipelines", { query: { _limit: "1000" } })).pipelines.map(
        (p: any) => p.uuid,
      ),
    ).not.toContain("orders_etl");
  }, 240_000);

  it("reports drift from a real refresh after edits in Mage (diff --drift), and none once up puts it back", async () => {
    await stack.config("pipelines:path", "examples/mage-etl/pipelines");
    expect((await stack.up()).code).toBe(0);
    const drift = async () => {
      const preview = await stack.must(["preview", "--refresh", "--json", "--show-sames"]);
      let out = "";
      const code = await diffCommand(
        ["--drift", "--preview", "-"],
        { write: (t: string) => (out += t) },
        () => preview.stdout,
      );
      return { code, out };
    };
    expect(await drift()).toEqual({ code: 0, out: expect.stringContaining("## Drift report: no drift") });

    // Behind the stack's back, as in Mage's editor: the description, a block's code, and a new edge.
    const mage = testClient();
    await mage.call("PUT", "/api/pipelines/orders_etl", { body: { pipeline: { description: "edited in the UI" } } });
    await mage.call("PUT", `/api/file_contents/${encodeURIComponent("transformers/clean_orders.py")}`, {
      body: { file_content: { content: "# hotfix\n" } },
    });
    await mage.call("PUT", "/api/pipelines/orders_etl/blocks/export_orders", {
      body: { block: { upstream_blocks: ["clean_orders", "load_orders"] } },
    });
    try {
      const r = await drift();
      expect(r.code).toBe(2);
      expect(r.out).toContain("## Drift report: 3 objects drifted");
      expect(r.out).toContain(
        '- `description`: `"Daily orders: API → cleaned frame → CSV export"` → `"edited in the UI"`',
      );
      expect(r.out).toContain("+# hotfix");
      expect(r.out).toContain('- `upstream`: `["clean_orders"]` → `["clean_orders","load_orders"]`');
      // The graph shows the server's extra edge added and the hotfixed block (only it) edited.
      const [graph] = [...r.out.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]);
      await expect(mermaidParse(graph)).resolves.toBe("flowchart-v2");
      const clean = /(n\d+)\["clean_orders<br\/><small>transformer<\/small>"\]/.exec(graph)?.[1];
      const load = /(n\d+)\["load_orders/.exec(graph)?.[1];
      const exporter = /(n\d+)\["export_orders/.exec(graph)?.[1];
      expect(graph).toContain(`  class ${clean} edited\n`);
      const edges = graph.split("\n").filter((l) => /^ {2}n\d+ -->/.test(l));
      const added = edges.indexOf(`  ${load} --> ${exporter}`);
      expect(added).toBeGreaterThanOrEqual(0);
      expect(graph).toContain(`linkStyle ${added} stroke:#1a7f37`);
    } finally {
      // Put the declaration back; then nothing has drifted.
      expect((await stack.run(["up", "--yes", "--skip-preview", "--refresh"])).code).toBe(0);
    }
    expect((await drift()).code).toBe(0);
    await stack.destroy();
  }, 300_000);

  it("deploys the Feldera YAML example to the emulator, then previews no change, then destroys it", async () => {
    const emu: FelderaEmulator = await startFelderaEmulator({ stepMs: 10 });
    try {
      await stack.config("pipelines:feldera.url", emu.url, { path: true });
      const r = await stack.run([
        "up",
        "--yes",
        "--skip-preview",
        "--config",
        "pipelines:path=examples/feldera-fraud/pipelines",
      ]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      const p = emu.pipelines.get("fraud-detection")!;
      expect(p).toMatchObject({ program_status: "Success", desired: "Running" });
      expect(p.program_code).toContain(
        fs.readFileSync(path.join(root, "examples/feldera-fraud/sql/views.sql"), "utf8").trim(),
      );
      emu.requests.splice(0);
      expect(ops(await stack.preview())).toEqual({ same: 1 });
      expect(emu.requests).toEqual([]);
      await stack.destroy();
      expect(emu.pipelines.size).toBe(0);
      expect(emu.violations).toEqual([]);
    } finally {
      await emu.close();
    }
  }, 240_000);

  it("deploys the chained Ionworks YAML example to the emulator in dependency order, then destroys it", async () => {
    const emu = await startIonworksEmulator({ apiKey: "iw-gitops-key-1", autoAdvanceMs: 10 });
    try {
      await stack.config("pipelines:ionworks.url", emu.url, { path: true });
      await stack.config("pipelines:ionworks.project", emu.projectId, { path: true });
      await stack.config("pipelines:ionworks.apiKey", "iw-gitops-key-1", { path: true, secret: true });
      const r = await stack.run([
        "up",
        "--yes",
        "--skip-preview",
        "--config",
        "pipelines:path=examples/ionworks-fit/pipelines",
      ]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      const runs = [...emu.runs.values()];
      const fit = runs.find((x) => x.name === "cathode-ocp-fit")!;
      const full = runs.find((x) => x.name === "full-cell-from-fit")!;
      expect([fit.status, full.status]).toEqual(["completed", "completed"]);
      expect(full.elements[0].job_config).toEqual({ pipeline_id: fit.id });
      expect(fit.elements.map((e) => e.name)).toEqual(["known_parameters", "fit_ocp", "validate_ocp"]);
      await stack.destroy();
      expect(emu.runs.size).toBe(0);
    } finally {
      await emu.close();
    }
  }, 240_000);

  it("fails the preview on a bad declaration, naming file:line:col, with no HTTP request sent", async () => {
    // Three cases here; the compiled program below runs every corpus case through the same declaredProgram().
    proxy.reset();
    await expectCorpusFailures(stack, CASES.slice(0, 3));
    expect(proxy.requests).toEqual([]);
  }, 120_000);

  it("refuses a resource family that does not exist, naming the setting, with no HTTP request sent", async () => {
    proxy.reset();
    const r = await stack.run([
      "preview",
      "--config",
      "pipelines:path=examples/mage-etl/pipelines",
      "--config",
      "pipelines:family=native",
    ]);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toContain("pipelines:family is 'native': use plugin or dynamic");
    expect(proxy.requests).toEqual([]);
    await stack.must(["config", "rm", "pipelines:family"]);
  }, 120_000);
});

describe("GitOps program compiled to Pulumi YAML (the plugin family, as init writes it)", () => {
  let stack: TestStack;
  let proxy: RecordingProxy;
  let dir: string;
  // Text Pulumi YAML would read as expressions if the template did not escape it.
  const CODE =
    "import os\n\n@data_loader\ndef load(*args, **kwargs):\n    return os.path.expandvars('${HOME} costs $5, $${x}')\n";
  const DECLARATION = `pipelines:
  - engine: mage
    target: mage
    name: compiled orders
    variables: { note: "\${{ kept }}" }
    blocks:
      - name: load
        type: data_loader
        codeFile: ../blocks/load.py
      - name: clean
        type: transformer
        code: "def clean(df, *a, **k):\\n    return df\\n"
        upstream: [load]
    schedules:
      - name: nightly
        type: time
        interval: "@daily"
        startTime: "2030-01-01T02:00:00Z"
`;

  beforeAll(async () => {
    proxy = await startRecordingProxy(mageTarget().url);
    dir = pluginGitopsProject();
    fs.mkdirSync(path.join(dir, "pipelines"));
    fs.mkdirSync(path.join(dir, "blocks"));
    fs.writeFileSync(path.join(dir, "pipelines", "orders.yaml"), DECLARATION);
    fs.writeFileSync(path.join(dir, "blocks", "load.py"), CODE);
    // The corpus where the project has it, so errors name test/corpus/bad/<case>.
    fs.mkdirSync(path.join(dir, "test", "corpus"), { recursive: true });
    fs.symlinkSync(corpus, path.join(dir, "test", "corpus", "bad"));
    stack = await createStack(dir);
    await configureMage(stack, proxy.url);
  }, 120_000);

  afterAll(async () => {
    await stack?.destroy().catch(() => undefined);
    await stack?.remove();
    await proxy?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("deploys with no Node program: Mage holds what is declared, $ and all; then no change, then destroy", async () => {
    const r = await stack.up();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const mage = await testClient().call<any>("GET", "/api/pipelines/compiled_orders", {
      query: { includes_content: "true", includes_outputs: "false" },
    });
    expect(mage.pipeline.variables).toEqual({ note: "${{ kept }}" });
    expect(mage.pipeline.blocks.map((b: any) => [b.uuid, b.upstream_blocks])).toEqual([
      ["load", []],
      ["clean", ["load"]],
    ]);
    expect(mage.pipeline.blocks[0].content).toBe(CODE);
    const triggers = await testClient().call<any>("GET", "/api/pipelines/compiled_orders/pipeline_schedules");
    expect(triggers.pipeline_schedules.map((t: any) => [t.name, t.schedule_interval])).toEqual([["nightly", "@daily"]]);

    const types = (await stack.export()).deployment.resources.map((x: any) => x.type);
    expect(types.filter((t: string) => t.startsWith("pipelines:")).sort()).toEqual([
      "pipelines:mage:Block",
      "pipelines:mage:Block",
      "pipelines:mage:Pipeline",
      "pipelines:mage:Schedule",
    ]);
    expect(types.some((t: string) => t.startsWith("pulumi-nodejs"))).toBe(false);

    proxy.reset();
    expect(ops(await stack.preview())).toEqual({ same: 4 });
    expect(proxy.requests).toEqual([]);
    expect((await stack.destroy()).code).toBe(0);
    const left = await testClient().call<any>("GET", "/api/pipelines", { query: { _limit: "1000" } });
    expect(left.pipelines.map((p: any) => p.uuid)).not.toContain("compiled_orders");
  }, 300_000);

  it("fails the preview on every corpus case, naming file:line:col, with no HTTP request sent", async () => {
    proxy.reset();
    await expectCorpusFailures(stack, CASES);
    expect(proxy.requests).toEqual([]);
  }, 600_000);
});
