// One error shape for every declaration problem: where (file:line:col),
// which field (a path like pipelines[0].blocks[1].upstream), and what to do.

export interface SpecError {
  file: string;
  line: number;
  col: number;
  /** Field path, e.g. `pipelines[0].blocks[1].upstream[0]`; "" for the document. */
  path: string;
  message: string;
}

export function formatError(e: SpecError): string {
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
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

export function didYouMean(word: string, candidates: readonly string[]): string {
  const c = closest(word, candidates);
  return c ? ` — did you mean '${c}'?` : "";
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}
