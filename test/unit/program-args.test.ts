import { describe, expect, it } from "vitest";
import type { MagePipeline } from "../../provider/declarations/types";
import { declaredResources } from "../../provider/program/declaredResources";

const mage = (name: string, extra: Partial<MagePipeline> = {}) => ({
  decl: { engine: "mage", target: "dev", name, ...extra } as MagePipeline,
  dir: "/p",
});

describe("declared resources of Mage copies", () => {
  it("a pipeline copied from a declared one comes after it and takes its name from it", () => {
    const out = declaredResources(
      [mage("copy_b", { cloneFrom: "copy_a" }), mage("copy_a", { cloneFrom: "Template" }), mage("other")],
      "/p",
    );
    expect(out.map((r) => r.name)).toEqual(["dev/copy_a", "dev/copy_b", "dev/other"]);
    expect(out[1].refs).toEqual([{ path: ["cloneFrom"], resource: "dev/copy_a", output: "name" }]);
    // Copied from a pipeline not declared here: it is read on the server as it is.
    expect(out[0]).toMatchObject({ args: { cloneFrom: "Template" }, refs: [] });
  });

  it("the source is matched by Mage uuid, on the same target only", () => {
    const out = declaredResources(
      [
        mage("copy", { cloneFrom: "nightly_template" }),
        mage("Nightly Template"),
        { ...mage("copy2", { cloneFrom: "x" }) },
      ],
      "/p",
    );
    expect(out.map((r) => r.name)).toEqual(["dev/Nightly Template", "dev/copy", "dev/copy2"]);
    expect(out[1].refs).toEqual([{ path: ["cloneFrom"], resource: "dev/Nightly Template", output: "name" }]);
    const elsewhere = declaredResources(
      [mage("copy", { cloneFrom: "tpl" }), { decl: { ...mage("tpl").decl, target: "prod" }, dir: "/p" }],
      "/p",
    );
    expect(elsewhere[0].refs).toEqual([]);
  });
});
