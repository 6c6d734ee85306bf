// The reference pages under docs/reference/ are what `npm run docs` generates
// from the field model, every input has a description, the replace column is
// the provider's own diff, and each page's example is a valid declaration.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { loadFiles } from "../../provider/declarations/loader";
import { diffSpecs } from "../../provider/resources/diff";
import { DOC_KINDS, defaultOf, generateDocs, REFERENCE_DIR } from "../../scripts/docs";

const pages = generateDocs();

describe("docs/reference", () => {
  it("holds exactly the pages npm run docs writes (run it when this fails)", () => {
    expect(fs.readdirSync(REFERENCE_DIR).sort()).toEqual([...pages.keys()].sort());
    for (const [page, text] of pages) expect(fs.readFileSync(path.join(REFERENCE_DIR, page), "utf8"), page).toBe(text);
  });

  it.each(DOC_KINDS.map((k) => [k.title, k] as const))("%s: every input has a type and a description", (_, k) => {
    const rows = pages
      .get(k.page)!
      .split("\n")
      .filter((l) => /^\| `[^`]+` \| /.test(l) && l.split("|").length === 8);
    expect(rows.length).toBeGreaterThan(2);
    for (const row of rows) {
      const cells = row.split("|").map((c) => c.trim());
      expect(cells[2], row).not.toBe("");
      expect(cells[6], row).not.toBe("");
    }
  });

  it.each(DOC_KINDS.map((k) => [k.title, k] as const))(
    "%s: 'replaces' is what the provider's diff replaces on",
    (_, k) => {
      const rows = pages
        .get(k.page)!
        .split("\n")
        .filter((l) => /^\| `[^`]+` \| /.test(l) && l.split("|").length === 8);
      for (const row of rows) {
        const name = /`([^`]+)`/.exec(row)![1];
        const d = diffSpecs({ [name]: "a" }, { [name]: "b" }, [name], k.kind.replaceKeys);
        expect(row.includes("| replaces |"), name).toBe(d.replaces.includes(name));
      }
    },
  );

  it.each(DOC_KINDS.map((k) => [k.title, k] as const))("%s: the example on the page is a valid declaration", (_, k) => {
    const yaml = /```yaml\n([\s\S]*?)```/.exec(pages.get(k.page)!)![1];
    const file = path.resolve(__dirname, "..", "..", k.examples.yaml);
    const result = loadFiles([{ file, bytes: Buffer.from(yaml) }]);
    expect(result.errors).toEqual([]);
    expect(result.pipelines.length + result.secrets.length).toBeGreaterThan(0);
  });

  it("reads the default a description states", () => {
    expect(defaultOf("Mage pipeline type (default python).")).toBe("python");
    expect(defaultOf("Limits (default: the server's).")).toBe("the server's");
    expect(defaultOf("Run all blocks in one process (default false).")).toBe("false");
    expect(defaultOf("The pipeline's name on the server.")).toBe("");
  });
});
