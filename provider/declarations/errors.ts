// One error shape for every declaration problem: where (file:line:col),
// which field (a path like pipelines[0].blocks[1].upstream), and what to do.

export interface DeclarationError {
  file: string;
  line: number;
  col: number;
  /** Field path, e.g. `pipelines[0].blocks[1].upstream[0]`; "" for the document. */
  path: string;
  message: string;
}

export function formatError(e: DeclarationError): string {
  return `${e.file}:${e.line}:${e.col}: ${e.path ? `${e.path}: ` : ""}${e.message}`;
}

export type PathPart = string | number;

export function formatPath(parts: readonly PathPart[]): string {
  return parts.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}

/** The closest candidate within a small edit distance, for "did you mean …?" hints. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  // One slip in a short word, two in a long one; never a "hint" that is a whole other word.
  const allowed = word.length >= 8 ? 2 : 1;
  return best !== undefined && bestDistance <= allowed && bestDistance < word.length ? best : undefined;
}

export function didYouMean(word: string, candidates: readonly string[]): string {
  const c = closest(word, candidates);
  return c ? ` — did you mean '${c}'?` : "";
}

/** Edit distance where swapping two neighbours counts as one edit (optimal string alignment). */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
