// A declaration file as text with positions: refuses what is not UTF-8 YAML,
// parses with a line counter, and finds the line and column of any field.
import { type Document, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import type { DeclarationError, PathPart } from "./errors";

export const MAX_FILE_BYTES = 5 * 1024 * 1024;
const MAX_ALIASES = 100;

export interface Source {
  file: string;
  doc: Document;
  lines: LineCounter;
  data: unknown;
  /** For a stack's view of the file (declarations/environments.ts): where a path of `data` is written in it. */
  locate?(path: readonly PathPart[]): PathPart[];
}

export function parseSource(file: string, bytes: Uint8Array): { source?: Source; errors: DeclarationError[] } {
  const at = (line: number, col: number, message: string) => ({ errors: [{ file, line, col, path: "", message }] });
  if (bytes.length > MAX_FILE_BYTES)
    return at(
      1,
      1,
      `file is ${(bytes.length / 1048576).toFixed(1)} MiB; declarations are limited to 5 MiB (keep data in code or SQL files)`,
    );
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    return at(1, 1, "file is UTF-16; save it as UTF-8");
  const nul = bytes.indexOf(0);
  if (nul >= 0)
    return {
      errors: [
        { file, ...lineColOfByte(bytes, nul), path: "", message: "file contains a NUL byte; it is not a text file" },
      ],
    };
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0)
    return {
      errors: [
        {
          file,
          ...lineColOfByte(bytes, bad),
          path: "",
          message: `byte 0x${bytes[bad].toString(16).padStart(2, "0")} is not valid UTF-8; save the file as UTF-8`,
        },
      ],
    };

  let text = Buffer.from(bytes).toString("utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines = new LineCounter();
  let doc: Document;
  try {
    doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  } catch (e) {
    return at(1, 1, `cannot parse: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (doc.errors.some((e) => /call stack/i.test(e.message))) {
    // One overflow cascades into dozens of parse errors; the cause is one.
    const { line, col } = lines.linePos(doc.errors[0].pos[0]);
    return at(line, col, "document nests too deeply");
  }
  if (doc.errors.length) {
    return {
      errors: doc.errors.map((e) => {
        const { line, col } = lines.linePos(e.pos[0]);
        return { file, line, col, path: "", message: yamlMessage(e.code, e.message) };
      }),
    };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (/alias count/i.test(message))
      return at(
        1,
        1,
        `too many YAML alias expansions (at most ${MAX_ALIASES}); write the values out or split the file`,
      );
    return at(1, 1, e instanceof RangeError ? "document nests too deeply" : message);
  }
  return { source: { file, doc, lines, data }, errors: [] };
}

/** Line and column of a field (or of its key, to point at an unknown or duplicated key). */
export function positionOf(
  source: Source,
  path: readonly PathPart[],
  opts: { key?: boolean } = {},
): { line: number; col: number } {
  let node: unknown = source.doc.contents;
  let last: Node | undefined = node as Node;
  path = source.locate ? source.locate(path) : path;
  for (let i = 0; i < path.length; i++) {
    const part = path[i];
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(part));
      if (pair && opts.key && i === path.length - 1) {
        last = pair.key as Node;
        break;
      }
      next = pair?.value ?? undefined;
    } else if (isSeq(node) && typeof part === "number") {
      next = node.items[part];
    }
    if (!next) break;
    node = next;
    last = next as Node;
  }
  const offset = last?.range?.[0] ?? 0;
  return source.lines.linePos(offset);
}

function yamlMessage(code: string, message: string): string {
  if (code === "DUPLICATE_KEY") return "duplicate key (each key may appear once in a mapping)";
  if (/call stack/i.test(message)) return "document nests too deeply";
  return message.replace(/\s+at line \d+, column \d+.*$/s, "").trim();
}

/** Index of the first byte that breaks UTF-8, or -1. */
function firstInvalidUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length; ) {
    const c = b[i];
    const n = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) if (i + k >= b.length || (b[i + k] & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return -1;
}

function lineColOfByte(b: Uint8Array, index: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < index; i++) {
    if (b[i] !== 0x0a) continue;
    line++;
    start = i + 1;
  }
  return { line, col: Buffer.from(b.subarray(start, index)).toString("utf8").length + 1 };
}
