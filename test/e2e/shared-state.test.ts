// One stack on a team's shared state backend, as CI jobs use it: Pulumi's
// PostgreSQL backend on a real PostgreSQL, and its s3:// backend on a real
// S3-compatible server (S3Proxy), each held to the same assertions:
// - two `pulumi up` at once (a deploy still running when the next starts): the
//   second fails with Pulumi's lock message, a preview alongside (as a pull
//   request's) reads without waiting, and the first finishes with whole state;
// - an `up` killed with SIGKILL mid-way (a runner lost): its lock stays in the
//   database and stops every update with that message until `pulumi cancel`;
//   then refresh and up converge with nothing on Mage made twice.
// Mage is read through its own API; the backend's objects (rows, or files of
// the bucket) directly.
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPostgres } from "../../provider/cli/postgres";
import { configureMage, pipelinesNamed, scaleShape, triggersOf, uniqueName } from "../helpers/mage";
import { createStack, ops, type TestStack } from "../helpers/pulumi";
import { startS3 } from "../helpers/s3";
import { sh } from "../helpers/spawn";
import { until } from "../helpers/until";

const program = path.join(__dirname, "programs", "scale");
const LOCKED =
  /the stack is currently locked by 1 lock\(s\)\. Either wait for the other process\(es\) to end or delete the lock file with `pulumi cancel`\./;

/** A state backend for a test: the URL the CLI logs in with, its environment, and the keys of what it holds. */
interface Backend {
  url: string;
  env: NodeJS.ProcessEnv;
  /** Where a stack's state lives in it (`<database or bucket>/.pulumi/stacks/scale/e2e.json`). */
  stackKey: string;
  /** Every key it holds (`<database or bucket>/.pulumi/…`). */
  keys(): Promise<string[]>;
  /** Other URLs of the same backend (the older form of an s3:// URL). */
  otherUrls: string[];
  stop(): Promise<void>;
}

async function postgresBackend(): Promise<Backend> {
  const postgres = await startPostgres();
  return {
    url: postgres.url,
    env: {},
    // Keys are <database>/.pulumi/…, as in a bucket.
    stackKey: `${postgres.database}/.pulumi/stacks/scale/e2e.json`,
    keys: async () => (await postgres.sql("SELECT key FROM pulumi_state ORDER BY key")).split("\n").filter(Boolean),
    otherUrls: [],
    stop: () => postgres.stop(),
  };
}

async function s3Backend(): Promise<Backend> {
  const s3 = await startS3();
  return {
    url: s3.url,
    env: s3.env,
    stackKey: `${s3.bucket}/.pulumi/stacks/scale/e2e.json`,
    keys: async () => s3.keys(),
    otherUrls: [s3.legacyUrl],
    stop: () => s3.stop(),
  };
}

describe.each([
  { backend: "PostgreSQL", start: postgresBackend },
  { backend: "S3 (S3Proxy)", start: s3Backend },
])("a stack on the $backend state backend", ({ start }) => {
  let backend: Backend;
  let stack: TestStack;
  const prefix = uniqueName("shared").replace(/ /g, "-");
  const ours = () => pipelinesNamed(prefix);
  const triggers = () => triggersOf(prefix);
  /** The backend's lock objects: Pulumi keeps one per update under way, beside the stack. */
  const locks = async () => (await backend.keys()).filter((k) => k.includes("/.pulumi/locks/"));

  beforeAll(async () => {
    backend = await start();
    stack = await createStack(program, {
      PULUMI_BACKEND_URL: backend.url,
      PULUMI_CONFIG_PASSPHRASE: "team",
      ...backend.env,
    });
    await stack.config("e2e:engine", "mage");
    await stack.config("e2e:n", "5");
    await stack.config("e2e:prefix", prefix);
    await configureMage(stack);
  }, 180_000);

  afterAll(async () => {
    await stack?.run(["cancel", "--yes"]);
    await stack?.run(["destroy", "--yes", "--skip-preview"]);
    await stack?.remove();
    await backend?.stop();
  }, 300_000);

  /** The state is whole: 30 resources, 5 pipelines of 4 blocks and a trigger each, and no lock left. */
  async function converged() {
    expect(ops(await stack.preview())).toEqual({ same: 30 });
    expect(await scaleShape(prefix)).toEqual({ blocks: [4, 4, 4, 4, 4], triggers: Array(5).fill("hourly") });
    expect(await locks()).toEqual([]);
  }

  it("keeps the stack in the backend, not on this machine", async () => {
    expect(await backend.keys()).toEqual(expect.arrayContaining([backend.stackKey]));
    // Every URL form of the backend reads the same stack (docs/ci.md gives both of an s3:// URL).
    for (const url of backend.otherUrls) {
      const env = { ...stack.cliEnv, PULUMI_BACKEND_URL: url };
      const listed = await sh("pulumi", ["stack", "ls", "--json"], program, env);
      expect(listed.code, listed.output).toBe(0);
      expect(JSON.parse(listed.stdout).map((s: { name: string }) => s.name)).toContain("e2e");
    }
  });

  it("two ups at once: the second fails with the lock message, a preview reads alongside, the first completes", async () => {
    const first = stack.start(["up", "--yes", "--skip-preview"]);
    await until("the first up to be creating", () => / created \(/.test(first.output()), 120_000);
    expect(await locks()).toHaveLength(1);

    const second = await stack.run(["up", "--yes", "--skip-preview"]);
    expect(second.code).not.toBe(0);
    expect(second.stdout + second.stderr).toMatch(LOCKED);
    const preview = await stack.run(["preview", "--json"]);
    expect(preview.code, preview.stderr).toBe(0);

    expect(await first.exited).toBe(0);
    await converged();
  }, 600_000);

  it("an up killed mid-way keeps its lock until pulumi cancel; then refresh and up converge, nothing made twice", async () => {
    await stack.destroy();
    expect(await ours()).toEqual([]);
    const run = stack.start(["up", "--yes", "--skip-preview"]);
    await until("12 creates", () => (run.output().match(/ created \(/g) ?? []).length >= 12, 120_000);
    run.kill();
    await run.exited;

    // What the next CI job sees.
    const blocked = await stack.run(["refresh", "--yes", "--skip-preview"]);
    expect(blocked.code).not.toBe(0);
    expect(blocked.stdout + blocked.stderr).toMatch(LOCKED);
    expect(await locks()).toHaveLength(1);

    const cancel = await stack.run(["cancel", "--yes"]);
    expect(cancel.code, cancel.stdout + cancel.stderr).toBe(0);
    expect(await locks()).toEqual([]);
    const refresh = await stack.run(["refresh", "--yes", "--skip-preview"]);
    expect(refresh.code, refresh.stdout + refresh.stderr).toBe(0);
    const up = await stack.up();
    expect(up.code, up.stdout + up.stderr).toBe(0);
    await converged();

    await stack.destroy();
    expect(await ours()).toEqual([]);
    expect(await triggers()).toEqual([]);
  }, 600_000);
});
