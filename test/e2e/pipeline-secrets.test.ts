// Secrets that pipelines use (issue: credentials in declarations), through
// the real CLI: examples/secrets (Mage variables, block configuration, trigger
// variables, Mage's secrets store, a Feldera connector in SQL and its process
// environment) plus an Ionworks element. The servers get the values; state,
// previews, reviews, exports, errors and the transcript keep references.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../../provider/cli/process";
import { type FelderaEmulator, startFelderaEmulator } from "../fakes/feldera/emulator";
import { type IonworksEmulator, startIonworksEmulator } from "../fakes/ionworks/emulator";
import { filesUnder } from "../helpers/files";
import { configureMage, mageSecretValue, testClient } from "../helpers/mage";
import { createStack, ops, type TestStack } from "../helpers/pulumi";

const root = path.join(__dirname, "..", "..");
const cli = path.join(root, "dist", "provider", "cli", "main.js");
const SECRETS = {
  WAREHOUSE_PASSWORD: "wh-Pa55word/7781+x",
  KAFKA_PASSWORD: "kafka-s3cret-9921",
  ORDERS_API_TOKEN: "tok_live_4f9a2b7c1d", // from the environment, not stack config
  RUN_NOTES: "iw-notes-secret-5530",
};
const ROTATED_KAFKA = "kafka-rotated-4410";
const DRIFTED = "typed-into-the-ui-0077";
const IONWORKS_KEY = "iw-key-secrets-test";

/** Every way a value could be written down: as is, base64, URL-encoded, JSON-escaped. */
function spellings(value: string): string[] {
  return [
    value,
    Buffer.from(value).toString("base64"),
    Buffer.from(value).toString("base64url"),
    encodeURIComponent(value),
    JSON.stringify(value).slice(1, -1),
  ];
}

