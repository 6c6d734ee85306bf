// backends/shared/lifecycle.ts: the shared create-or-adopt rule, on its own. The engines'
// use of them is checked against the real Mage and the emulators.
import { describe, expect, it } from "vitest";
import { createOrAdopt } from "../../provider/backends/shared/lifecycle";

function script(live: string | undefined, createFails?: "duplicate" | "other") {
  const calls: string[] = [];
  const run = (adopt: boolean, leftByCreate = false) =>
    createOrAdopt({
      what: "Thing 'x'",
      where: "on http://server",
      adopt,
      lookup: async () => {
        calls.push("lookup");
        return live;
      },
      create: async () => {
        calls.push("create");
        if (createFails) throw new Error(createFails);
        return "created";
      },
      isDuplicate: (e) => (e as Error).message === "duplicate",
      leftByCreate: () => leftByCreate,
      takeOver: async (l) => {
        calls.push(`takeOver ${l}`);
        return "adopted";
      },
    });
  return { calls, run };
}

describe("createOrAdopt", () => {
  it("adopt looks before it writes: a live object is taken over without a create", async () => {
    const s = script("live");
    expect(await s.run(true)).toBe("adopted");
    expect(s.calls).toEqual(["lookup", "takeOver live"]);
  });

  it("without adopt, a duplicate that is not what a cut-off create leaves is an error, and nothing is written", async () => {
    const s = script("someone else's", "duplicate");
    await expect(s.run(false)).rejects.toThrow(
      "Thing 'x' already exists on http://server; set adopt: true to manage it, or choose another name",
    );
    expect(s.calls).toEqual(["create", "lookup"]);
  });

  it("a duplicate exactly as a cut-off create leaves it is taken over", async () => {
    const s = script("ours, cut off", "duplicate");
    expect(await s.run(false, true)).toBe("adopted");
  });

  it("other errors pass through untouched", async () => {
    await expect(script(undefined, "other").run(false)).rejects.toThrow("other");
  });
});
