// The guardrails as Pulumi runs them: `pulumi preview --policy-pack <the installed package>` with the real CLI,
// the package's own analyzer (pulumi-analyzer-policy-pipelines, named in Pulumi.yaml's plugins.analyzers) and the
// run's Mage behind a recording proxy. A mandatory violation fails the preview naming the resource and the rule; an
// advisory one is reported and passes; the stack's `pipelines:policy` config changes the enforcement; and the same
// rules hold for the GitOps program compiled to Pulumi YAML (plugin types), the Node GitOps program on dynamic
// resources, a TypeScript program of the classes and a Pulumi YAML program written by hand. Every shipped Mage rule
// fires once, and the review reads them from the preview's event stream; Feldera's stop and storage-clear rules
// hold an `up` against the Feldera emulator until allowed; a team's own pack (examples/policy) runs as the docs say.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { felderaClient } from "../../provider/backends/feldera/client";
import { type FelderaEmulator, startFelderaEmulator } from "../fakes/feldera/emulator";
import { type RecordingProxy, startRecordingProxy } from "../fakes/recordingProxy";
import { pluginGitopsProject } from "../helpers/gitopsProject";
import { configureMage, mageTarget } from "../helpers/mage";
import { createStack, type TestStack } from "../helpers/pulumi";
import { sh } from "../helpers/spawn";
import { configureFeldera } from "../helpers/targets";

const REPO = path.resolve(__dirname, "..", "..");

const declaration = (interval: string, retries: string) => `pipelines:
  - engine: mage
    target: mage
    name: guarded orders
    tags: [owner:data]
${retries}
    blocks:
      - name: load
        type: data_loader
        code: "@data_loader\\ndef load(*a, **k):\\n    return [1]\\n"
    schedules:
      - name: often
        type: time
        interval: "${interval}"
        startTime: "2030-01-01T02:00:00Z"
`;
const VIOLATING = declaration("*/5 * * * *", "");
/** Breaks every shipped Mage rule once (the Feldera ones need an update: their own test below). */
const EVERY_RULE = `pipelines:
  - engine: mage
    target: mage
    name: Every Rule
    tags: [data]
    variables: { api_token: "hunter2" }
    blocks:
      - name: load
        type: data_loader
        code: "x = 1\\n"
    schedules:
      - name: often
        type: time
        interval: "*/5 * * * *"
        startTime: "2030-01-01T02:00:00Z"
      - name: forever
        type: time
        interval: "@always_on"
        startTime: "2030-01-01T02:00:00Z"
`;
const COMPLIANT = declaration("@hourly", "    retryConfig: { retries: 2 }");

/** The same resources as a TypeScript program of the classes (plain JS, as `tsc` would leave it). */
const classesProgram = (interval: string) => `const { mage } = require("pulumi-pipelines");
const pipeline = new mage.Pipeline("mage/guarded orders", { target: "mage", name: "guarded orders", tags: ["owner:data"] });
new mage.Block("mage/guarded orders/load", { pipeline, target: "mage", name: "load", type: "data_loader", code: "x = 1\\n" });
new mage.Schedule("mage/guarded orders/often", {
  pipeline, target: "mage", name: "often", type: "time", interval: ${JSON.stringify(interval)}, startTime: "2030-01-01T02:00:00Z",
});
`;

/** The same resources as a Pulumi YAML program a user writes on the plugin (./bin holds it and the analyzer). */
const yamlProgram = (interval: string, retries: boolean) => `name: pulumi-pipelines
runtime: yaml
plugins:
  providers:
    - name: pipelines
      path: ./bin
  analyzers:
    - name: policy-pipelines
      path: ./bin
resources:
  pipeline:
    type: pipelines:mage:Pipeline
    name: mage/guarded orders
    properties:
      target: mage
      name: guarded orders
      tags: [owner:data]
${retries ? "      retryConfig: { retries: 2 }\n" : ""}  load:
    type: pipelines:mage:Block
    name: mage/guarded orders/load
    properties: { pipeline: "\${pipeline.name}", target: mage, name: load, type: data_loader, code: "x = 1" }
  often:
    type: pipelines:mage:Schedule
    name: mage/guarded orders/often
    properties:
      pipeline: \${pipeline.name}
      target: mage
      name: often
      type: time
      interval: "${interval}"
      startTime: "2030-01-01T02:00:00Z"
`;

/** The project's Pulumi.yaml names the package's analyzer, as `init` writes it. */
function withAnalyzer(dir: string): void {
  const bin = path.join(dir, "bin", "pulumi-analyzer-policy-pipelines");
  fs.writeFileSync(
    bin,
    `#!/bin/sh\nexec node ${JSON.stringify(path.join(REPO, "dist", "provider", "policy", "analyzer.js"))} "$@"\n`,
  );
  fs.chmodSync(bin, 0o755);
  const file = path.join(dir, "Pulumi.yaml");
  fs.writeFileSync(
    file,
    `${fs.readFileSync(file, "utf8").trimEnd()}\n  analyzers:\n    - name: policy-pipelines\n      path: ./bin\n`,
  );
}

