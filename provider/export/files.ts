// The files an export writes, rendered deterministically: the same server
// state gives byte-identical files, so a second export after adoption is a
// clean `git diff`.
import * as fs from "node:fs";
import * as path from "node:path";
import YAML from "yaml";
import type { PipelineDeclaration } from "../declarations/types";

export interface ExportedFile {
  /** Relative to the export's root folder. */
  path: string;
  content: string;
}

export interface Skipped {
  what: string;
  why: string;
}

/** pipelines/<file>.yaml with one declaration, which points to its code files relative to itself. */
export function declarationFile(file: string, decl: PipelineDeclaration, engineNote: string): ExportedFile {
  const doc = new YAML.Document({ pipelines: [decl] });
  const header = [
    `# Exported from the live ${engineNote} by \`pulumi-pipelines export\`.`,
    "# adopt: true lets the first `pulumi up` take the live objects over without recreating",
    "# them; remove it once that has run (see the README, 'Adopting existing pipelines').",
  ].join("\n");
  return { path: `pipelines/${file}.yaml`, content: `${header}\n${doc.toString({ lineWidth: 0 })}` };
}

/** Writes the files under `root`; refuses to write outside it. */
export function writeFiles(root: string, files: ExportedFile[]): void {
  const base = path.resolve(root);
  for (const f of files) {
    const full = path.resolve(base, f.path);
    if (!full.startsWith(`${base}${path.sep}`)) throw new Error(`export would write outside ${root}: ${f.path}`);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, f.content);
  }
}

/** A file name from a pipeline name, stable and safe on every file system. */
export function fileStem(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^[._]+/, "") || "pipeline";
}

/** Empty lists and mappings (and null) left out: the defaults a declaration does not repeat. */
export function nonEmpty<T>(v: T | undefined | null): T | undefined {
  if (v === null || v === undefined) return undefined;
  if (Array.isArray(v)) return v.length ? v : undefined;
  if (typeof v === "object") return Object.keys(v as object).length ? v : undefined;
  return v;
}

/** Without its undefined keys, so YAML does not print them. */
export function compact<T>(o: T): T {
  return Object.fromEntries(Object.entries(o as object).filter(([, v]) => v !== undefined)) as T;
}

/** Distinct file stems within one folder: a second `a_b` becomes `a_b_2`. */
export function stemmer(): (name: string) => string {
  const used = new Set<string>();
  return (name) => {
    const base = fileStem(name);
    let stem = base;
    for (let n = 2; used.has(stem.toLowerCase()); n++) stem = `${base}_${n}`;
    used.add(stem.toLowerCase());
    return stem;
  };
}
