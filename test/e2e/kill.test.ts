// Interrupted runs: `pulumi up` killed with SIGKILL (CLI, language host and
// provider together) at 5 seeded points of a 30-resource Mage stack. Each
// time, `pulumi cancel` (releases the stack lock) + `refresh` + `up`
// converges: interrupted creates are recognised and taken over, nothing is
// created twice, and destroy leaves nothing behind.
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededRandom } from "../fakes/faultProxy";
import { removeTornSidecars, tearSidecar } from "../helpers/checkpoint";
import { configureMage, pipelinesNamed, scaleShape, triggersOf, uniqueName } from "../helpers/mage";
import { createStack, ops, type TestStack } from "../helpers/pulumi";
import { until } from "../helpers/until";

const program = path.join(__dirname, "programs", "scale");
const random = seededRandom(4242);
// Kill after this many "created" lines (of 30): five distinct points, seeded.
const KILL_POINTS = [...new Set(Array.from({ length: 40 }, () => 1 + Math.floor(random() * 27)))].slice(0, 5);

describe("SIGKILL during pulumi up, then refresh + up", () => {
  let stack: TestStack;
  const prefix = uniqueName("kill").replace(/ /g, "-");
  const ours = () => pipelinesNamed(prefix);
  const triggers = () => triggersOf(prefix);

  beforeAll(async () => {
    stack = await createStack(program);
    await stack.config("e2e:engine", "mage");
    await stack.config("e2e:n", "5");
    await stack.config("e2e:prefix", prefix);
    await configureMage(stack);
  }, 120_000);

  afterAll(() => stack?.remove());

  it("has five distinct kill points", () => expect(KILL_POINTS).toHaveLength(5));

  it("a checkpoint sidecar cut off mid-write fails every command, and the README's recovery mends it", async () => {
    const sidecar = tearSidecar(stack.stateDir, stack.stack);
    const broken = await stack.run(["refresh", "--yes", "--skip-preview"]);
    expect(broken.code).not.toBe(0);
    expect(broken.stderr).toContain("failed to load checkpoint: EOF");
    expect(removeTornSidecars(stack.stateDir)).toEqual([path.join("stacks", sidecar)]);
    const mended = await stack.run(["refresh", "--yes", "--skip-preview"]);
    expect(mended.code, mended.stdout + mended.stderr).toBe(0);
  });

  it.each(KILL_POINTS)(
    "killed after %i creates: converges, nothing duplicated or left over",
    async (point) => {
      try {
        await killedThenRecovered(point);
      } finally {
        await stack.run(["cancel", "--yes"]);
        await stack.run(["destroy", "--yes", "--skip-preview"]);
      }
    },
    300_000,
  );

  async function killedThenRecovered(point: number) {
    const run = stack.start(["up", "--yes", "--skip-preview"]);
    await until(`${point} creates`, () => (run.output().match(/ created \(/g) ?? []).length >= point, 120_000);
    run.kill();
    await run.exited;
    removeTornSidecars(stack.stateDir);

    // Releases the killed run's lock; with nothing to release it says so and changes nothing.
    const cancel = await stack.run(["cancel", "--yes"]);
    const refresh = await stack.run(["refresh", "--yes", "--skip-preview"]);
    expect(refresh.code, `cancel: ${cancel.stdout}${cancel.stderr}\nrefresh: ${refresh.stdout}${refresh.stderr}`).toBe(
      0,
    );
    const up = await stack.up();
    expect(up.code, up.stdout + up.stderr).toBe(0);
    expect(ops(await stack.preview())).toEqual({ same: 30 });

    expect(await scaleShape(prefix)).toEqual({ blocks: [4, 4, 4, 4, 4], triggers: Array(5).fill("hourly") });

    await stack.destroy();
    expect(await ours()).toEqual([]);
    expect(await triggers()).toEqual([]);
  }
});
