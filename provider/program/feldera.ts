// Declared Feldera pipelines → feldera.Pipeline (one resource: its blocks are
// SQL fragments of its program). Files are handed on relative to the project.
import * as path from "node:path";
import { Pipeline } from "../resources/feldera";
import type { FelderaPipeline } from "../spec/types";

export function deployFeldera(decl: FelderaPipeline, dir: string, root: string): Pipeline {
  const rel = (file: string) => path.relative(root, path.resolve(dir, file));
  return new Pipeline(`${decl.target}/${decl.name}`, {
    target: decl.target,
    name: decl.name,
    description: decl.description,
    blocks: decl.blocks.map((b) => (b.sqlFile !== undefined ? { name: b.name, sqlFile: rel(b.sqlFile) } : { name: b.name, sql: b.sql })),
    runtimeConfig: decl.runtimeConfig,
    programConfig: decl.programConfig,
    ...(decl.udfRustFile !== undefined ? { udfRustFile: rel(decl.udfRustFile) } : { udfRust: decl.udfRust }),
    ...(decl.udfTomlFile !== undefined ? { udfTomlFile: rel(decl.udfTomlFile) } : { udfToml: decl.udfToml }),
    desiredState: decl.desiredState,
    compileTimeoutSeconds: decl.compileTimeoutSeconds,
    adopt: decl.adopt,
  });
}
