// The same pipeline in TypeScript (examples/mage-etl/index.ts) and in YAML
// (examples/mage-etl/pipelines/orders-etl.yaml), and each other example with
// both forms, registers the same resources
// with the same inputs, as the provider sees them.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { normalizeFeldera } from "../../provider/backends/feldera/pipeline";
import { normalizeIonworks } from "../../provider/backends/ionworks/pipeline";
import { normalizeBlock } from "../../provider/backends/mage/block";
import { normalizePipeline } from "../../provider/backends/mage/pipeline";
import { normalizeSchedule } from "../../provider/backends/mage/schedule";
import { loadPaths } from "../../provider/declarations/loader";
import { declaredResources } from "../../provider/program/declaredResources";
import { register } from "../../provider/program/deploy";

const examples = path.join(__dirname, "..", "..", "examples");

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
        // Ids come from the declared name, so a reference resolves the same in both forms.
        return { id: `${args.inputs.name}-id`, state: { ...args.inputs, uuid: args.inputs.name } };
      },
      call: () => ({}),
    },
    "equivalence",
    "test",
    true,
  );
  await program();
  // Registrations resolve asynchronously; disconnect() returns once the SDK's RPC queue has drained.
  await pulumi.runtime.disconnect();
  return out;
}

/** What the provider diffs and stores: the normalised spec (defaults filled), plus codeFile. */
function asProviderSees(r: Registered) {
  const {
    __provider,
    uuid,
    scheduleId,
    runUrl,
    token,
    programStatus,
    deploymentStatus,
    storageStatus,
    programVersion,
    updatePlan,
    status,
    error,
    elementStatuses,
    result,
    configHash,
    ...inputs
  } = r.inputs;
  const engine = r.type.split(":")[1].split("/")[1];
  const target = inputs.target ?? engine;
  const kind = `${engine}.${r.type.split(":").pop()}`;
  if (engine === "ionworks")
    return {
      kind,
      target,
      ...normalizeIonworks(inputs as any),
      waitFor: inputs.waitFor,
      timeoutSeconds: inputs.timeoutSeconds,
    };
  if (engine === "feldera")
    return { kind, target, ...normalizeFeldera(inputs as any), compileTimeoutSeconds: inputs.compileTimeoutSeconds };
  if (kind === "mage.Pipeline") return { kind, target, ...normalizePipeline(inputs as any) };
  if (kind === "mage.Secret") return { kind, target, ...inputs, name: inputs.name as string };
  if (kind === "mage.Block") return { kind, target, ...normalizeBlock(inputs as any), codeFile: inputs.codeFile };
  return { kind, target, ...normalizeSchedule(inputs as any) };
}

function deployAll(loaded: ReturnType<typeof loadPaths>, root: string) {
  register(declaredResources(loaded.pipelines, root, loaded.secrets));
}

describe.each([
  ["mage-etl", 5, "clean_orders", "def clean_orders"],
  ["feldera-fraud", 1, "fraud-detection", "CREATE MATERIALIZED VIEW suspicious"],
  ["ionworks-fit", 2, "full-cell-from-fit", '"pipelineId":"cathode-ocp-fit-id"'],
  ["secrets", 5, "orders-stream", "CREATE MATERIALIZED VIEW order_totals"],
])("TypeScript ⇄ YAML: examples/%s", (name, count, probe, content) => {
  const example = path.join(examples, name);
  const cwd = process.cwd();
  // The values examples/secrets refers to, as the environment would give them at deploy time.
  const values = { WAREHOUSE_PASSWORD: "w-pass-1", ORDERS_API_TOKEN: "o-token-2", KAFKA_PASSWORD: "k-pass-3" };
  beforeAll(() => {
    process.chdir(example); // the TS program resolves code files against its project
    Object.assign(process.env, values);
  });
  afterAll(() => {
    process.chdir(cwd);
    for (const name of Object.keys(values)) delete process.env[name];
  });

  it("declare the same resources with the same inputs", async () => {
    const fromTs = await registered(() => import(path.join(example, "index.ts")));
    const loaded = loadPaths([path.join(example, "pipelines")]);
    expect(loaded.errors).toEqual([]);
    const fromYaml = await registered(() => deployAll(loaded, example));

    const key = (x: ReturnType<typeof asProviderSees>) => `${x.kind}:${x.name}`;
    const sorted = (rs: Registered[]) =>
      rs
        .filter((r) => r.type.startsWith("pulumi-nodejs:dynamic"))
        .map(asProviderSees)
        .sort((a, b) => key(a).localeCompare(key(b)));
    const ts = sorted(fromTs);
    expect(ts).toHaveLength(count);
    expect(sorted(fromYaml)).toEqual(ts);
    // The code really came from the files, not from a placeholder.
    expect(JSON.stringify(ts.find((r) => r.name === probe))).toContain(content);
  });
});
