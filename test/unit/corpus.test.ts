// The bad-input corpus: every case fails with exactly the errors in its
// .expect file (line:col: path: message; <dir> stands for the corpus folder).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { validateCommand } from "../../provider/cli/validate";
import { loadPaths } from "../../provider/declarations/loader";

const dir = path.join(__dirname, "..", "corpus", "bad");
const cases = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith(".yaml"))
  .sort();

function errorsOf(file: string): string[] {
  return loadPaths([file]).errors.map((e) =>
    `${e.line}:${e.col}: ${e.path ? `${e.path}: ` : ""}${e.message}`.split(dir).join("<dir>"),
  );
}

describe("bad-input corpus", () => {
  it("has at least 40 cases, each with its expectation", () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    for (const c of cases) expect(fs.existsSync(path.join(dir, c.replace(/\.yaml$/, ".expect"))), c).toBe(true);
  });

  it.each(cases)("%s", (c) => {
    const expected = fs
      .readFileSync(path.join(dir, c.replace(/\.yaml$/, ".expect")), "utf8")
      .trim()
      .split("\n");
    expect(expected.length).toBeGreaterThan(0);
    expect(errorsOf(path.join(dir, c))).toEqual(expected);
  });

  it("refuses a file over 5 MiB before parsing it", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "huge-")), "huge.yaml");
    fs.writeFileSync(file, `pipelines:\n${"  - {engine: mage, target: dev, name: p}\n".repeat(140_000)}`);
    expect(errorsOf(file)).toEqual([
      `1:1: file is ${(fs.statSync(file).size / 1048576).toFixed(1)} MiB; declarations are limited to 5 MiB (keep data in code or SQL files)`,
    ]);
  });

  it("refuses a document nested too deeply, without crashing", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "deep-")), "deep.yaml");
    fs.writeFileSync(file, `pipelines: ${"[".repeat(100_000)}${"]".repeat(100_000)}\n`);
    const errors = errorsOf(file);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^1:\d+: document nests too deeply$/);
  });

  it("validate lists every error of every file at once and exits 1", () => {
    let out = "";
    const code = validateCommand([dir], { write: (s: string) => (out += s) });
    expect(code).toBe(1);
    const lines = out.trim().split("\n");
    // Each file's own errors, plus what only the whole folder shows (the same pipeline in several files).
    const all = loadPaths([dir]).errors;
    expect(lines).toHaveLength(all.length + 1);
    expect(lines[lines.length - 1]).toBe(`${all.length} errors in ${cases.length} file(s)`);
    // Every file's own errors are there, at the same place (a duplicate's "first at" may name another file).
    const where = (l: string) =>
      l
        .split(dir)
        .join("<dir>")
        .replace(/^(\S+: \S*?)( .*)$/, "$1");
    const listed = lines.map(where);
    for (const c of cases) {
      for (const e of errorsOf(path.join(dir, c))) expect(listed).toContain(where(`${path.join(dir, c)}:${e}`));
    }
    expect(
      lines.some((l) => /declared twice for target 'dev' \(first at .*\/block-code-and-file\.yaml:4\)/.test(l)),
    ).toBe(true);
    expect(lines[0]).toMatch(new RegExp(`^${dir.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/alias-bomb\\.yaml:1:1: `));
  });

  it("validate --format json gives tools the same errors", () => {
    let out = "";
    expect(
      validateCommand([path.join(dir, "block-cycle.yaml"), "--format", "json"], { write: (s: string) => (out += s) }),
    ).toBe(1);
    const json = JSON.parse(out);
    expect(json.valid).toBe(false);
    expect(json.errors).toEqual([
      {
        file: path.join(dir, "block-cycle.yaml"),
        line: 9,
        col: 19,
        path: "pipelines[0].blocks[0].upstream",
        message: "upstream blocks form a cycle: a → c → b → a",
      },
    ]);
  });
});
