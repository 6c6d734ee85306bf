// The offline checks of Ionworks element configs (schemas/, built from what
// scripts/ionworks_elements.py reads out of ionworks-schema) held to the
// package itself: ionworks_schema_cases.py makes a valid config of every
// element class and one breakage per rule, and asks the package (as the
// emulator's schema_check does for the server) which it accepts. The offline
// checks must accept all the package accepts, and refuse every breakage they
// are meant to catch.
import * as path from "node:path";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { run } from "../../provider/cli/process";
import { inputProblems } from "../../provider/declarations/schema";

interface Case {
  label: string;
  element: Record<string, unknown> & { element_type: string };
  accepted: boolean;
  mustCatch: boolean;
}

const offline = ({ element_type, ...config }: Case["element"]) =>
  inputProblems("IonworksPipelineInputs", { name: "p", blocks: [{ name: "e", type: element_type, config }] });

describe("Ionworks element checks offline, against ionworks-schema", () => {
  let cases: Case[] = [];
  beforeAll(async () => {
    const python = path.join(inject("vendorSdks"), "bin", "python");
    cases = JSON.parse(await run(python, [path.join(__dirname, "ionworks_schema_cases.py")]));
  }, 120_000);

  it("covers every element class with a config the package accepts", () => {
    const valid = cases.filter((c) => c.label.endsWith(" valid"));
    // 5 element types, 47 calculations, 27 named entries, path and values entries (ionworks-schema 0.33.0).
    expect(valid.length).toBeGreaterThanOrEqual(80);
    expect(valid.filter((c) => !c.accepted).map((c) => c.label)).toEqual([]);
    expect(cases.filter((c) => c.mustCatch && c.accepted).map((c) => c.label)).toEqual([]);
  });

  it("accepts every config the package accepts", () => {
    const refused = cases
      .filter((c) => c.accepted)
      .map((c) => ({ label: c.label, problems: offline(c.element).map((p) => `${p.path.join(".")}: ${p.message}`) }))
      .filter((c) => c.problems.length > 0);
    expect(refused).toEqual([]);
  });

  it("refuses each breakage it is meant to catch, at the field", () => {
    const caught = cases.filter((c) => c.mustCatch);
    expect(caught.length).toBeGreaterThan(500);
    expect(caught.filter((c) => offline(c.element).length === 0).map((c) => c.label)).toEqual([]);
  });
});
