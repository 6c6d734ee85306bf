// `pulumi-pipelines migrate` moves a GitOps stack between the resource
// families in place: a stack deployed on dynamic resources moves to the
// plugin and back, through the real CLI and the run's Mage behind a recording
// proxy, on a file backend, on PostgreSQL and on S3 (S3Proxy). No request reaches Mage while it moves, the preview after each move
// shows no change, the state keeps its secrets encrypted, the old state is
// kept, and the objects on Mage are never touched.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { EXIT } from "../../provider/cli/args";
import { startPostgres } from "../../provider/cli/postgres";
import { type RecordingProxy, startRecordingProxy } from "../fakes/recordingProxy";
import { pluginGitopsProject, useProgram } from "../helpers/gitopsProject";
import { configureMage, mageTarget, testClient } from "../helpers/mage";
import { createStack, ops, type TestStack } from "../helpers/pulumi";
import { startS3 } from "../helpers/s3";
import { sh } from "../helpers/spawn";
import { until } from "../helpers/until";

const CLI = path.resolve(__dirname, "..", "..", "dist", "provider", "cli", "main.js");
const TOKEN = "migrate-token-5517";
const UUID = "migrate_orders";

const DECLARATION = `pipelines:
  - engine: mage
    target: mage
    name: migrate orders
    description: Moves between families
    variables:
      token: { secret: MIGRATE_TOKEN }
    blocks:
      - name: load
        type: data_loader
        codeFile: ../blocks/load.py
      - name: clean
        type: transformer
        code: "@transformer\\ndef clean(df, *a, **k):\\n    return df\\n"
        upstream: [load]
    schedules:
      - name: nightly
        type: time
        interval: "@daily"
        startTime: "2030-01-01T02:00:00Z"
`;

/** The state backends it is run on: a file backend, and PostgreSQL and S3 as a team shares state. */
const BACKENDS: [string, () => Promise<{ url?: string; env?: NodeJS.ProcessEnv; stop: () => Promise<void> }>][] = [
  ["a file backend", async () => ({ stop: async () => undefined })],
  ["PostgreSQL", startPostgres],
  ["S3 (S3Proxy)", startS3],
];