/** `pulumi preview --policy-pack <pack>` on the stack: its exit code and all it printed. */
async function previewWith(stack: TestStack, pack: string): Promise<{ code: number; output: string }> {
  const r = await stack.run(["preview", "--policy-pack", pack]);
  return { code: r.code, output: r.stdout + r.stderr };
}

type Form =
  | "compiled GitOps program (plugin)"
  | "Node GitOps program (dynamic)"
  | "TypeScript classes (dynamic)"
  | "Pulumi YAML program (plugin)";

describe.each<Form>([
  "compiled GitOps program (plugin)",
  "Node GitOps program (dynamic)",
  "TypeScript classes (dynamic)",
  "Pulumi YAML program (plugin)",
])("guardrails on the %s", (form) => {
  let dir: string;
  let stack: TestStack;
  let proxy: RecordingProxy;
  const pack = () => path.join(dir, "node_modules", "pulumi-pipelines");

  /** Declares the schedule at `interval` (and retries where compliant), in the form under test. */
  const declare = (compliant: boolean) => {
    if (form === "TypeScript classes (dynamic)") {
      fs.writeFileSync(path.join(dir, "index.js"), classesProgram(compliant ? "@hourly" : "*/5 * * * *"));
    } else if (form === "Pulumi YAML program (plugin)") {
      fs.writeFileSync(path.join(dir, "Pulumi.yaml"), yamlProgram(compliant ? "@hourly" : "*/5 * * * *", compliant));
    } else fs.writeFileSync(path.join(dir, "pipelines", "orders.yaml"), compliant ? COMPLIANT : VIOLATING);
  };
  const preview = () => previewWith(stack, pack());

  beforeAll(async () => {
    proxy = await startRecordingProxy(mageTarget().url);
    dir = pluginGitopsProject(undefined, form === "compiled GitOps program (plugin)" ? "compiled" : "node");
    fs.mkdirSync(path.join(dir, "pipelines"));
    if (form === "Node GitOps program (dynamic)" || form === "TypeScript classes (dynamic)") {
      // Dynamic resources: the family a repository made before the plugin, or a TypeScript program's classes.
      const file = path.join(dir, "Pulumi.yaml");
      fs.writeFileSync(
        file,
        fs.readFileSync(file, "utf8").replace("pipelines:family: plugin", "pipelines:family: dynamic"),
      );
    }
    withAnalyzer(dir);
    stack = await createStack(dir);
    await configureMage(stack, proxy.url);
  }, 120_000);

  afterAll(async () => {
    await stack?.remove();
    await proxy?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("a mandatory violation fails the preview, naming the resource and the rule; advisory ones are reported", async () => {
    declare(false);
    const r = await preview();
    expect(r.code, r.output).not.toBe(0);
    expect(r.output).toMatch(/\[mandatory\]\s+schedule-interval/);
    // The rule matched the kind in the family the program registers.
    const family = form.endsWith("(plugin)") ? "pipelines:mage" : "pulumi-nodejs:dynamic/mage";
    expect(r.output).toContain(`(${family}:Schedule: mage/guarded orders/often)`);
    expect(r.output).toContain("mage/guarded orders/often: interval '*/5 * * * *' runs every 5 minute(s)");
    expect(r.output).toMatch(/\[advisory\]\s+mage-retries/);
    expect(r.output).toContain("mage/guarded orders: retryConfig.retries is not set");
    // Nothing was written to Mage.
    expect(proxy.requests.filter((q) => q.method !== "GET" && !q.path.startsWith("/api/sessions"))).toEqual([]);
  }, 300_000);

  if (form === "compiled GitOps program (plugin)")
    it("every shipped Mage rule fires on a declaration that breaks it, at its default enforcement", async () => {
      fs.writeFileSync(path.join(dir, "pipelines", "orders.yaml"), EVERY_RULE);
      try {
        const r = await preview();
        expect(r.code, r.output).not.toBe(0);
        const found = [...r.output.matchAll(/\[(mandatory|advisory)\]\s+([a-z-]+)\s+\(([^)]+)\)/g)].map((m) =>
          [m[1], m[2], m[3].split(": ")[1]].join(" "),
        );
        expect(found.sort()).toEqual([
          "advisory mage-retries mage/Every Rule",
          "advisory owner-tag mage/Every Rule",
          "advisory pipeline-names mage/Every Rule",
          "mandatory always-on-stacks mage/Every Rule/forever",
          "mandatory schedule-interval mage/Every Rule/often",
          "mandatory secret-references mage/Every Rule",
        ]);
        expect(r.output).toContain(
          "mage/Every Rule: variables.api_token is a literal value; write it as { secret: NAME }",
        );
        expect(r.output).toContain("mage/Every Rule/forever: an @always_on trigger on stack 'e2e'; allowed on: prod");
        expect(r.output).toContain("mage/Every Rule: name 'Every Rule' does not match");
        expect(r.output).toContain("mage/Every Rule: no 'owner:<team>' tag");

        // The same preview as the workflow's review reads it: an event stream, the violations listed first.
        const stream = await stack.run(["preview", "--policy-pack", pack(), "--json", "--show-sames"], {
          PULUMI_ENABLE_STREAMING_JSON_PREVIEW: "true",
        });
        expect(stream.code).not.toBe(0);
        const capture = process.env.PULUMI_PIPELINES_CAPTURE_PREVIEWS;
        if (capture) fs.writeFileSync(path.join(capture, "policy-stream.jsonl"), stream.stdout);
        const file = path.join(dir, "preview.jsonl");
        fs.writeFileSync(file, stream.stdout);
        const review = await sh(
          "node",
          [path.join(REPO, "dist", "provider", "cli", "bin.js"), "diff", "--preview", file, "--no-graph"],
          dir,
          process.env,
        );
        expect(review.code, review.output).toBe(0);
        expect(review.stdout.split("\n").slice(0, 7)).toEqual([
          "## Pipeline review: 4 to create",
          "",
          "> [!CAUTION]",
          "> **Guardrails: 3 mandatory violations.** The deploy fails until each is fixed or allowed.",
          // By resource, then rule: the order Pulumi reports them in varies.
          "> - `mage/Every Rule` · **secret-references**: variables.api_token is a literal value; write it as { secret: NAME }",
          "> - `mage/Every Rule/forever` · **always-on-stacks**: an @always_on trigger on stack 'e2e'; allowed on: prod",
          "> - `mage/Every Rule/often` · **schedule-interval**: interval '*/5 * * * *' runs every 5 minute(s); the least allowed is 15",
        ]);
        expect(review.stdout).toContain("> - `mage/Every Rule` · **owner-tag**: no 'owner:<team>' tag");
        const gate = await sh(
          "node",
          [path.join(REPO, "dist", "provider", "cli", "bin.js"), "diff", "--preview", file, "--fail-on", "violation"],
          dir,
          process.env,
        );
        expect(gate.code).toBe(2);
      } finally {
        fs.rmSync(path.join(dir, "pipelines", "orders.yaml"));
      }
    }, 300_000);

  it("a compliant declaration passes", async () => {
    declare(true);
    const r = await preview();
    expect(r.code, r.output).toBe(0);
    expect(r.output).not.toContain("[mandatory]");
  }, 300_000);

  it("the stack's pipelines:policy config makes a mandatory rule advisory on this stack", async () => {
    declare(false);
    await stack.config("pipelines:policy", JSON.stringify({ "schedule-interval": "advisory" }));
    try {
      const r = await preview();
      expect(r.code, r.output).toBe(0);
      expect(r.output).toMatch(/\[advisory\]\s+schedule-interval/);
    } finally {
      await stack.run(["config", "rm", "pipelines:policy"]);
    }
  }, 300_000);
});

describe("Feldera's lifecycle guardrails: a stop or a storage clear is made only where allowed", () => {
  const API_KEY = "apikey:policy-feldera-4410";
  let emu: FelderaEmulator;
  let dir: string;
  let stack: TestStack;
  const declare = (runtime: string, table: string) =>
    fs.writeFileSync(
      path.join(dir, "pipelines", "fraud.yaml"),
      `pipelines:
  - engine: feldera
    target: feldera
    name: fraud
    tags: [owner:risk]
    runtimeConfig: { workers: ${runtime} }
    blocks:
      - name: tx
        sql: "CREATE TABLE ${table} (id INT, amount INT);"
`,
    );
  /** `pulumi up --policy-pack <the package>`, with the environment a workflow adds. */
  const up = (env: NodeJS.ProcessEnv = {}) =>
    stack.run(["up", "--yes", "--policy-pack", path.join(dir, "node_modules", "pulumi-pipelines")], env);
  /** The pipeline as Feldera serves it. */
  const live = () => felderaClient({ url: emu.url, apiKey: API_KEY }).call<any>("GET", "/v0/pipelines/fraud");

  beforeAll(async () => {
    emu = await startFelderaEmulator({ apiKey: API_KEY, stepMs: 5 });
    dir = pluginGitopsProject();
    fs.mkdirSync(path.join(dir, "pipelines"));
    withAnalyzer(dir);
    stack = await createStack(dir, { PULUMI_PIPELINES_POLL_MS: "20" });
    await configureFeldera(stack, emu.url, API_KEY);
    declare("2", "tx");
    const created = await up();
    expect(created.code, created.stdout + created.stderr).toBe(0);
  }, 300_000);

  afterAll(async () => {
    await stack?.remove();
    await emu?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("a storage-bound change fails `up` before any write, naming both rules; the pipeline keeps running with its storage", async () => {
    expect((await live()).deployment_status).toBe("Running");
    const writes = () => emu.requests.filter((q) => q.method !== "GET").length;
    const before = writes();
    declare("4", "tx");
    const r = await up();
    const output = r.stdout + r.stderr;
    expect(r.code, output).not.toBe(0);
    expect(output).toMatch(/\[mandatory\]\s+feldera-storage-clear\s+\(pipelines:feldera:Pipeline: feldera\/fraud\)/);
    expect(output).toContain(
      "feldera/fraud: the update clears the pipeline's storage: update stops the pipeline (force)",
    );
    expect(output).toContain("allow it with the pull request label 'allow:feldera-storage-clear'");
    expect(output).toMatch(/\[mandatory\]\s+feldera-stop/);
    expect(writes()).toBe(before);
    const pipeline = await live();
    expect([pipeline.deployment_status, pipeline.storage_status, pipeline.runtime_config.workers]).toEqual([
      "Running",
      "InUse",
      2,
    ]);
  }, 300_000);

  it("a pull request's allow labels (PIPELINES_POLICY_ALLOW) let the same change deploy", async () => {
    declare("4", "tx");
    const r = await up({ PIPELINES_POLICY_ALLOW: "allow:feldera-storage-clear,allow:feldera-stop" });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const pipeline = await live();
    expect([pipeline.deployment_status, pipeline.runtime_config.workers]).toEqual(["Running", 4]);
  }, 300_000);

  it("a SQL change stops the pipeline: refused, then allowed by the stack's pipelines:policy; the storage rule is quiet", async () => {
    declare("4", "transactions");
    const refused = await up();
    const output = refused.stdout + refused.stderr;
    expect(refused.code, output).not.toBe(0);
    expect(output).toContain("feldera/fraud: the update stops the running pipeline: update stops the pipeline (force)");
    expect(output).not.toContain("feldera-storage-clear");
    expect((await live()).program_code).toContain("CREATE TABLE tx ");

    await stack.config("pipelines:policy", JSON.stringify({ "feldera-stop": { allow: true } }));
    try {
      const allowed = await up();
      expect(allowed.code, allowed.stdout + allowed.stderr).toBe(0);
      const pipeline = await live();
      expect([pipeline.deployment_status, pipeline.program_code]).toEqual([
        "Running",
        expect.stringContaining("CREATE TABLE transactions "),
      ]);
    } finally {
      await stack.run(["config", "rm", "pipelines:policy"]);
    }
  }, 300_000);
});

describe("a team's own pack (examples/policy): the shipped rules and two of its own, typed from the classes", () => {
  let dir: string;
  let packDir: string;
  let stack: TestStack;
  const declare = (upstream: boolean) =>
    fs.writeFileSync(
      path.join(dir, "pipelines", "orders.yaml"),
      `pipelines:
  - engine: mage
    target: mage
    name: team orders
    tags: [owner:orders]
    retryConfig: { retries: 1 }
    blocks:
      - name: load
        type: data_loader
        code: "x = 1\\n"
      - name: save
        type: data_exporter
        code: "y = 2\\n"
${upstream ? "        upstream: [load]\n" : ""}`,
    );
  const preview = () => previewWith(stack, packDir);

  beforeAll(async () => {
    dir = pluginGitopsProject();
    fs.mkdirSync(path.join(dir, "pipelines"));
    withAnalyzer(dir);
    // The example as a team keeps it, its dependencies installed beside it.
    packDir = path.join(dir, "policy");
    fs.mkdirSync(packDir);
    for (const f of ["PulumiPolicy.yaml", "package.json", "index.ts"])
      fs.copyFileSync(path.join(REPO, "examples", "policy", f), path.join(packDir, f));
    fs.symlinkSync(path.join(dir, "node_modules"), path.join(packDir, "node_modules"));
    stack = await createStack(dir);
    await configureMage(stack);
  }, 120_000);

  afterAll(async () => {
    await stack?.remove();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("its mandatory rule fails the preview, naming the block; with the upstream declared it passes", async () => {
    declare(false);
    const failed = await preview();
    expect(failed.code, failed.output).not.toBe(0);
    expect(failed.output).toMatch(
      /\[mandatory\]\s+exporters-read-upstream\s+\(pipelines:mage:Block: mage\/team orders\/save\)/,
    );
    expect(failed.output).toContain("mage/team orders/save: a data exporter with no upstream block");

    declare(true);
    const passed = await preview();
    expect(passed.code, passed.output).toBe(0);
    expect(passed.output).not.toContain("exporters-read-upstream");
  }, 300_000);
});
