// The guardrails (provider/policy/rules.ts) on inputs as each kind registers them, and their configuration per
// stack. The pack run by a real `pulumi preview --policy-pack` against a real Mage is test/e2e/policy.test.ts.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { minutesBetweenRuns } from "../../provider/declarations/cron";
import { STACK_POLICY_KEY, stackPolicyConfig } from "../../provider/policy/pack";
import { ALLOW_ENV, allowedRules, type GuardedResource, RULES, settingsOf } from "../../provider/policy/rules";
import { kind as felderaPipeline } from "../../provider/resources/feldera/pipeline";
import { kindCalls } from "../../provider/resources/kindCalls";

const ruleOf = (id: string) => RULES.find((r) => r.id === id)!;
const check = (id: string, resource: GuardedResource, settings: Record<string, unknown> = {}, stack = "dev") =>
  ruleOf(id).check(resource, settingsOf(ruleOf(id), settings), stack);
const schedule = (inputs: Record<string, unknown>): GuardedResource => ({
  type: "mage:Schedule",
  name: "mage/orders/hourly",
  inputs: { name: "hourly", pipeline: "orders", type: "time", ...inputs },
});
const pipeline = (inputs: Record<string, unknown>): GuardedResource => ({
  type: "mage:Pipeline",
  name: "mage/orders",
  inputs: { target: "mage", name: "orders", ...inputs },
});

describe("guardrails", () => {
  it("reads how often a Mage interval runs: presets, cron steps, ranges and lists", () => {
    expect(minutesBetweenRuns("@hourly")).toBe(60);
    expect(minutesBetweenRuns("@daily")).toBe(1440);
    expect(minutesBetweenRuns("@once")).toBeUndefined();
    expect(minutesBetweenRuns("* * * * *")).toBe(1);
    expect(minutesBetweenRuns("*/5 * * * *")).toBe(5);
    expect(minutesBetweenRuns("0,30 * * * *")).toBe(30);
    expect(minutesBetweenRuns("0 9-17 * * 1-5")).toBe(60);
    expect(minutesBetweenRuns("15 2 * * *")).toBe(1440);
    expect(minutesBetweenRuns("10-20/5 3 * * *")).toBe(5);
    expect(minutesBetweenRuns("*/20 8 * * mon-fri")).toBe(20);
    expect(minutesBetweenRuns("@always_on")).toBe(0);
    expect(minutesBetweenRuns("not a cron")).toBeUndefined();
    expect(minutesBetweenRuns("61 * * * *")).toBeUndefined();
  });

  it("schedule-interval: a time trigger more often than the allowed period is refused, named with both", () => {
    expect(check("schedule-interval", schedule({ interval: "*/5 * * * *" }))).toEqual([
      "interval '*/5 * * * *' runs every 5 minute(s); the least allowed is 15",
    ]);
    expect(check("schedule-interval", schedule({ interval: "@hourly" }))).toEqual([]);
    expect(check("schedule-interval", schedule({ interval: "@hourly" }), { minimumMinutes: 120 })).toHaveLength(1);
    // Event and API triggers have no interval to judge.
    expect(check("schedule-interval", schedule({ type: "event", interval: undefined }))).toEqual([]);
  });

  it("always-on-stacks: an @always_on trigger only on the allowed stacks", () => {
    const on = schedule({ interval: "@always_on" });
    expect(check("always-on-stacks", on, {}, "dev")).toEqual([
      "an @always_on trigger on stack 'dev'; allowed on: prod",
    ]);
    expect(check("always-on-stacks", on, {}, "prod")).toEqual([]);
    expect(check("always-on-stacks", on, { stacks: ["dev"] }, "dev")).toEqual([]);
    expect(check("always-on-stacks", schedule({ interval: "@daily" }), {}, "dev")).toEqual([]);
  });

  it("mage-retries: a pipeline without retries is named", () => {
    expect(check("mage-retries", pipeline({}))).toEqual(["retryConfig.retries is not set; at least 1 required"]);
    expect(check("mage-retries", pipeline({ retryConfig: { retries: 2 } }))).toEqual([]);
    expect(check("mage-retries", pipeline({ retryConfig: { retries: 2 } }), { minimum: 3 })).toHaveLength(1);
  });

  it("secret-references: a credential written as a literal is refused; a reference, or a value not a credential, is not", () => {
    const literal = pipeline({ variables: { api_token: "abc123", region: "eu", password: { secret: "DB_PASSWORD" } } });
    expect(check("secret-references", literal)).toEqual([
      "variables.api_token is a literal value; write it as { secret: NAME }",
    ]);
    const felderaEnv: GuardedResource = {
      type: "feldera:Pipeline",
      name: "feldera/fraud",
      inputs: { name: "fraud", runtimeConfig: { env: { KAFKA_PASSWORD: "hunter2", LOG_LEVEL: "info" } } },
    };
    expect(check("secret-references", felderaEnv)).toEqual([
      "runtimeConfig.env.KAFKA_PASSWORD is a literal value; write it as { secret: NAME }",
    ]);
    const secret: GuardedResource = { type: "mage:Secret", name: "mage/token", inputs: { name: "token", value: "x" } };
    expect(check("secret-references", secret)).toEqual(["value is a literal value; write it as { secret: NAME }"]);
    expect(check("secret-references", { ...secret, inputs: { name: "token", value: { secret: "TOKEN" } } })).toEqual(
      [],
    );
  });

  it("feldera-storage-clear and feldera-stop: read the effects check() adds from the old and new inputs", async () => {
    const calls = kindCalls(felderaPipeline);
    const before = { target: "feldera", name: "fraud", blocks: [{ name: "t", sql: "CREATE TABLE t (x INT);" }] };
    /** The inputs a policy sees for `after`: what check() returns, as Pulumi hands them to an analyzer. */
    const checked = async (olds: Record<string, unknown> | undefined, after: Record<string, unknown>) => {
      const r = await calls.check(olds, after, {});
      expect(r.failures).toEqual([]);
      return { type: "feldera:Pipeline", name: "feldera/fraud", inputs: r.inputs } as GuardedResource;
    };
    const sql = await checked(before, { ...before, blocks: [{ name: "t", sql: "CREATE TABLE t (x BIGINT);" }] });
    expect(sql.inputs.updateEffects).toEqual(["stops"]);
    expect(check("feldera-stop", sql)[0]).toMatch(
      /^the update stops the running pipeline: update stops the pipeline \(force\).*; allow it with the pull request label 'allow:feldera-stop'/,
    );
    expect(check("feldera-storage-clear", sql)).toEqual([]);
    const workers = await checked(before, { ...before, runtimeConfig: { workers: 8 } });
    expect(workers.inputs.updateEffects).toEqual(["stops", "clears-storage"]);
    expect(check("feldera-storage-clear", workers)[0]).toContain("CLEARS ITS STORAGE (runtime_config.workers");
    // Allowed on the stack (pipelines:policy), or by a pull request's label (PIPELINES_POLICY_ALLOW).
    expect(check("feldera-storage-clear", workers, { allow: true })).toEqual([]);
    const rule = ruleOf("feldera-stop");
    const allowed = allowedRules({ [ALLOW_ENV]: "allow:feldera-stop, other" });
    expect(rule.check(workers, settingsOf(rule, {}, allowed), "dev")).toEqual([]);
    expect(check("feldera-storage-clear", workers, {}, "dev")).toHaveLength(1);
    // A pipeline declared stopped loses nothing running; a create, or a description, has no effect.
    const stopped = { ...before, desiredState: "stopped" };
    expect((await checked(stopped, { ...stopped, runtimeConfig: { workers: 8 } })).inputs.updateEffects).toEqual([
      "clears-storage",
    ]);
    expect((await checked(before, { ...before, desiredState: "stopped" })).inputs.updateEffects).toEqual(["stops"]);
    expect((await checked(undefined, before)).inputs.updateEffects).toBeUndefined();
    expect((await checked(before, { ...before, description: "x" })).inputs.updateEffects).toBeUndefined();
  });

  it("owner-tag and pipeline-names: configured per team", () => {
    expect(check("owner-tag", pipeline({ tags: ["etl"] }))).toEqual(["no 'owner:<team>' tag"]);
    expect(check("owner-tag", pipeline({ tags: ["owner:data"] }))).toEqual([]);
    expect(check("owner-tag", pipeline({ tags: ["team=data"] }), { prefix: "team=" })).toEqual([]);
    expect(check("pipeline-names", pipeline({ name: "Orders" }))).toEqual([
      "name 'Orders' does not match ^[a-z][a-z0-9_ -]*$",
    ]);
    expect(check("pipeline-names", pipeline({ name: "orders daily" }))).toEqual([]);
  });

  it("every rule has an id, a description, a default enforcement and a default for each setting", () => {
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    for (const r of RULES) {
      expect(r.description.length).toBeGreaterThan(10);
      expect(["mandatory", "advisory", "disabled"]).toContain(r.enforcement);
      for (const s of Object.values(r.settings)) expect(s.default).toBeDefined();
    }
  });
});