describe.each(BACKENDS)("migrate: a GitOps stack between the dynamic and plugin families, on %s", (_, backend) => {
  let state: Awaited<ReturnType<(typeof BACKENDS)[number][1]>>;
  let proxy: RecordingProxy;
  let stack: TestStack;
  let dir: string;

  const types = async () => (await stack.export()).deployment.resources.map((r: any) => r.type).sort();
  const pipeline = async () =>
    (await testClient().call<any>("GET", `/api/pipelines/${UUID}`, { query: { includes_content: "true" } })).pipeline;
  /** `pulumi-pipelines migrate --to <family>` in the project, as a user runs it, on this stack. */
  const migrate = async (to: string) => {
    const r = await sh("node", [CLI, "migrate", "--to", to, "--stack", stack.stack], dir, stack.cliEnv);
    // The stack setting it wrote (in the project's Pulumi.<stack>.yaml), carried to the test's own config file.
    const family = parse(fs.readFileSync(path.join(dir, `Pulumi.${stack.stack}.yaml`), "utf8")).config[
      "pipelines:family"
    ];
    await stack.config("pipelines:family", family);
    return r;
  };

  beforeAll(async () => {
    proxy = await startRecordingProxy(mageTarget().url);
    // The Node program, which runs either family: the stack starts on dynamic resources.
    dir = pluginGitopsProject(undefined, "node");
    fs.mkdirSync(path.join(dir, "pipelines"));
    fs.mkdirSync(path.join(dir, "blocks"));
    fs.writeFileSync(path.join(dir, "pipelines", "orders.yaml"), DECLARATION);
    fs.writeFileSync(path.join(dir, "blocks", "load.py"), "@data_loader\ndef load(*a, **k):\n    return [1]\n");
    state = await backend();
    stack = await createStack(dir, { ...(state.url ? { PULUMI_BACKEND_URL: state.url } : {}), ...state.env });
    await configureMage(stack, proxy.url);
    await stack.config("pipelines:secrets.MIGRATE_TOKEN", TOKEN, { path: true, secret: true });
    // Made as a repository did before the plugin: dynamic resources.
    await stack.config("pipelines:family", "dynamic");
  }, 120_000);

  afterAll(async () => {
    await stack?.destroy().catch(() => undefined);
    await stack?.remove();
    await proxy?.close();
    await state?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("deploys on dynamic resources", async () => {
    const r = await stack.up();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect((await types()).filter((t: string) => t.includes("mage"))).toEqual([
      "pulumi-nodejs:dynamic/mage:Block",
      "pulumi-nodejs:dynamic/mage:Block",
      "pulumi-nodejs:dynamic/mage:Pipeline",
      "pulumi-nodejs:dynamic/mage:Schedule",
    ]);
    expect((await pipeline()).variables.token).toBe(TOKEN);
  }, 300_000);

  for (const [from, to, prefix] of [
    ["dynamic", "plugin", "pipelines:mage:"],
    ["plugin", "dynamic", "pulumi-nodejs:dynamic/mage:"],
  ] as const)
    it(`moves from ${from} to ${to}: no request to Mage, the old state kept, and the next preview shows no change`, async () => {
      const before = await stack.export();
      const onMage = await pipeline();
      proxy.reset();
      // A project on the compiled program (the plugin family's) is told to go back to the Node program.
      if (to === "dynamic") useProgram(dir, "compiled");
      const r = await migrate(to);
      expect(r.code, r.output).toBe(0);
      expect(r.output).toMatch(new RegExp(`4 resource\\(s\\) moved to the ${to} family`));
      expect(r.output.includes("Pulumi.yaml runs the compiled program")).toBe(to === "dynamic");
      useProgram(dir, "node");
      const backup = /The state before: (\S+) /.exec(r.output)?.[1];
      expect(JSON.parse(fs.readFileSync(backup!, "utf8"))).toEqual(before);

      const after = await stack.export();
      const ours = after.deployment.resources.filter((x: any) => x.type.includes("mage:"));
      expect(ours.map((x: any) => x.type).every((t: string) => t.startsWith(prefix))).toBe(true);
      expect(ours.map((x: any) => x.id).sort()).toEqual(
        before.deployment.resources
          .filter((x: any) => x.type.includes("mage:"))
          .map((x: any) => x.id)
          .sort(),
      );
      // Secrets stay ciphertexts: the value is nowhere, its encrypted form is.
      const text = JSON.stringify(after);
      expect(text).not.toContain(TOKEN);
      expect(text).toContain("ciphertext");

      expect(ops(await stack.preview())).toEqual({ same: 4 });
      if (to === "plugin") {
        // Then the program init writes for the plugin family: the same resources, so no change either.
        useProgram(dir, "compiled");
        expect(ops(await stack.preview())).toEqual({ same: 4 });
        useProgram(dir, "node");
      }
      expect(proxy.requests).toEqual([]);
      expect(await pipeline()).toEqual(onMage);
    }, 300_000);

  it("refuses a stack another update holds locked, changing nothing; the update then ends as it would", async () => {
    const before = await stack.export();
    const config = fs.readFileSync(path.join(dir, `Pulumi.${stack.stack}.yaml`), "utf8");
    // A refresh that holds the stack's lock: Mage's answers are held back until migrate has run.
    proxy.reset();
    const release = proxy.hold();
    const refresh = stack.start(["refresh", "--yes", "--skip-preview"]);
    try {
      await until("the refresh to reach Mage, holding the lock", () => proxy.requests.length > 0, 120_000);
      const r = await sh("node", [CLI, "migrate", "--to", "plugin", "--stack", stack.stack], dir, stack.cliEnv);
      expect(r.code, r.output).toBe(EXIT.failed);
      expect(r.output).toContain("the stack is currently locked by 1 lock(s)");
    } finally {
      release();
    }
    expect(await refresh.exited, refresh.output()).toBe(0);
    expect(fs.readFileSync(path.join(dir, `Pulumi.${stack.stack}.yaml`), "utf8")).toBe(config);
    // Still the dynamic family (the refresh may add the default provider the move left for the engine to fill).
    const ours = (state: any) =>
      state.deployment.resources.map((x: any) => x.type).filter((t: string) => t.includes("mage:"));
    expect(ours(await stack.export())).toEqual(ours(before));
    expect(ours(before).every((t: string) => t.startsWith("pulumi-nodejs:dynamic/"))).toBe(true);
  }, 300_000);

  it("refuses a family that does not exist, changing nothing", async () => {
    const before = await stack.export();
    const r = await sh("node", [CLI, "migrate", "--to", "native", "--stack", stack.stack], dir, stack.cliEnv);
    expect(r.code).toBe(EXIT.usage);
    expect(r.output).toContain("--to: plugin or dynamic (got 'native')");
    expect(await stack.export()).toEqual(before);
  }, 60_000);
});
