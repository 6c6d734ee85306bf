// Unified diffs of code, SQL and configs for the review, in the `diff` format
// GitHub colours. jsdiff's Myers diff costs O((N+M)·D) for D changed lines, so a
// one-line edit in a program of thousands of lines is one small hunk.
import { structuredPatch } from "diff";

/** The hunks of the change from `before` to `after`, each with `context` unchanged lines around it. */
export function unifiedDiff(before: string, after: string, context = 3): string {
  const patch = structuredPatch("a", "b", normalize(before), normalize(after), undefined, undefined, { context });
  return patch.hunks
    .flatMap((h) => [
      `@@ -${h.oldLines ? h.oldStart : h.oldStart - 1},${h.oldLines} +${h.newLines ? h.newStart : h.newStart - 1},${h.newLines} @@`,
      // jsdiff marks a missing final newline with a "\ No newline" line; the review does not show it.
      ...h.lines.filter((l) => !l.startsWith("\\")),
    ])
    .join("\n");
}

/** Both sides end in a newline and use \n, so a missing final newline or CRLF is no change of lines. */
function normalize(text: string): string {
  const unix = text.replace(/\r\n/g, "\n");
  return unix === "" || unix.endsWith("\n") ? unix : `${unix}\n`;
}
