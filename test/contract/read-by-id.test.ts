// Feldera and Ionworks Pipelines through their serialized providers, against
// the emulators: create, then the import-verify step (a read by id alone gives
// a complete state that diffs as unchanged), as the Mage kinds do in
// provider-lifecycle.test.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KINDS } from "../../provider/resources/kinds";
import { providerText } from "../../provider/resources/resourceClass";
import { type FelderaEmulator, startFelderaEmulator } from "../fakes/feldera/emulator";
import { type IonworksEmulator, startIonworksEmulator } from "../fakes/ionworks/emulator";
import { readVerify } from "../helpers/readVerify";
import { load, stackConfig } from "../helpers/serialized";

const felderaProvider = providerText(KINDS["feldera:Pipeline"]);
const ionworksProvider = providerText(KINDS["ionworks:Pipeline"]);

const KEY = "apikey:read-by-id";
let feldera: FelderaEmulator;
let ionworks: IonworksEmulator;

async function loaded(provider: string, targets: Record<string, unknown>) {
  const handler = load(provider);
  await handler.configure!(stackConfig({ "pipelines:targets": targets }));
  return handler;
}

beforeAll(async () => {
  feldera = await startFelderaEmulator({ apiKey: KEY, stepMs: 5 });
  ionworks = await startIonworksEmulator({ apiKey: KEY, autoAdvanceMs: 5 });
  process.env.PULUMI_PIPELINES_POLL_MS = "10";
});

afterAll(async () => {
  delete process.env.PULUMI_PIPELINES_POLL_MS;
  await feldera?.close();
  await ionworks?.close();
});

describe("read by id alone", () => {
  it("feldera.Pipeline: the program split into its blocks, config as declared", async () => {
    const handler = await loaded(felderaProvider, { lake: { engine: "feldera", url: feldera.url, apiKey: KEY } });
    const declared = {
      target: "lake",
      name: "orders",
      description: "orders by minute",
      blocks: [
        { name: "tables", sql: "CREATE TABLE orders (id BIGINT, amount DECIMAL(10,2));" },
        { name: "views", sql: "CREATE MATERIALIZED VIEW big AS SELECT * FROM orders WHERE amount > 100;" },
      ],
      runtimeConfig: { workers: 2 },
      desiredState: "paused",
    };
    expect((await handler.check!({}, declared)).failures).toBeUndefined();
    const created = await handler.create(declared);
    await readVerify(handler, created.id, created.outs, declared);
    await handler.delete!(created.id, created.outs);
    expect(feldera.violations).toEqual([]);
  });

  it("ionworks.Pipeline: the run's stored elements, in order, as the blocks", async () => {
    const handler = await loaded(ionworksProvider, {
      lab: { engine: "ionworks", url: ionworks.url, apiKey: KEY, project: ionworks.projectId },
    });
    const declared = {
      target: "lab",
      name: "cathode fit",
      blocks: [
        { name: "known", type: "entry", config: { values: { "Ambient temperature [K]": 298.15 } } },
        {
          name: "check",
          type: "validation",
          config: { objectives: { ocp: { type: "MSMRHalfCell", data: "db:m-1" } }, summary_stats: [{ type: "RMSE" }] },
        },
      ],
      waitFor: "completed",
    };
    const created = await handler.create(declared);
    await readVerify(handler, created.id, created.outs, declared);
    await handler.delete!(created.id, created.outs);
  });
});
