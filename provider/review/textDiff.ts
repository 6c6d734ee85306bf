// Unified diffs of code, SQL and configs for the review: an LCS over lines,
// grouped into hunks with context, in the `diff` format GitHub colours.

const MAX_CELLS = 4_000_000; // lines(a) × lines(b); beyond it, one whole-file hunk

export function unifiedDiff(before: string, after: string, context = 3): string {
  const a = splitLines(before);
  const b = splitLines(after);
  const ops = a.length * b.length > MAX_CELLS ? wholeFile(a, b) : lcsOps(a, b);
  return hunks(ops, context).join("\n");
}

type Op = { kind: " " | "-" | "+"; line: string; aLine: number; bLine: number };

function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

function lcsOps(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  // lengths[i][j] = LCS of a[i..] and b[j..]
  const lengths = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lengths[i][j] = a[i] === b[j] ? lengths[i + 1][j + 1] + 1 : Math.max(lengths[i + 1][j], lengths[i][j + 1]);
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) ops.push({ kind: " ", line: a[i], aLine: ++i, bLine: ++j });
    else if (i < n && (j === m || lengths[i + 1][j] >= lengths[i][j + 1]))
      ops.push({ kind: "-", line: a[i], aLine: ++i, bLine: j });
    else ops.push({ kind: "+", line: b[j], aLine: i, bLine: ++j });
  }
  return ops;
}

function wholeFile(a: string[], b: string[]): Op[] {
  return [
    ...a.map((line, i) => ({ kind: "-" as const, line, aLine: i + 1, bLine: 0 })),
    ...b.map((line, j) => ({ kind: "+" as const, line, aLine: a.length, bLine: j + 1 })),
  ];
}

function hunks(ops: Op[], context: number): string[] {
  const out: string[] = [];
  const changed = ops.map((o, k) => (o.kind === " " ? -1 : k)).filter((k) => k >= 0);
  let k = 0;
  while (k < changed.length) {
    let start = Math.max(0, changed[k] - context);
    let end = Math.min(ops.length, changed[k] + context + 1);
    while (k + 1 < changed.length && changed[k + 1] - context <= end)
      end = Math.min(ops.length, changed[++k] + context + 1);
    k++;
    const slice = ops.slice(start, end);
    const aStart = slice.find((o) => o.kind !== "+")?.aLine ?? slice[0].aLine + 1;
    const bStart = slice.find((o) => o.kind !== "-")?.bLine ?? slice[0].bLine + 1;
    const aCount = slice.filter((o) => o.kind !== "+").length;
    const bCount = slice.filter((o) => o.kind !== "-").length;
    out.push(
      `@@ -${aCount ? aStart : aStart - 1},${aCount} +${bCount ? bStart : bStart - 1},${bCount} @@`,
      ...slice.map((o) => `${o.kind}${o.line}`),
    );
    start = end;
  }
  return out;
}
