// One declaration, two environments: the GitOps program (root Pulumi.yaml) deploys test/e2e/programs/environments
// as stack dev, then as stack prod, through the real CLI; after each, Mage is read directly and holds that stack's
// values (the trigger paused with the dev bucket in dev, on schedule with the prod bucket in prod), and the next
// preview changes nothing.
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { configureMage, testClient } from "../helpers/mage";
import { createStack, ops } from "../helpers/pulumi";

const root = path.join(__dirname, "..", "..");
const declarations = path.relative(root, path.join(__dirname, "programs", "environments", "pipelines"));
const UUID = "environments_orders";

/** The pipeline and its triggers, as Mage holds them. */
async function onMage(): Promise<{ pipeline: any; triggers: any[] }> {
  const mage = testClient();
  const { pipeline } = await mage.call<any>("GET", `/api/pipelines/${UUID}`);
  const { pipeline_schedules } = await mage.call<any>("GET", `/api/pipelines/${UUID}/pipeline_schedules`, {
    query: { _limit: "1000" },
  });
  return { pipeline, triggers: pipeline_schedules };
}

describe("environments: one declaration, deployed per stack", () => {
  it.each([
    {
      stack: "dev",
      description: "the same pipeline in every environment",
      variables: { bucket: "s3://orders-dev", batch_size: 100 },
      trigger: { status: "inactive", schedule_interval: "@hourly" },
    },
    {
      stack: "prod",
      description: "production",
      variables: { bucket: "s3://orders-prod", batch_size: 100 },
      trigger: { status: "active", schedule_interval: "0 2 * * *" },
    },
  ])(
    "stack $stack gets its own values on the server",
    async ({ stack: name, description, variables, trigger }) => {
      const stack = await createStack(root, {}, name);
      try {
        await stack.config("pipelines:path", declarations);
        await configureMage(stack);
        const up = await stack.up();
        expect(up.code, up.stdout + up.stderr).toBe(0);
        const { pipeline, triggers } = await onMage();
        expect({ description: pipeline.description, variables: pipeline.variables }).toEqual({
          description,
          variables,
        });
        expect(
          triggers.map((t) => ({ name: t.name, status: t.status, schedule_interval: t.schedule_interval })),
        ).toEqual([{ name: "nightly", ...trigger }]);
        expect(ops(await stack.preview())).toEqual({ same: 3 });
        expect((await stack.destroy()).code).toBe(0);
        const gone = await testClient()
          .call<any>("GET", `/api/pipelines/${UUID}`)
          .catch((e) => e);
        expect(gone).toBeInstanceOf(Error);
      } finally {
        await stack.remove();
      }
    },
    300_000,
  );
});
