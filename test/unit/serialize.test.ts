// What goes into state as __provider: small, credential-free, and loadable
// the way the dynamic-provider host loads it.
import { describe, expect, it } from "vitest";
import { normalizeFeldera } from "../../provider/backends/feldera/pipeline";
import { normalizeIonworks } from "../../provider/backends/ionworks/pipeline";
import { normalizeBlock } from "../../provider/backends/mage/block";
import { normalizePipeline } from "../../provider/backends/mage/pipeline";
import { normalizeSchedule } from "../../provider/backends/mage/schedule";
import { provider as felderaProvider } from "../../provider/resources/feldera/pipeline";
import { provider as ionworksProvider } from "../../provider/resources/ionworks/pipeline";
import { provider as blockProvider } from "../../provider/resources/mage/block";
import { provider as pipelineProvider } from "../../provider/resources/mage/pipeline";
import { provider as scheduleProvider } from "../../provider/resources/mage/schedule";
import { load, serialize, stackConfig } from "../helpers/serialized";

const pipeline = { name: "p" };
const block = { pipeline: "p", name: "b", type: "custom", code: "" } as const;
const schedule = { pipeline: "p", name: "s", type: "api" } as const;
const felderaPipeline = { name: "p", blocks: [{ name: "t", sql: "CREATE TABLE t (x INT);" }] };
const ionworksPipeline = { name: "p", blocks: [{ name: "e", type: "entry" as const, config: { values: { a: 1 } } }] };

describe.each([
  ["Pipeline", pipelineProvider, pipeline, normalizePipeline(pipeline)],
  ["Block", blockProvider, block, normalizeBlock(block)],
  ["Schedule", scheduleProvider, schedule, normalizeSchedule(schedule)],
  ["feldera Pipeline", felderaProvider, felderaPipeline, normalizeFeldera(felderaPipeline)],
  ["ionworks Pipeline", ionworksProvider, ionworksPipeline, normalizeIonworks(ionworksPipeline)],
])("serialized %s provider", (kind, provider, inputs, normalized) => {
  it("is a small delegate that carries no credential", async () => {
    process.env.MAGE_PASSWORD = "env-password-4711";
    const text = await serialize(provider);
    delete process.env.MAGE_PASSWORD;
    expect(text.length).toBeLessThan(4_000);
    expect(text).not.toContain("env-password-4711");
    expect(text).toMatch(/pulumi-pipelines\/runtime\/(mage|feldera|ionworks)\/\w+Provider/);
  });

  it("loads as the host loads it and answers check, diff and configure", async () => {
    const handler = load(await serialize(provider));
    await handler.configure!(
      stackConfig({
        "pipelines:mage": { url: "http://127.0.0.1:1", password: "cfg-secret-99" },
        "pipelines:feldera": { url: "http://127.0.0.1:1", apiKey: "cfg-secret-99" },
        "pipelines:ionworks": { url: "http://127.0.0.1:1", apiKey: "cfg-secret-99" },
      }),
    );
    expect((await handler.check!({}, inputs)).failures).toBeUndefined();
    const created = {
      target: kind.startsWith("feldera") ? "feldera" : kind.startsWith("ionworks") ? "ionworks" : "mage",
      ...normalized,
    };
    expect((await handler.diff!("id", created, inputs)).changes).toBe(false);
    // configure() kept the secret in the implementation's memory, not in the closure text.
    expect(await serialize(provider)).not.toContain("cfg-secret-99");
  });
});
