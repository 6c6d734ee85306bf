// export's options: what is required, and how the engine is settled.
import { describe, expect, it } from "vitest";
import { parseExportArgs } from "../../provider/cli/export";

describe("export options", () => {
  it("takes the engine from --engine, else from the target's name", () => {
    expect(parseExportArgs(["--target", "feldera", "--out", "o"]).engine).toBe("feldera");
    expect(
      parseExportArgs(["--target", "prod", "--engine", "mage", "--out", "o", "--pipeline", "a", "--pipeline", "b"]),
    ).toEqual({
      target: "prod",
      engine: "mage",
      pipelines: ["a", "b"],
      out: "o",
      stack: undefined,
      configFile: undefined,
    });
  });

  it("with --stack, leaves the engine to the named target's config", () => {
    expect(
      parseExportArgs(["--stack", "dev", "--config-file", "c.yaml", "--target", "lake", "--out", "o"]),
    ).toMatchObject({ stack: "dev", configFile: "c.yaml", engine: undefined });
  });

  it("refuses what it cannot act on, saying why", () => {
    expect(() => parseExportArgs(["--out", "o"])).toThrow("--target <name> is required");
    expect(() => parseExportArgs(["--target", "mage"])).toThrow("--out <dir> is required");
    expect(() => parseExportArgs(["--target", "prod", "--out", "o"])).toThrow(
      "export supports mage, feldera, ionworks; 'prod' is not one of them",
    );
    expect(() => parseExportArgs(["--target", "mage", "--out", "o", "--config-file", "c"])).toThrow(
      "--config-file needs --stack",
    );
    expect(() => parseExportArgs(["--target", "mage", "--out"])).toThrow("Option '--out <value>' argument missing");
    expect(() => parseExportArgs(["--target", "mage", "--out", "o", "--force"])).toThrow("Unknown option '--force'");
  });
});