describe("secrets used by pipelines", () => {
  let feldera: FelderaEmulator;
  let ionworks: IonworksEmulator;
  let stack: TestStack;
  const project = fs.mkdtempSync(path.join(os.tmpdir(), "pp-secrets-"));
  const transcript: string[] = [];
  const mage = testClient();
  const record = <R extends { stdout: string; stderr: string }>(r: R): R => {
    transcript.push(r.stdout, r.stderr);
    return r;
  };

  beforeAll(async () => {
    feldera = await startFelderaEmulator({ stepMs: 5 });
    ionworks = await startIonworksEmulator({ apiKey: IONWORKS_KEY, autoAdvanceMs: 5 });
    fs.cpSync(path.join(root, "examples", "secrets"), project, { recursive: true });
    fs.writeFileSync(
      path.join(project, "pipelines", "run.yaml"),
      [
        "pipelines:",
        "  - engine: ionworks",
        "    target: ionworks",
        "    name: secrets run",
        "    blocks:",
        "      - name: known",
        "        type: entry",
        '        config: { values: { "Ambient temperature [K]": 298.15 }, source: { secret: RUN_NOTES } }',
        "",
      ].join("\n"),
    );
    stack = await createStack(root, { ORDERS_API_TOKEN: SECRETS.ORDERS_API_TOKEN, PULUMI_PIPELINES_POLL_MS: "20" });
    await configureMage(stack);
    await stack.config("pipelines:path", path.join(project, "pipelines"));
    await stack.config("pipelines:feldera.url", feldera.url, { path: true });
    await stack.config("pipelines:ionworks.url", ionworks.url, { path: true });
    await stack.config("pipelines:ionworks.project", ionworks.projectId, { path: true });
    await stack.config("pipelines:ionworks.apiKey", IONWORKS_KEY, { path: true, secret: true });
    for (const name of ["WAREHOUSE_PASSWORD", "KAFKA_PASSWORD", "RUN_NOTES"] as const)
      await stack.config(`pipelines:secrets.${name}`, SECRETS[name], { path: true, secret: true });
  }, 180_000);

  afterAll(async () => {
    if (stack) record(await stack.run(["destroy", "--yes", "--skip-preview"]));
    await stack?.remove();
    await feldera?.close();
    await ionworks?.close();
    fs.rmSync(project, { recursive: true, force: true });
  });

  /** The preview's change summary; on a surprise, the assertion says what the preview would change. */
  const expectOps = async (expected: Record<string, number>) => {
    const got = ops(await stack.preview());
    if (JSON.stringify(got) !== JSON.stringify(expected)) {
      const diff = await stack.run(["preview", "--diff"]);
      expect(got, diff.stdout + diff.stderr).toEqual(expected);
    }
  };
  const magePipeline = async () =>
    (await mage.call<any>("GET", "/api/pipelines/warehouse_sync", { query: { includes_content: "true" } })).pipeline;
  const mageTrigger = async () =>
    (await mage.call<any>("GET", "/api/pipelines/warehouse_sync/pipeline_schedules")).pipeline_schedules[0];

  it("up gives each server the values, read back from the servers themselves", async () => {
    const up = record(await stack.up());
    expect(up.code, up.stdout + up.stderr).toBe(0);

    const pipeline = await magePipeline();
    expect(pipeline.variables).toEqual({ warehouse_user: "etl", orders_api_token: SECRETS.ORDERS_API_TOKEN });
    expect(pipeline.blocks[0].configuration.orders_api).toEqual({
      url: "https://orders.example.com",
      token: SECRETS.ORDERS_API_TOKEN,
    });
    expect((await mageTrigger()).variables).toEqual({ orders_api_token: SECRETS.ORDERS_API_TOKEN });
    expect(await mageSecretValue("warehouse_password")).toBe(SECRETS.WAREHOUSE_PASSWORD);

    const stream = feldera.pipelines.get("orders-stream")!;
    expect(stream.program_code).toContain(`"sasl.password": "${SECRETS.KAFKA_PASSWORD}"`);
    expect(stream.program_code).not.toContain("${secret:");
    expect(stream.runtime_config.env).toEqual({ KAFKA_PASSWORD: SECRETS.KAFKA_PASSWORD });

    const [runEl] = [...ionworks.runs.values()].find((r) => r.name === "secrets run")!.elements;
    expect(runEl.job_config.source).toBe(SECRETS.RUN_NOTES);
  }, 300_000);

  it("state keeps references; preview and refresh see no change", async () => {
    const mageOut = await stack.outputs("mage/warehouse sync");
    expect(mageOut.variables).toEqual({ warehouse_user: "etl", orders_api_token: { secret: "ORDERS_API_TOKEN" } });
    const stream = await stack.outputs("feldera/orders-stream");
    expect(stream.blocks[0].sql).toContain('"sasl.password": "${secret:KAFKA_PASSWORD}"');
    expect(stream.runtimeConfig.env).toEqual({ KAFKA_PASSWORD: { secret: "KAFKA_PASSWORD" } });

    await expectOps({ same: 6 });
    record(await stack.refresh());
    await expectOps({ same: 6 });
  }, 240_000);

  it("a new value is a change the preview shows as [secret], and up applies it", async () => {
    await stack.config("pipelines:secrets.KAFKA_PASSWORD", ROTATED_KAFKA, { path: true, secret: true });
    const preview = record(await stack.run(["preview", "--diff"]));
    expect(preview.code, preview.stdout + preview.stderr).toBe(0);
    expect(preview.stdout).toMatch(/~ pulumi-nodejs:dynamic\/feldera:Pipeline: \(update\)/);
    // The plan knows the program changes, though state cannot show how.
    expect(preview.stdout).toMatch(/updatePlan\s*:\s*"update stops the pipeline \(force\), then recompiles/);
    expect(preview.stdout).toMatch(/secretDigests\s*:\s*\[secret\]/);
    const json = await stack.preview();
    expect(ops(json)).toEqual({ same: 5, update: 1 });
    fs.writeFileSync(path.join(project, "preview.json"), JSON.stringify(json));

    const up = record(await stack.up());
    expect(up.code, up.stdout + up.stderr).toBe(0);
    const stream = feldera.pipelines.get("orders-stream")!;
    expect(stream.program_code).toContain(`"sasl.password": "${ROTATED_KAFKA}"`);
    expect(stream.runtime_config.env).toEqual({ KAFKA_PASSWORD: ROTATED_KAFKA });
    await expectOps({ same: 6 });
  }, 300_000);

  it("a value changed on the server is drift refresh sees without storing it, and up puts the secret back", async () => {
    await mage.call("PUT", "/api/pipelines/warehouse_sync/variables/orders_api_token", {
      body: { variable: { name: "orders_api_token", value: DRIFTED } },
    });
    expect((await magePipeline()).variables.orders_api_token).toBe(DRIFTED);
    record(await stack.refresh());
    expect((await stack.outputs("mage/warehouse sync")).variables.orders_api_token).toEqual({
      secret: "ORDERS_API_TOKEN",
      drift: true,
    });
    expect(JSON.stringify(await stack.export())).not.toContain(DRIFTED);
    await expectOps({ same: 5, update: 1 });
    const up = record(await stack.up());
    expect(up.code, up.stdout + up.stderr).toBe(0);
    expect((await magePipeline()).variables.orders_api_token).toBe(SECRETS.ORDERS_API_TOKEN);
    await expectOps({ same: 6 });
  }, 300_000);

  it("a secret that cannot be resolved fails the preview at its file and line, naming it", async () => {
    await stack.must(["config", "rm", "--path", "pipelines:secrets.WAREHOUSE_PASSWORD"]);
    try {
      const r = record(await stack.run(["preview"]));
      expect(r.code).not.toBe(0);
      expect(r.stdout + r.stderr).toContain(
        "secrets.yaml:12:12: value: secret 'WAREHOUSE_PASSWORD' is not set: pulumi config set --secret --path 'pipelines:secrets.WAREHOUSE_PASSWORD' …, or set the WAREHOUSE_PASSWORD environment variable",
      );
    } finally {
      await stack.config("pipelines:secrets.WAREHOUSE_PASSWORD", SECRETS.WAREHOUSE_PASSWORD, {
        path: true,
        secret: true,
      });
    }
  }, 120_000);

  it("reviews and exports hold references", async () => {
    const preview = path.join(project, "preview.json");
    for (const format of ["markdown", "text", "json"]) {
      const review = await run("node", [cli, "diff", "--preview", preview, "--format", format], { cwd: root });
      transcript.push(review);
      expect(review).toContain("orders-stream");
    }
    const env = { ...stack.cliEnv, MAGE_URL: "", FELDERA_HOST: "" };
    const exportTo = (out: string, engine: string, ...more: string[]) => exportWith(env, out, engine, ...more);
    const exportWith = (withEnv: NodeJS.ProcessEnv, out: string, engine: string, ...more: string[]) =>
      run(
        "sh",
        [
          "-c",
          '"$0" "$@" 2>&1',
          "node",
          cli,
          "export",
          ...["--stack", stack.stack, "--config-file", stack.configFile, "--target", engine, ...more, "--out", out],
        ],
        { cwd: root, env: withEnv },
      );

    // The token comes from the environment, as deploy took it: the state names { secret: ORDERS_API_TOKEN } at
    // that place, so export resolves that name as deploy does (config, then environment) and writes the reference.
    const fromEnv = path.join(project, "export-from-env");
    const viaEnv = await exportTo(fromEnv, "mage", "--pipeline", "warehouse sync");
    transcript.push(viaEnv);
    expect(viaEnv).not.toContain("looks like a credential");
    expect(viaEnv).not.toContain(SECRETS.ORDERS_API_TOKEN);
    const writtenFromEnv = filesUnder(fromEnv)
      .map((f) => fs.readFileSync(f, "utf8"))
      .join("\n");
    transcript.push(writtenFromEnv);
    expect(writtenFromEnv).toMatch(/orders_api_token:\s+secret: ORDERS_API_TOKEN/);

    // Without the variable, the name cannot be resolved: both warnings, never the value.
    const unknown = await exportWith(
      { ...env, ORDERS_API_TOKEN: "" },
      path.join(project, "export-unmapped"),
      "mage",
      "--pipeline",
      "warehouse sync",
    );
    transcript.push(unknown.replace(/^[^\n]*$/gm, (l) => (l.startsWith("warning:") ? l : "")));
    expect(unknown).toContain(
      "warning: the stack's state references secret ORDERS_API_TOKEN, which cannot be resolved here (secret 'ORDERS_API_TOKEN' is not set:",
    );
    expect(unknown).toContain(
      "warning: pipelines/warehouse_sync.yaml: variables.orders_api_token looks like a credential that is no secret of the stack; declare it as { secret: NAME } and set pipelines:secrets.NAME",
    );
    expect(unknown).not.toContain(SECRETS.ORDERS_API_TOKEN);

    await stack.config("pipelines:secrets.ORDERS_API_TOKEN", SECRETS.ORDERS_API_TOKEN, { path: true, secret: true });
    const out = path.join(project, "export");
    transcript.push(
      await exportTo(out, "mage", "--pipeline", "warehouse sync"),
      await exportTo(out, "feldera"),
      await exportTo(out, "ionworks"),
    );
    const exported = filesUnder(out).map((f) => fs.readFileSync(f, "utf8"));
    transcript.push(...exported);
    const all = exported.join("\n");
    expect(all).toMatch(/orders_api_token:\s+secret: ORDERS_API_TOKEN/);
    expect(all).toMatch(/token:\s+secret: ORDERS_API_TOKEN/);
    expect(all).toMatch(/KAFKA_PASSWORD:\s+secret: KAFKA_PASSWORD/);
    expect(all).toContain('"sasl.password": "${secret:KAFKA_PASSWORD}"');
    expect(all).toMatch(/source:\s+secret: RUN_NOTES/);
    expect(all).not.toContain("looks like a credential");
  }, 240_000);

  it("no value appears in the transcript, the previews, the stack export, any state file or export", async () => {
    const haystacks: Record<string, string> = {
      transcript: transcript.join("\n"),
      previewJson: fs.readFileSync(path.join(project, "preview.json"), "utf8"),
      stackExport: JSON.stringify(await stack.export()),
      stateFiles: filesUnder(path.join(stack.stateDir, "backend"))
        .map((f) => fs.readFileSync(f).toString("latin1"))
        .join("\n"),
    };
    expect(haystacks.stateFiles.length).toBeGreaterThan(1000);
    for (const value of [...Object.values(SECRETS), ROTATED_KAFKA, DRIFTED])
      for (const spelling of spellings(value))
        for (const [where, text] of Object.entries(haystacks))
          expect(text.includes(spelling), `${value} (as ${spelling}) found in ${where}`).toBe(false);
  });

  it("decrypted, state holds the values only in the provider's configuration, as Pulumi keeps provider credentials", async () => {
    // Pulumi hands the stack's config to the provider; it stores that configuration in state, encrypted by the
    // stack's secrets provider. Every resource's inputs and outputs hold references only.
    const resources: any[] = (await stack.export(true)).deployment.resources;
    const holders = (value: string) =>
      resources.filter((r) => JSON.stringify(r).includes(value)).map((r) => String(r.type));
    // What the stack's config held at the last up (the Kafka password rotated since it was first set).
    for (const value of [SECRETS.WAREHOUSE_PASSWORD, ROTATED_KAFKA, SECRETS.RUN_NOTES])
      expect(new Set(holders(value)), value).toEqual(new Set(["pulumi:providers:pulumi-nodejs"]));
    // A value read from the environment, the replaced Kafka password and the one typed into the UI: nowhere.
    for (const value of [SECRETS.ORDERS_API_TOKEN, SECRETS.KAFKA_PASSWORD, DRIFTED])
      expect(holders(value), value).toEqual([]);
  });
});
