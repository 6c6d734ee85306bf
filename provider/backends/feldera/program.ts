// A Feldera pipeline has one program; its blocks are SQL fragments assembled
// in declared order. Each fragment is headed by a comment naming it, and the
// line map turns a compiler position back into block, file and line.

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

/** Where a line of the assembled program came from. */
export function locateLine(spans: readonly BlockSpan[], line: number): { block: string; file?: string; line: number } | undefined {
  const span = spans.find((s) => line >= s.firstLine && line < s.firstLine + s.lineCount);
  return span && { block: span.name, file: span.file, line: line - span.firstLine + 1 };
}

export interface SqlMessage {
  start_line_number: number;
  start_column: number;
  warning: boolean;
  error_type: string;
  message: string;
}

/** Compiler messages as `file:line:col` (or `block <name>, line …`) lines, errors only. */
export function describeSqlErrors(spans: readonly BlockSpan[], messages: readonly SqlMessage[]): string[] {
  return messages
    .filter((m) => !m.warning)
    .map((m) => {
      const at = locateLine(spans, m.start_line_number);
      const where = at ? (at.file ? `${at.file}:${at.line}:${m.start_column}` : `block '${at.block}' line ${at.line}, column ${m.start_column}`) : `program line ${m.start_line_number}, column ${m.start_column}`;
      return `${where}${at && at.file ? ` (block '${at.block}')` : ""}: ${m.error_type}: ${m.message}`;
    });
}
