// Resource.get for all five kinds registers a read of the id with only what a
// read needs (target; pipeline for Mage blocks and triggers): no declared
// inputs to normalise, so nothing to crash on. What the read then returns is
// checked against the engines by test/helpers/readVerify.ts.
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { feldera, ionworks, mage } from "../../provider";

interface Registration {
  type: string;
  name: string;
  id?: string;
  inputs: Record<string, unknown>;
}

async function registrations(program: () => void): Promise<Registration[]> {
  const out: Registration[] = [];
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        out.push({ type: args.type, name: args.name, id: args.id, inputs: args.inputs });
        return { id: args.id ?? `${args.name}-id`, state: args.inputs };
      },
      call: () => ({}),
    },
    "lookup",
    "test",
    false,
  );
  program();
  await pulumi.runtime.disconnect();
  return out;
}

describe("Resource.get", () => {
  const ORDER = ["f", "i", "p", "b", "s"];

  it("reads each kind by id with its target (and pipeline), declaring nothing", async () => {
    const got = await registrations(() => {
      feldera.Pipeline.get("f", "fraud", { target: "lake" });
      ionworks.Pipeline.get("i", "3f2a", { target: "lab" });
      mage.Pipeline.get("p", "orders_etl");
      mage.Block.get("b", "orders_etl/load_orders", { pipeline: "orders_etl" });
      mage.Schedule.get("s", "7", { target: "mage", pipeline: "orders_etl" });
    });
    const defined = (inputs: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(inputs).filter(([, v]) => v !== undefined));
    expect(
      got
        .sort((a, b) => ORDER.indexOf(a.name) - ORDER.indexOf(b.name))
        .map((r) => [r.type.split(":").slice(1).join(":"), r.id, defined(r.inputs)]),
    ).toEqual([
      ["dynamic/feldera:Pipeline", "fraud", { target: "lake", __provider: expect.any(String) }],
      ["dynamic/ionworks:Pipeline", "3f2a", { target: "lab", __provider: expect.any(String) }],
      ["dynamic/mage:Pipeline", "orders_etl", { __provider: expect.any(String) }],
      ["dynamic/mage:Block", "orders_etl/load_orders", { pipeline: "orders_etl", __provider: expect.any(String) }],
      ["dynamic/mage:Schedule", "7", { target: "mage", pipeline: "orders_etl", __provider: expect.any(String) }],
    ]);
  });
});
