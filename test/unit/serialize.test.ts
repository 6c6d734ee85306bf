// What goes into state as __provider: small, credential-free, and loadable
// the way the dynamic-provider host loads it.
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { feldera, ionworks, mage } from "../../provider";
import { normalizeFeldera } from "../../provider/backends/feldera/pipeline";
import { normalizeIonworks } from "../../provider/backends/ionworks/pipeline";
import { normalizeBlock } from "../../provider/backends/mage/block";
import { normalizePipeline } from "../../provider/backends/mage/pipeline";
import { normalizeSchedule } from "../../provider/backends/mage/schedule";
import { KINDS } from "../../provider/resources/kinds";
import { providerText } from "../../provider/resources/resourceClass";
import { load, stackConfig } from "../helpers/serialized";

const FelderaPipeline = feldera.Pipeline;
const felderaProvider = providerText(KINDS["feldera:Pipeline"]);
const IonworksPipeline = ionworks.Pipeline;
const ionworksProvider = providerText(KINDS["ionworks:Pipeline"]);
const Block = mage.Block;
const blockProvider = providerText(KINDS["mage:Block"]);
const Pipeline = mage.Pipeline;
const pipelineProvider = providerText(KINDS["mage:Pipeline"]);
const Schedule = mage.Schedule;
const scheduleProvider = providerText(KINDS["mage:Schedule"]);
const Secret = mage.Secret;

const pipeline = { name: "p" };
const block = { pipeline: "p", name: "b", type: "custom", code: "" } as const;
const schedule = { pipeline: "p", name: "s", type: "api" } as const;
const felderaPipeline = { name: "p", blocks: [{ name: "t", sql: "CREATE TABLE t (x INT);" }] };
const ionworksPipeline = { name: "p", blocks: [{ name: "e", type: "entry" as const, config: { values: { a: 1 } } }] };

const classes: Record<string, new (name: string, args: any) => pulumi.CustomResource> = {
  Pipeline,
  Block,
  Schedule,
  "feldera Pipeline": FelderaPipeline,
  "ionworks Pipeline": IonworksPipeline,
  Secret,
};

/** What state holds as each kind's `__provider`, character for character: these module paths are a stable interface. */
const TEXT = (id: string) =>
  `exports.handler = () => require("node:module").createRequire(process.cwd() + "/")("pulumi-pipelines/runtime/${id}").provider;\n`;

describe("the provider text in state", () => {
  it.each([
    ["Pipeline", "mage/pipelineProvider", pipeline],
    ["Block", "mage/blockProvider", block],
    ["Schedule", "mage/scheduleProvider", schedule],
    ["Secret", "mage/secretProvider", { name: "warehouse_password", value: { secret: "WAREHOUSE_PASSWORD" } }],
    ["feldera Pipeline", "feldera/pipelineProvider", felderaPipeline],
    ["ionworks Pipeline", "ionworks/pipelineProvider", ionworksPipeline],
  ])("%s registers exactly the delegate to %s, whatever credentials are about", async (kind, id, inputs) => {
    process.env.MAGE_PASSWORD = "env-password-4711";
    process.env.WAREHOUSE_PASSWORD = "warehouse-value-4712";
    try {
      expect(await registeredProvider(kind, inputs)).toBe(TEXT(id));
    } finally {
      delete process.env.MAGE_PASSWORD;
      delete process.env.WAREHOUSE_PASSWORD;
    }
  });
});

/** The `__provider` input a resource of `kind` registers (under Pulumi's mocks). */
function registeredProvider(kind: string, inputs: object): Promise<string> {
  return new Promise((resolve) => {
    pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          resolve(args.inputs.__provider);
          return { id: "id", state: args.inputs };
        },
        call: () => ({}),
      },
      "serialize",
      "test",
      false,
    );
    new classes[kind](`r-${kind.replace(" ", "-")}`, { ...inputs });
  });
}

describe.each([
  ["Pipeline", pipelineProvider, pipeline, normalizePipeline(pipeline)],
  ["Block", blockProvider, block, normalizeBlock(block)],
  ["Schedule", scheduleProvider, schedule, normalizeSchedule(schedule)],
  ["feldera Pipeline", felderaProvider, felderaPipeline, normalizeFeldera(felderaPipeline)],
  ["ionworks Pipeline", ionworksProvider, ionworksPipeline, normalizeIonworks(ionworksPipeline)],
])("serialized %s provider", (kind, provider, inputs, normalized) => {
  it("is the text the resource registers", async () => {
    expect(await registeredProvider(kind, inputs)).toBe(provider);
  });

  it("loads as the host loads it and answers check, diff and configure", async () => {
    const handler = load(provider);
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
    expect(await registeredProvider(kind, inputs)).not.toContain("cfg-secret-99");
  });
});
