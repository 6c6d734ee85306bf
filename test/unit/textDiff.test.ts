import { describe, expect, it } from "vitest";
import { unifiedDiff } from "../../provider/review/textDiff";

const lines = (n: number, f = (i: number) => `SELECT ${i} AS c${i};`) =>
  `${Array.from({ length: n }, (_, i) => f(i + 1)).join("\n")}\n`;

describe("unifiedDiff (review/textDiff.ts)", () => {
  it("gives one hunk with three lines of context for a one-line edit", () => {
    expect(unifiedDiff("a\nb\nc\nd\ne\nf\ng\n", "a\nb\nc\nD\ne\nf\ng\n")).toBe(
      ["@@ -1,7 +1,7 @@", " a", " b", " c", "-d", "+D", " e", " f", " g"].join("\n"),
    );
  });

  it("counts from line 0 on the empty side, as diff(1) does", () => {
    expect(unifiedDiff("", "x\ny\n")).toBe("@@ -0,0 +1,2 @@\n+x\n+y");
    expect(unifiedDiff("x\ny\n", "")).toBe("@@ -1,2 +0,0 @@\n-x\n-y");
  });

  it("treats a missing final newline and CRLF line ends as no change", () => {
    expect(unifiedDiff("a\r\nb\r\n", "a\nb")).toBe("");
  });

  it("splits edits far apart into separate hunks", () => {
    const before = lines(40);
    const after = before.replace("SELECT 5 AS", "SELECT 50 AS").replace("SELECT 35 AS", "SELECT 350 AS");
    expect(unifiedDiff(before, after).match(/^@@ /gm)).toHaveLength(2);
  });

  it("shows a one-line edit in a 5,000-line SQL program as a one-line hunk", () => {
    const before = lines(5000);
    const after = before.replace("SELECT 2500 AS c2500;", "SELECT 2500 AS renamed;");
    expect(unifiedDiff(before, after)).toBe(
      [
        "@@ -2497,7 +2497,7 @@",
        " SELECT 2497 AS c2497;",
        " SELECT 2498 AS c2498;",
        " SELECT 2499 AS c2499;",
        "-SELECT 2500 AS c2500;",
        "+SELECT 2500 AS renamed;",
        " SELECT 2501 AS c2501;",
        " SELECT 2502 AS c2502;",
        " SELECT 2503 AS c2503;",
      ].join("\n"),
    );
  });
});
