// A Feldera pipeline has one program; its blocks are SQL fragments assembled
// in declared order. Each fragment is headed by a comment naming it, and the
// line map turns a compiler position back into block, file and line.

import type { SqlMessage } from "./api";

export interface SqlBlock {
  name: string;
  sql: string;
  /** Where the SQL came from, for error messages (e.g. sql/tables.sql). */
  file?: string;
}

export interface BlockSpan {
  name: string;
  file?: string;
  /** 1-based line of the block's first SQL line in the assembled program. */
  firstLine: number;
  lineCount: number;
}

export function assembleProgram(blocks: readonly SqlBlock[]): { code: string; spans: BlockSpan[] } {
  const lines: string[] = [];
  const spans: BlockSpan[] = [];
  for (const b of blocks) {
    lines.push(`-- block: ${b.name}${b.file ? ` (${b.file})` : ""}`);
    const body = b.sql.replace(/\r\n/g, "\n").replace(/\n+$/, "").split("\n");
    spans.push({ name: b.name, file: b.file, firstLine: lines.length + 1, lineCount: body.length });
    lines.push(...body, "");
  }
  return { code: lines.join("\n"), spans };
}

/**
 * A block as the server sees it: its name and the SQL it contributes to the
 * program (line ends and trailing newlines do not reach it; the file a block
 * came from only names it in a header, which programMatches disregards).
 */
export function comparableBlock(block: SqlBlock): { name: string; sql: string } {
  return { name: block.name, sql: block.sql.replace(/\r\n/g, "\n").replace(/\n+$/, "") };
}

/** Where a line of the assembled program came from. */
export function locateLine(
  spans: readonly BlockSpan[],
  line: number,
): { block: string; file?: string; line: number } | undefined {
  const span = spans.find((s) => line >= s.firstLine && line < s.firstLine + s.lineCount);
  return span && { block: span.name, file: span.file, line: line - span.firstLine + 1 };
}

/** Compiler messages as `file:line:col` (or `block <name>, line …`) lines, errors only. */
export function describeSqlErrors(spans: readonly BlockSpan[], messages: readonly SqlMessage[]): string[] {
  return messages
    .filter((m) => !m.warning)
    .map((m) => {
      const at = locateLine(spans, m.start_line_number);
      const where = at
        ? at.file
          ? `${at.file}:${at.line}:${m.start_column}`
          : `block '${at.block}' line ${at.line}, column ${m.start_column}`
        : `program line ${m.start_line_number}, column ${m.start_column}`;
      return `${where}${at?.file ? ` (block '${at.block}')` : ""}: ${m.error_type}: ${m.message}`;
    });
}

const HEADER = /^-- block: (.*?)(?: \(([^()]*)\))?$/;

/**
 * Whether the live program is the declared blocks. Three shapes count:
 * exactly what assembleProgram sends; the same with other block headers (the
 * headers are comments naming where SQL came from, which an export moves);
 * and the bare concatenation of the blocks, which is how an exported program
 * that this provider never wrote is declared.
 */
export function programMatches(live: string, blocks: readonly SqlBlock[]): boolean {
  const assembled = assembleProgram(blocks).code;
  if (live === assembled || live === blocks.map((b) => b.sql).join("")) return true;
  const withoutHeaders = (code: string) =>
    code
      .split("\n")
      .filter((l) => !HEADER.test(l))
      .join("\n");
  return HEADER.test(live.split("\n", 1)[0]) && withoutHeaders(live) === withoutHeaders(assembled);
}

/**
 * A live program back into blocks. One this provider assembled is split at its
 * block headers (names kept); any other at statement boundaries, each block
 * named after what it creates, with every byte of the program in exactly one
 * block, so programMatches holds for the result.
 */
export function splitProgram(code: string): SqlBlock[] {
  return splitAssembled(code) ?? splitStatements(code);
}

function splitAssembled(code: string): SqlBlock[] | undefined {
  const lines = code.split("\n");
  if (!HEADER.test(lines[0])) return undefined;
  const blocks: { name: string; lines: string[] }[] = [];
  for (const line of lines) {
    const h = HEADER.exec(line);
    if (h) blocks.push({ name: h[1], lines: [] });
    else blocks[blocks.length - 1].lines.push(line);
  }
  // Each body is followed by one empty separator line (the last by the final newline).
  const parsed = blocks.map((b) => ({ name: b.name, sql: b.lines.slice(0, -1).join("\n") }));
  if (new Set(parsed.map((b) => b.name)).size !== parsed.length || !programMatches(code, parsed)) return undefined;
  return parsed.map((b) => ({ ...b, sql: `${b.sql}\n` }));
}

/** Statements end at a `;` outside strings, quoted names and comments; a block runs to the end of that line. */
function splitStatements(code: string): SqlBlock[] {
  const cuts: number[] = [];
  let i = 0;
  const skipTo = (close: string, from: number) => {
    const at = code.indexOf(close, from);
    return at < 0 ? code.length : at + close.length;
  };
  while (i < code.length) {
    const c = code[i];
    if (c === "-" && code[i + 1] === "-") i = skipTo("\n", i + 2) - 1;
    else if (c === "/" && code[i + 1] === "*") i = skipTo("*/", i + 2) - 1;
    else if (c === "'" || c === '"' || c === "`") {
      // A doubled quote inside is an escaped quote: the scan simply re-enters.
      i = skipTo(c, i + 1) - 1;
    } else if (c === ";") {
      const eol = code.indexOf("\n", i);
      const rest = code.slice(i + 1, eol < 0 ? code.length : eol);
      // A comment or blank after the `;` stays with its statement; more SQL on the line starts the next one.
      cuts.push(/^\s*(--.*)?$/.test(rest) ? (eol < 0 ? code.length : eol + 1) : i + 1);
      i = cuts[cuts.length - 1] - 1;
    }
    i++;
  }
  // Only comments or blanks after the last statement belong to it.
  if (cuts.length && !hasSql(code.slice(cuts[cuts.length - 1]))) cuts[cuts.length - 1] = code.length;
  if (!cuts.length || cuts[cuts.length - 1] < code.length) cuts.push(code.length);
  const used = new Set<string>();
  return cuts.map((end, k) => {
    const sql = code.slice(k ? cuts[k - 1] : 0, end);
    return { name: unique(statementName(sql) ?? `statement_${k + 1}`, used), sql };
  });
}

function hasSql(text: string): boolean {
  return /\S/.test(text.replace(/--[^\n]*/g, "").replace(/\/\*[\s\S]*?\*\//g, ""));
}

const CREATES =
  /^\s*(?:create\s+(?:or\s+replace\s+)?(?:(?:materialized|local)\s+)?(table|view|index|function|type|aggregate)|declare\s+recursive\s+(view))\s+(?:if\s+not\s+exists\s+)?((?:"[^"]+"|`[^`]+`|[\w$]+)(?:\s*\.\s*(?:"[^"]+"|`[^`]+`|[\w$]+))*)/i;

/** The object a statement creates (CREATE TABLE t → t), or undefined. */
export function statementName(sql: string): string | undefined {
  const text = sql.replace(/--[^\n]*/g, " ").replace(/\/\*[\s\S]*?\*\//g, " ");
  const m = CREATES.exec(text);
  if (!m) return undefined;
  const last = m[3]
    .split(".")
    .pop()!
    .trim()
    .replace(/^["`]|["`]$/g, "");
  return m[2] ? `${last}_declaration` : last;
}

function unique(name: string, used: Set<string>): string {
  let candidate = name;
  for (let n = 2; used.has(candidate); n++) candidate = `${name}_${n}`;
  used.add(candidate);
  return candidate;
}
