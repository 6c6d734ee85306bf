// The registry of kinds (provider/resources/kinds.ts) is the one list; the lists the lower layers must keep on
// their own (the declaration types the schema generator reads, the rules by kind) hold exactly its kinds.
import { describe, expect, it } from "vitest";
import { RULES } from "../../provider/declarations/rules";
import { RESOURCE_INPUTS } from "../../provider/declarations/types";
import { classOf } from "../../provider/resources/classes";
import { KINDS, RESOURCE_TYPES, resourceTypeOf, tokenOf } from "../../provider/resources/kinds";

describe("the registry of kinds", () => {
  it("names every declaration type the schema generates, once", () => {
    expect(RESOURCE_TYPES.map((t) => KINDS[t].inputs).sort()).toEqual([...RESOURCE_INPUTS].sort());
  });

  it("gives every kind with rules of its own the rules the YAML check runs for it", () => {
    const ruled = RESOURCE_TYPES.flatMap((t) => (KINDS[t].rules ? [KINDS[t].rules] : []));
    expect(ruled.sort()).toEqual(Object.keys(RULES).sort());
    for (const t of RESOURCE_TYPES)
      if (KINDS[t].rules) expect(KINDS[t].rules).toBe(`${KINDS[t].engine}.${KINDS[t].name}`);
  });

  it("reads its kinds from type tokens and URNs, and nothing else", () => {
    for (const t of RESOURCE_TYPES) {
      expect(resourceTypeOf(`pulumi-nodejs:dynamic/${t}`)).toBe(t);
      expect(resourceTypeOf(`urn:pulumi:dev::p::pulumi-nodejs:dynamic/${t}::dev/x`)).toBe(t);
    }
    expect(resourceTypeOf("pulumi-nodejs:dynamic/mage:Trigger")).toBeUndefined();
    expect(resourceTypeOf("pulumi:providers:pulumi-nodejs")).toBeUndefined();
    // The provider plugin's tokens (provider/plugin/), in URNs of programs in any language.
    for (const t of RESOURCE_TYPES) {
      expect(resourceTypeOf(tokenOf(t))).toBe(t);
      expect(resourceTypeOf(`urn:pulumi:dev::pipelines::${tokenOf(t)}::x`)).toBe(t);
      expect(resourceTypeOf(`urn:pulumi:dev::p::my:index:Group$${tokenOf(t)}::x`)).toBe(t);
    }
    expect(resourceTypeOf("urn:pulumi:dev::pipelines::pulumi:providers:pipelines::default")).toBeUndefined();
    expect(resourceTypeOf("pipelines:mage:Trigger")).toBeUndefined();
    expect(resourceTypeOf("other:pipelines:mage")).toBeUndefined();
  });

  it("registers each class under the token its key names", () => {
    for (const t of RESOURCE_TYPES) expect(classOf(t).name).toBe(KINDS[t].name);
  });
});
