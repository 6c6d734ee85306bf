// The same pipeline in TypeScript (examples/mage-etl/index.ts) and in YAML
// (examples/mage-etl/pipelines/orders-etl.yaml) registers the same resources
// with the same inputs, as the provider sees them.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { normalizeBlock } from "../../provider/backends/mage/block";
import { normalizePipeline } from "../../provider/backends/mage/pipeline";
import { normalizeSchedule } from "../../provider/backends/mage/schedule";
import { loadPaths } from "../../provider/spec/loader";
import { deployMage } from "../../provider/program/mage";

const example = path.join(__dirname, "..", "..", "examples", "mage-etl");

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, any>;
}

/** Runs `program` under Pulumi's mocks and returns what it registered. */
async function registered(program: () => unknown): Promise<Registered[]> {
  const out: Registered[] = [];
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        out.push({ type: args.type, name: args.name, inputs: args.inputs });
        return { id: `${args.name}-id`, state: { ...args.inputs, uuid: args.inputs.name } };
      },
      call: () => ({}),
    },
    "equivalence",
    "test",
    true,
  );
  await program();
  await new Promise((r) => setTimeout(r, 500)); // let registrations settle
  return out;
}

/** What the provider diffs and stores: the normalised spec (defaults filled), plus codeFile. */
function asProviderSees(r: Registered) {
  const { __provider, uuid, scheduleId, runUrl, token, ...inputs } = r.inputs;
  const target = inputs.target ?? "mage";
  const kind = r.type.split(":").pop();
  if (kind === "Pipeline") return { kind, target, ...normalizePipeline(inputs as any) };
  if (kind === "Block") return { kind, target, ...normalizeBlock(inputs as any), codeFile: inputs.codeFile };
  return { kind, target, ...normalizeSchedule(inputs as any) };
}

describe("TypeScript ⇄ YAML (Mage)", () => {
  const cwd = process.cwd();
  beforeAll(() => process.chdir(example)); // the TS program resolves codeFile against its project
  afterAll(() => process.chdir(cwd));

  it("declare the same resources with the same inputs", async () => {
    const fromTs = await registered(() => import(path.join(example, "index.ts")));
    const loaded = loadPaths([path.join(example, "pipelines")]);
    expect(loaded.errors).toEqual([]);
    const fromYaml = await registered(() => {
      for (const p of loaded.pipelines) deployMage(p.decl, p.dir, example);
    });

    const key = (x: ReturnType<typeof asProviderSees>) => `${x.kind}:${x.name}`;
    const ts = fromTs.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic")).map(asProviderSees).sort((a, b) => key(a).localeCompare(key(b)));
    const yaml = fromYaml.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic")).map(asProviderSees).sort((a, b) => key(a).localeCompare(key(b)));
    expect(ts).toHaveLength(5);
    expect(yaml).toEqual(ts);
    // The code really came from the files, not from a placeholder.
    expect(yaml.find((r) => r.name === "clean_orders")).toMatchObject({ code: expect.stringContaining("def clean_orders") });
  });
});
