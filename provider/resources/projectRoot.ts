// The Pulumi project directory (where Pulumi.yaml is). The program's cwd is
// the directory of `main`, which may be deeper (e.g. dist/…), so paths users
// write (codeFile, pipelines:path) are resolved against the project instead.
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";

export function projectRoot(): string {
  // Older language hosts hand the run script no root directory (it then reads
  // as the literal "rootDirectory"), so the engine's answer is checked; SDKs
  // before 3.153 have no getRootDirectory at all.
  const fromEngine = typeof pulumi.getRootDirectory === "function" ? pulumi.getRootDirectory() : "";
  if (path.isAbsolute(fromEngine) && hasProjectFile(fromEngine)) return fromEngine;
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    if (hasProjectFile(dir)) return dir;
    if (path.dirname(dir) === dir) return process.cwd();
  }
}

function hasProjectFile(dir: string): boolean {
  return fs.existsSync(path.join(dir, "Pulumi.yaml")) || fs.existsSync(path.join(dir, "Pulumi.yml"));
}
