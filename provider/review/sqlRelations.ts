// The tables and views a Feldera SQL program declares, and the names each
// view reads, well enough for a review's graph: CREATE TABLE, CREATE
// [OR REPLACE] [MATERIALIZED | LOCAL] VIEW … AS <query>, and in the query the
// names after FROM, JOIN, comma lists of a FROM and TABLE (Feldera's
// TUMBLE/HOP table functions). Not a SQL parser: a CTE that shadows a
// declared name, or a name only inside an expression (a scalar subquery is
// still seen, a lateral UNNEST is not) may be drawn wrong; the graph is an
// aid to review, never an input to a plan.

export interface Relation {
  name: string;
  kind: "table" | "view" | "materialized view" | "local view";
  /** Names the query reads, as written (views only). */
  reads: string[];
  /** The statement, comments dropped and spaces collapsed: an edit of it is an edit of the relation. */
  statement: string;
}

const IDENT = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)(?:\s*\.\s*(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*))*`;
const CREATE_TABLE = new RegExp(
  String.raw`^create\s+(?:or\s+replace\s+)?table\s+(?:if\s+not\s+exists\s+)?(${IDENT})`,
  "i",
);
const CREATE_VIEW = new RegExp(
  String.raw`^create\s+(?:or\s+replace\s+)?(?:(materialized|local)\s+)?view\s+(?:if\s+not\s+exists\s+)?(${IDENT})[\s\S]*?\bas\b([\s\S]*)$`,
  "i",
);
const FROM_LIST = new RegExp(
  String.raw`\bfrom\s+((?:${IDENT})(?:\s+(?:as\s+)?[A-Za-z_][\w$]*)?(?:\s*,\s*(?:${IDENT})(?:\s+(?:as\s+)?[A-Za-z_][\w$]*)?)*)`,
  "gi",
);
const JOIN_OR_TABLE = new RegExp(String.raw`\b(?:join|table)\s+(${IDENT})`, "gi");
const NOT_A_NAME = new Set(["select", "lateral", "unnest", "table", "values"]);

export function sqlRelations(sql: string): Relation[] {
  const out: Relation[] = [];
  for (const { text, original } of statements(sql)) {
    const statement = original.replace(/\s+/g, " ").trim();
    const table = CREATE_TABLE.exec(text);
    if (table) {
      out.push({ name: unquote(table[1]), kind: "table", reads: [], statement });
      continue;
    }
    const view = CREATE_VIEW.exec(text);
    if (view) {
      const kind = view[1] ? (`${view[1].toLowerCase()} view` as Relation["kind"]) : "view";
      out.push({ name: unquote(view[2]), kind, reads: readNames(view[3]), statement });
    }
  }
  return out;
}

function readNames(query: string): string[] {
  const names: string[] = [];
  for (const m of query.matchAll(FROM_LIST))
    for (const item of m[1].split(",")) names.push(unquote(item.trim().match(new RegExp(`^${IDENT}`))?.[0] ?? ""));
  for (const m of query.matchAll(JOIN_OR_TABLE)) names.push(unquote(m[1]));
  return [...new Set(names.filter((n) => n && !NOT_A_NAME.has(n.toLowerCase())))];
}

/**
 * The statements of a program: `text` with comments and string literals
 * blanked out (they could hold \`;\` or keywords), `original` as written.
 */
function statements(sql: string): { text: string; original: string }[] {
  const blank = (m: string) => m.replace(/[^\n]/g, " ");
  const bare = sql.replace(/'(?:[^']|'')*'|--[^\n]*|\/\*[\s\S]*?\*\//g, (m) =>
    m.startsWith("'") ? `'${blank(m.slice(2))}'`.slice(0, m.length) : blank(m),
  );
  const out: { text: string; original: string }[] = [];
  let from = 0;
  for (let i = 0; i <= bare.length; i++) {
    if (i < bare.length && bare[i] !== ";") continue;
    const text = bare.slice(from, i).trim();
    if (text) out.push({ text, original: sql.slice(from, i) });
    from = i + 1;
  }
  return out;
}

/** The last part of a possibly qualified name, without its quotes. */
function unquote(name: string): string {
  const last = name.split(/\s*\.\s*(?=(?:[^"]*"[^"]*")*[^"]*$)/).pop() ?? name;
  return last.startsWith('"') ? last.slice(1, -1).replace(/""/g, '"') : last;
}
