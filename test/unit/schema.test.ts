import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { generatePipelinesSchema, SCHEMA_FILE } from "../../scripts/schemas";
import { findDeclarationFiles, loadPaths } from "../../provider/spec/loader";
import { validateCommand } from "../../provider/cli/validate";

describe("JSON Schema", () => {
  it("schemas/pipelines.schema.json is what the spec types generate (run npm run schemas)", () => {
    expect(fs.readFileSync(SCHEMA_FILE, "utf8")).toBe(generatePipelinesSchema());
  }, 60_000);
});

describe("examples", () => {
  const examples = path.join(__dirname, "..", "..", "examples");
  const folders = fs.readdirSync(examples).map((e) => path.join(examples, e, "pipelines")).filter((p) => fs.existsSync(p));

  it("every example's declarations validate", () => {
    expect(folders.length).toBeGreaterThan(0);
    for (const folder of folders) {
      let out = "";
      expect(validateCommand([folder], { write: (s: string) => (out += s) }), out).toBe(0);
      expect(loadPaths([folder]).pipelines.length).toBeGreaterThan(0);
    }
  });

  it("Pulumi project and stack files are never read as declarations", () => {
    const files = findDeclarationFiles([examples]).files.map((f) => path.basename(f));
    expect(files.filter((f) => f.startsWith("Pulumi"))).toEqual([]);
  });
});
