// The docs' own test: what a reader trips over first, found in the Markdown
// itself — a table cell left empty, a link or a named reference to a heading
// that does not exist, a `pulumi-pipelines` flag or a `pipelines:` config key
// the code does not know, a version stated otherwise than the code states it.
// Pure: the unit test hands it the files and what the code knows.
import * as fs from "node:fs";
import * as path from "node:path";
import { PACKAGE_ROOT } from "../provider/cli/args";

export interface Known {
  /** Every flag the command line takes (from its usage text). */
  flags: Set<string>;
  /** Every top-level stack config key under `pipelines:` the code reads. */
  configKeys: Set<string>;
  /** The versions the code requires, as the docs must state them. */
  versions: { node: string; go: string };
}

export interface Defect {
  file: string;
  line: number;
  problem: string;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[`*_]/g, "")
    .replace(/[^\p{L}\p{N} -]/gu, "")
    .replace(/ /g, "-");
}

function headings(text: string): Set<string> {
  const out = new Set<string>();
  let fenced = false;
  for (const line of text.split("\n")) {
    if (line.startsWith("```")) fenced = !fenced;
    const m = !fenced && /^#{1,6}\s+(.*)$/.exec(line);
    if (m) out.add(m[1].trim());
  }
  return out;
}

const cells = (row: string) =>
  row
    .trim()
    .replace(/^\||\|$/g, "")
    .split(/(?<!\\)\|/);

/** Every defect in `files` (repository-relative path → text). */
export function checkDocs(files: Map<string, string>, known: Known): Defect[] {
  const defects: Defect[] = [];
  for (const [file, text] of files) {
    const add = (line: number, problem: string) => defects.push({ file, line, problem });
    const lines = text.split("\n");
    let fenced = false;
    let sample = false;
    let header: string[] | undefined;
    let rows = 0;
    lines.forEach((line, i) => {
      const n = i + 1;
      if (line.startsWith("```")) fenced = !fenced;

      // Rendered samples (a review as it posts) are shown in <details>, as they are.
      if (/^<details>/.test(line)) sample = true;
      if (/^<\/details>/.test(line)) sample = false;

      // Tables: every cell says something (a default column says "none" rather than nothing).
      if (!fenced && !sample && /^\s*\|/.test(line)) {
        const row = cells(line);
        if (row.every((c) => /^\s*:?-+:?\s*$/.test(c))) return;
        if (!header) {
          header = row.map((c) => c.trim());
          rows = 0;
        } else {
          rows++;
          row.forEach((c, j) => {
            if (!c.trim()) add(n, `empty cell in column '${header?.[j] ?? j + 1}'`);
          });
        }
      } else {
        if (header && rows === 0) add(n - 1, "a table with no rows");
        header = undefined;
      }

      // Links to files of the repository and their headings.
      for (const m of line.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1];
        if (/^[a-z]+:/i.test(target)) continue;
        const [rel, anchor] = target.split("#");
        const to = rel ? path.posix.normalize(path.posix.join(path.posix.dirname(file), rel)) : file;
        const body = files.get(to) ?? readRepo(to);
        if (body === undefined) add(n, `link to ${target}: no such file`);
        else if (anchor && to.endsWith(".md") && ![...headings(body)].some((h) => slug(h) === anchor))
          add(n, `link to ${target}: ${to} has no heading #${anchor}`);
      }

      // References by name rather than by link: "README: <heading>", "see *<heading>*".
      for (const m of line.matchAll(/README(?:\.md)?: ([A-Z][\w ,'-]+[\w])/g)) {
        const readme = files.get("README.md") ?? readRepo("README.md") ?? "";
        if (!headings(readme).has(m[1])) add(n, `"README: ${m[1]}" names no heading of README.md`);
      }
      for (const m of line.matchAll(/\b[Ss]ee \*([^*]+)\*/g))
        if (!headings(text).has(m[1])) add(n, `"see *${m[1]}*" names no heading of ${file}: link to it`);
      for (const m of line.matchAll(/\b([A-Z][\w ]+) (?:below|above)\b/g))
        if (/resources$/.test(m[1]) && !headings(text).has(m[1])) add(n, `"${m[0]}" names no heading of ${file}`);

      // The command line's flags, on lines that run it.
      const spans = fenced ? [line] : [...line.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
      for (const span of spans) {
        const at = span.search(/pulumi-pipelines [a-z]/);
        if (at >= 0)
          for (const m of span.slice(at).matchAll(/(?<![\w-])--[a-z][a-z-]*/g))
            if (!known.flags.has(m[0])) add(n, `${m[0]} is no flag of pulumi-pipelines`);
      }

      // Stack config keys.
      for (const m of line.matchAll(/(?<![\w-])pipelines:([a-zA-Z]+)\b(?!:)/g))
        if (!known.configKeys.has(m[1])) add(n, `pipelines:${m[1]} is no stack config key the provider reads`);

      // Versions, as the code requires them.
      for (const m of line.matchAll(/\bNode(?:\.js)?\s*(?:\|\s*)?(?:≥|>=)?\s*v?(\d+(?:\.\d+)*)\+?(\s+or later)?/g))
        if (/\+|≥|>=|or later/.test(m[0]) && m[1] !== known.versions.node)
          add(n, `"${m[0]}": the package needs Node ${known.versions.node} or later`);
      for (const m of line.matchAll(
        /\bGo\s*(?:≥|>=)\s*(\d+\.\d+(?:\.\d+)?)|\bGo (\d+\.\d+(?:\.\d+)?)(\+| or later)/g,
      )) {
        const v = m[1] ?? m[2];
        if (v !== known.versions.go) add(n, `"${m[0]}": building the CLI needs Go ${known.versions.go} or later`);
      }
    });
  }
  return defects;
}

const REPO = PACKAGE_ROOT;

function readRepo(rel: string): string | undefined {
  const p = path.join(REPO, rel);
  if (!fs.existsSync(p)) return undefined;
  return fs.statSync(p).isDirectory() ? "" : fs.readFileSync(p, "utf8");
}

/** The docs a reader has: the README, docs/, the examples' READMEs, and the steps `init` prints. */
export function docFiles(): Map<string, string> {
  const out = new Map<string, string>();
  const add = (rel: string) => out.set(rel, fs.readFileSync(path.join(REPO, rel), "utf8"));
  add("README.md");
  for (const f of fs.readdirSync(path.join(REPO, "docs"), { recursive: true }).map(String).sort())
    if (f.endsWith(".md")) add(path.posix.join("docs", f.split(path.sep).join("/")));
  for (const e of fs.readdirSync(path.join(REPO, "examples")).sort())
    if (fs.existsSync(path.join(REPO, "examples", e, "README.md"))) add(`examples/${e}/README.md`);
  add("provider/cli/init.ts");
  return out;
}
