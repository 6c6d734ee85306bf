// One stack on a team's shared state backend (Pulumi's PostgreSQL backend, a
// real PostgreSQL), as CI jobs use it:
// - two `pulumi up` at once (a deploy still running when the next starts): the
//   second fails with Pulumi's lock message, a preview alongside (as a pull
//   request's) reads without waiting, and the first finishes with whole state;
// - an `up` killed with SIGKILL mid-way (a runner lost): its lock stays in the
//   database and stops every update with that message until `pulumi cancel`;
//   then refresh and up converge with nothing on Mage made twice.
// Mage is read through its own API; the backend's rows through psql.
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PostgresSandbox, startPostgres } from "../../provider/cli/postgres";
import { configureMage, pipelinesNamed, scaleShape, triggersOf, uniqueName } from "../helpers/mage";
import { createStack, ops, type TestStack } from "../helpers/pulumi";
import { until } from "../helpers/until";

const program = path.join(__dirname, "programs", "scale");
const LOCKED =
  /the stack is currently locked by 1 lock\(s\)\. Either wait for the other process\(es\) to end or delete the lock file with `pulumi cancel`\./;

describe("a stack on the PostgreSQL state backend", () => {
  let postgres: PostgresSandbox;
  let stack: TestStack;
  const prefix = uniqueName("shared").replace(/ /g, "-");
  const ours = () => pipelinesNamed(prefix);
  const triggers = () => triggersOf(prefix);
  /** The backend's rows: Pulumi keeps each file of its state as one row keyed by path. */
  const rows = async (like: string) =>
    (await postgres.sql(`SELECT key FROM pulumi_state WHERE key LIKE '${like}' ORDER BY key`))
      .split("\n")
      .filter(Boolean);

  beforeAll(async () => {
    postgres = await startPostgres();
    stack = await createStack(program, { PULUMI_BACKEND_URL: postgres.url, PULUMI_CONFIG_PASSPHRASE: "team" });
    await stack.config("e2e:engine", "mage");
    await stack.config("e2e:n", "5");
    await stack.config("e2e:prefix", prefix);
    await configureMage(stack);
  }, 120_000);

  afterAll(async () => {
    await stack?.run(["cancel", "--yes"]);
    await stack?.run(["destroy", "--yes", "--skip-preview"]);
    await stack?.remove();
    await postgres?.stop();
  }, 300_000);

  /** The state is whole: 30 resources, 5 pipelines of 4 blocks and a trigger each, and no lock left. */
  async function converged() {
    expect(ops(await stack.preview())).toEqual({ same: 30 });
    expect(await scaleShape(prefix)).toEqual({ blocks: [4, 4, 4, 4, 4], triggers: Array(5).fill("hourly") });
    expect(await rows("%/locks/%")).toEqual([]);
  }

  it("keeps the stack in the database, not on this machine", async () => {
    // Keys are <database>/.pulumi/…, as in a bucket.
    expect(await rows("%/.pulumi/stacks/%")).toEqual(
      expect.arrayContaining([`${postgres.database}/.pulumi/stacks/scale/e2e.json`]),
    );
  });

  it("two ups at once: the second fails with the lock message, a preview reads alongside, the first completes", async () => {
    const first = stack.start(["up", "--yes", "--skip-preview"]);
    await until("the first up to be creating", () => / created \(/.test(first.output()), 120_000);
    expect(await rows("%/locks/%")).toHaveLength(1);

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
    expect(await rows("%/locks/%")).toHaveLength(1);

    const cancel = await stack.run(["cancel", "--yes"]);
    expect(cancel.code, cancel.stdout + cancel.stderr).toBe(0);
    expect(await rows("%/locks/%")).toEqual([]);
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