describe("the rules' configuration per stack", () => {
  const env = (policy: unknown) => ({ PULUMI_CONFIG: JSON.stringify({ [STACK_POLICY_KEY]: JSON.stringify(policy) }) });

  it("reads pipelines:policy from the stack config Pulumi hands the analyzer", () => {
    const config = { "mage-retries": "mandatory", "schedule-interval": { minimumMinutes: 60 } };
    expect(stackPolicyConfig(env(config))).toEqual(config);
    expect(stackPolicyConfig({})).toEqual({});
    expect(stackPolicyConfig({ PULUMI_CONFIG: "{}" })).toEqual({});
  });

  it("refuses a rule that does not exist, listing those that do", () => {
    expect(() => stackPolicyConfig(env({ "mage-retry": "mandatory" }))).toThrow(
      /pipelines:policy: no rule 'mage-retry'; the rules are schedule-interval, always-on-stacks, feldera-storage-clear, feldera-stop, mage-retries/,
    );
  });
});

describe("the guardrails page", () => {
  it("shows the example pack as it is in examples/policy, which the e2e test runs", () => {
    const root = path.resolve(__dirname, "..", "..");
    const page = fs.readFileSync(path.join(root, "docs", "guardrails.md"), "utf8");
    expect(page).toContain(fs.readFileSync(path.join(root, "examples", "policy", "index.ts"), "utf8"));
  });
});
