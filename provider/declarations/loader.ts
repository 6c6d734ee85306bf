// Loads declaration files: parse (with positions) → schema → cross-checks.
// All errors of all files at once, each as file:line:col; no network.
import * as fs from "node:fs";
import * as path from "node:path";
import { crossCheck, type Located } from "./crossCheck";
import { stacksOf, stackView } from "./environments";
import { type DeclarationError, formatPath, type PathPart } from "./errors";
import { validateSchema } from "./schema";
import { parseSource, positionOf, type Source } from "./source";
import type { MageSecret, PipelineDeclaration } from "./types";

export interface LoadedPipeline {
  /** The YAML file, as given (relative paths stay relative). */
  file: string;
  /** Its directory, against which code, SQL and UDF files resolve. */
  dir: string;
  line: number;
  decl: PipelineDeclaration;
  /** Where a field of this pipeline is in its file (path from the pipeline). */
  at(path: readonly PathPart[]): { line: number; col: number };
}

export interface LoadedSecret {
  file: string;
  index: number;
  decl: MageSecret;
  at(path: readonly PathPart[]): { line: number; col: number };
}

export interface LoadResult {
  files: string[];
  /** Every stack the files give values for (`environments`), sorted. */
  stacks: string[];
  pipelines: LoadedPipeline[];
  secrets: LoadedSecret[];
  errors: DeclarationError[];
}

/**
 * Every *.yaml / *.yml under the given files and folders (sorted), except
 * Pulumi project, stack and policy pack files; hidden folders and node_modules are skipped.
 */
export function findDeclarationFiles(paths: string[]): { files: string[]; errors: DeclarationError[] } {
  const files: string[] = [];
  const errors: DeclarationError[] = [];
  const walk = (p: string) => {
    for (const entry of fs.readdirSync(p, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
      const full = path.join(p, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.ya?ml$/i.test(entry.name) && !/^Pulumi(Policy)?(\..+)?\.ya?ml$/.test(entry.name)) files.push(full);
    }
  };
  for (const p of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch {
      errors.push({ file: p, line: 1, col: 1, path: "", message: "no such file or folder" });
      continue;
    }
    if (stat.isDirectory()) walk(p);
    else files.push(p);
  }
  return { files, errors };
}

export interface LoadOptions {
  /** Whose values to take where an entry gives values per stack (`environments`); none: the values as written. */
  stack?: string;
}

export function loadPaths(paths: string[], opts: LoadOptions = {}): LoadResult {
  const found = findDeclarationFiles(paths);
  const result = loadFiles(
    found.files.map((file) => ({ file, bytes: fs.readFileSync(file) })),
    opts,
  );
  return { ...result, errors: [...found.errors, ...result.errors] };
}

/**
 * Loads files already read; cross-checks (e.g. duplicate pipelines) span all of them. The file as written is
 * checked against the schema (every stack's values included); the rules and cross-checks run on the stack's view.
 */
export function loadFiles(inputs: { file: string; bytes: Uint8Array }[], opts: LoadOptions = {}): LoadResult {
  const errors: DeclarationError[] = [];
  const valid: Located[] = [];
  const secrets: LoadedSecret[] = [];
  const stacks = new Set<string>();
  for (const { file, bytes } of inputs) {
    const parsed = parseSource(file, bytes);
    errors.push(...parsed.errors);
    if (!parsed.source) continue;
    const schemaErrors = validateSchema(parsed.source);
    errors.push(...schemaErrors);
    for (const name of stacksOf(parsed.source.data)) stacks.add(name);
    const view = stackView(parsed.source.data, opts.stack);
    const source: Source = { ...parsed.source, data: view.data, locate: view.locate };
    valid.push(...schemaValidPipelines(source, schemaErrors));
    secrets.push(...declaredSecrets(source));
  }
  errors.push(...crossCheck(valid), ...duplicateSecrets(secrets));
  const pipelines = errors.length
    ? []
    : valid.map(({ source, index, decl }) => ({
        file: source.file,
        dir: path.dirname(source.file),
        line: source.lines.linePos(
          (source.doc.getIn(["pipelines", index], true) as { range?: number[] })?.range?.[0] ?? 0,
        ).line,
        decl,
        at: (p: readonly PathPart[]) => positionOf(source, ["pipelines", index, ...p]),
      }));
  return {
    files: inputs.map((i) => i.file),
    stacks: [...stacks].sort(),
    pipelines,
    secrets: errors.length ? [] : secrets,
    errors: sortErrors(errors),
  };
}

function declaredSecrets(source: Source): LoadedSecret[] {
  const list = (source.data as { secrets?: unknown })?.secrets;
  if (!Array.isArray(list)) return [];
  return list.map((decl, index) => ({
    file: source.file,
    index,
    decl: decl as MageSecret,
    at: (p: readonly PathPart[]) => positionOf(source, ["secrets", index, ...p]),
  }));
}

/** One secret per name and server, across all files. */
function duplicateSecrets(secrets: LoadedSecret[]): DeclarationError[] {
  const seen = new Map<string, LoadedSecret>();
  const errors: DeclarationError[] = [];
  for (const s of secrets) {
    const key = `${s.decl.target}/${s.decl.name}`;
    const first = seen.get(key);
    if (!first) seen.set(key, s);
    else
      errors.push({
        file: s.file,
        ...s.at(["name"]),
        path: formatPath(["secrets", s.index, "name"]),
        message: `secret '${s.decl.name}' on target '${s.decl.target}' is already declared at ${first.file}:${first.at(["name"]).line}`,
      });
  }
  return errors;
}

/** Fields whose schema errors make a pipeline unusable for cross-checks as a whole. */
const STRUCTURAL = ["engine", "target", "name", "blocks", "schedules", "variables"];

/**
 * Pipelines to cross-check despite schema errors elsewhere in them, so every
 * error is reported in one go; a block or schedule with its own schema error
 * is marked broken and skipped (its name still resolves upstream references).
 */
function schemaValidPipelines(source: Source, errors: DeclarationError[]): Located[] {
  const data = source.data as { pipelines?: unknown };
  if (!Array.isArray(data?.pipelines)) return [];
  return data.pipelines.flatMap((decl, index) => {
    const prefix = formatPath(["pipelines", index]);
    const inside = errors
      .filter((e) => e.path === prefix || e.path.startsWith(`${prefix}.`))
      .map((e) => e.path.slice(prefix.length + 1));
    if (inside.some((rest) => rest === "" || STRUCTURAL.includes(rest))) return [];
    const broken = new Set(
      inside.map((rest) => rest.match(/^(blocks|schedules)\[\d+\]/)?.[0]).filter((x): x is string => !!x),
    );
    return [{ source, index, decl: decl as PipelineDeclaration, broken }];
  });
}

function sortErrors(errors: DeclarationError[]): DeclarationError[] {
  return [...errors].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col);
}
