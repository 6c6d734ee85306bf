// Feature detection against the real server: a declaration using what the run's Mage lacks fails check() (the
// preview) with the field, the feature and the first version that has it, before any write; on a Mage that has
// it, check() passes. npm test runs it on the newest Mage, the version lane on the oldest too.
import { describe, expect, it } from "vitest";
import { MAGE_FEATURES, usesFeature } from "../../provider/backends/mage/features";
import { KINDS } from "../../provider/resources/kinds";
import { providerText } from "../../provider/resources/resourceClass";
import { mageAtLeast, mageTarget, mageVersion, testClient, uniqueName } from "../helpers/mage";
import { load, stackConfig } from "../helpers/serialized";

const blockProvider = providerText(KINDS["mage:Block"]);
const pipelineProvider = providerText(KINDS["mage:Pipeline"]);
const scheduleProvider = providerText(KINDS["mage:Schedule"]);

async function loaded(provider: string) {
  const handler = load(provider);
  await handler.configure!(stackConfig({ "pipelines:targets": { local: { engine: "mage", ...mageTarget() } } }));
  return handler;
}

const name = uniqueName("features");
/** A declaration of each kind that uses each versioned feature, by its field. */
const USES: Record<string, { provider: string; inputs: Record<string, unknown> }> = {
  concurrencyConfig: {
    provider: pipelineProvider,
    inputs: { target: "local", name, concurrencyConfig: { block_run_limit: 2 } },
  },
  "configuration.global_data_product.project": {
    provider: blockProvider,
    inputs: {
      target: "local",
      pipeline: name,
      name: "run_product",
      type: "global_data_product",
      configuration: { global_data_product: { uuid: "orders", project: "shared" } },
    },
  },
  rotateToken: {
    provider: scheduleProvider,
    inputs: { target: "local", pipeline: name, name: "hook", type: "api", rotateToken: "2026-12" },
  },
};

describe(`versioned features on Mage ${process.env.PULUMI_PIPELINES_MAGE_VERSION || "(npm test's)"}`, () => {
  const all = Object.values(MAGE_FEATURES).flat();

  it("every versioned feature has a declaration here that uses it", () => {
    expect(all.map((f) => f.field).sort()).toEqual(Object.keys(USES).sort());
    for (const f of all) expect(usesFeature(f, USES[f.field].inputs)).toBe(true);
  });

  it.each(all.map((f) => [f.field, f] as const))(
    "%s: refused before any write where Mage lacks it",
    async (field, f) => {
      const { provider, inputs } = USES[field];
      const r = await (await loaded(provider)).check!({}, inputs);
      if (mageAtLeast(f.since)) expect(r.failures).toBeUndefined();
      else
        expect(r.failures).toEqual([
          {
            property: field,
            reason: `${f.feature} needs Mage ${f.since} or newer; ${mageTarget().url} runs ${mageVersion()}`,
          },
        ]);
      const { pipelines } = await testClient().call<any>("GET", "/api/pipelines", { query: { _limit: "1000" } });
      expect(pipelines.filter((p: any) => p.name === name)).toEqual([]);
    },
  );
});
