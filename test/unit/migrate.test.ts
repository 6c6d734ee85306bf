// The state rewrite of `pulumi-pipelines migrate` (provider/cli/migrate.ts), on exported deployments as the CLI
// writes them; the move through the real CLI, with Mage read back, is test/e2e/migrate.test.ts.
import { describe, expect, it } from "vitest";
import { type Deployment, migrateDeployment } from "../../provider/cli/migrate";

const STACK = "urn:pulumi:dev::repo::pulumi:pulumi:Stack::repo-dev";
const NODE_PROVIDER = "urn:pulumi:dev::repo::pulumi:providers:pulumi-nodejs::default";
const dynamicUrn = (type: string, name: string) => `urn:pulumi:dev::repo::pulumi-nodejs:dynamic/${type}::${name}`;

function dynamicState(): Deployment {
  const pipeline = dynamicUrn("mage:Pipeline", "mage/orders");
  return {
    version: 3,
    deployment: {
      resources: [
        { urn: STACK, type: "pulumi:pulumi:Stack", custom: false },
        { urn: NODE_PROVIDER, type: "pulumi:providers:pulumi-nodejs", custom: true, id: "p1" },
        {
          urn: pipeline,
          type: "pulumi-nodejs:dynamic/mage:Pipeline",
          custom: true,
          id: "orders",
          parent: STACK,
          provider: `${NODE_PROVIDER}::p1`,
          inputs: { __provider: "exports.handler = …", name: "orders" },
          outputs: { __provider: "exports.handler = …", name: "orders", uuid: "orders" },
        },
        {
          urn: dynamicUrn("mage:Block", "mage/orders/load"),
          type: "pulumi-nodejs:dynamic/mage:Block",
          custom: true,
          id: "orders/load",
          parent: STACK,
          provider: `${NODE_PROVIDER}::p1`,
          dependencies: [pipeline],
          propertyDependencies: { pipeline: [pipeline] },
          inputs: { __provider: "exports.handler = …", pipeline: "orders", name: "load" },
          outputs: { __provider: "exports.handler = …", pipeline: "orders", name: "load" },
        },
      ],
    },
  };
}

describe("migrate's state rewrite", () => {
  it("to the plugin: types, URNs and references follow, the provider text and the unused default provider go", () => {
    const { state, moved } = migrateDeployment(dynamicState(), "plugin");
    expect(moved).toBe(2);
    const [stack, pipeline, block, ...rest] = state.deployment.resources!;
    expect(rest).toEqual([]);
    expect(stack.urn).toBe(STACK);
    expect(pipeline).toMatchObject({
      urn: "urn:pulumi:dev::repo::pipelines:mage:Pipeline::mage/orders",
      type: "pipelines:mage:Pipeline",
      id: "orders",
      inputs: { name: "orders" },
    });
    expect(pipeline.provider).toBeUndefined();
    expect(pipeline.inputs).not.toHaveProperty("__provider");
    expect(block.dependencies).toEqual([pipeline.urn]);
    expect(block.propertyDependencies).toEqual({ pipeline: [pipeline.urn] });
  });

  it("and back: the same resources as before, each with the provider text of its kind", () => {
    const there = migrateDeployment(dynamicState(), "plugin").state;
    const { state, moved } = migrateDeployment(there, "dynamic");
    expect(moved).toBe(2);
    const [, pipeline, block] = state.deployment.resources!;
    expect(pipeline.urn).toBe(dynamicUrn("mage:Pipeline", "mage/orders"));
    expect(pipeline.inputs?.__provider).toContain("pulumi-pipelines/runtime/mage/pipelineProvider");
    expect(block.outputs?.__provider).toContain("pulumi-pipelines/runtime/mage/blockProvider");
    expect(block.dependencies).toEqual([pipeline.urn]);
  });

  it("leaves a stack already in the family as it is", () => {
    const state = dynamicState();
    expect(migrateDeployment(state, "dynamic")).toEqual({ state, moved: 0 });
  });

  it("refuses a stack with pending operations, before any change", () => {
    const state = dynamicState();
    state.deployment.pending_operations = [{ type: "creating" }];
    expect(() => migrateDeployment(state, "plugin")).toThrow(
      "the stack has 1 pending operation(s) from an interrupted update: settle them first (pulumi refresh)",
    );
  });
});
