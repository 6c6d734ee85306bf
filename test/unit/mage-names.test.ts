import { describe, expect, it } from "vitest";
import { blockFilePath, blockUuid, pipelineUuid } from "../../provider/backends/mage/names";
import { mageBlockUuid, mageCleanName } from "../model/mage";

describe("Mage uuid derivation (clean_name)", () => {
  it.each([
    ["arwen-starlight", "arwen_starlight"],
    ["My Pipe.v2", "my_pipe_v2"],
    ["1st", "letter_1st"],
    ["My ETL-1", "my_etl_1"],
    ['say "hi"$', "say_hi"],
    ["Ünïcode ok", "ünïcode_ok"],
    ["a/b", "a_b"],
  ])("pipeline %j → %j", (name, uuid) => {
    expect(pipelineUuid(name)).toBe(uuid);
  });

  it("keeps `/` in block uuids (sub-folders)", () => {
    expect(blockUuid("sub/Load Data")).toBe("sub/load_data");
  });

  it("is idempotent, so names and uuids can be given interchangeably", () => {
    for (const n of ["My ETL-1", "1st", "x y/z"]) {
      expect(pipelineUuid(pipelineUuid(n))).toBe(pipelineUuid(n));
      expect(blockUuid(blockUuid(n))).toBe(blockUuid(n));
    }
  });

  it("places code files where Mage keeps them", () => {
    expect(blockFilePath("data_loader", "load_data", "python")).toBe("data_loaders/load_data.py");
    expect(blockFilePath("custom", "c", "sql")).toBe("custom/c.sql");
    expect(blockFilePath("transformer", "t", "markdown")).toBe("transformers/t.md");
  });
});

describe("the model observer's own rule (test/model/mage.ts) and the provider's agree", () => {
  it.each(["Orders ETL", "2024 load", 'daily$ "sync"', "dbt/demo/models/orders", "Ünïcode näme", "tab\there", "a-b.c"])(
    "%s",
    (name) => {
      expect(pipelineUuid(name)).toBe(mageCleanName(name));
      expect(blockUuid(name)).toBe(mageBlockUuid(name));
    },
  );
});
