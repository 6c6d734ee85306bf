// The fallback Node language host (sdk v3.68.0, see pulumiCli.ts) takes a
// project's runtime options as command-line flags; CLIs of today no longer
// pass them as flags (they send them inside each request), so without help
// that host ignores `typescript: false`, `tsconfig` and `nodeargs` in
// Pulumi.yaml and runs every program through ts-node. The host is therefore
// installed under another name, with a small launcher in its place that reads
// the options from the project's Pulumi.yaml (the host's working directory)
// and `exec`s the host with them as flags: the process the CLI started and
// kills is the host itself.
import * as fs from "node:fs";
import * as path from "node:path";

export const FALLBACK_HOST_BINARY = "pulumi-language-nodejs-v3.68.0";
const OPTIONS_SCRIPT = "pulumi-language-nodejs-options.js";

const LAUNCHER = `#!/usr/bin/env bash
# Written by pulumi-pipelines: runs ${FALLBACK_HOST_BINARY} with the project's
# runtime options from Pulumi.yaml as its flags (that host predates receiving them per request).
here="$(cd "$(dirname "$0")" && pwd)"
flags=()
while IFS= read -r flag; do [ -n "$flag" ] && flags+=("$flag"); done < <(node "$here/${OPTIONS_SCRIPT}" 2>/dev/null)
exec "$here/${FALLBACK_HOST_BINARY}" "\${flags[@]}" "$@"
`;

// Plain JavaScript, run from the cache directory: only Node built-ins and a
// YAML parser found from the project (every Pulumi Node project has js-yaml
// through @pulumi/pulumi). Prints one flag per line; prints nothing when in doubt.
const OPTIONS = `"use strict";
const fs = require("node:fs");
const path = require("node:path");
// The host starts in the folder of the project's main: the project file is there or above, as Pulumi finds it.
function projectFile(dir) {
  for (;;) {
    const found = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
    if (found || path.dirname(dir) === dir) return found;
    dir = path.dirname(dir);
  }
}
const file = projectFile(process.cwd());
if (!file) process.exit(0);
const cwd = path.dirname(file);
function parser() {
  const from = [cwd];
  try { from.push(path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [cwd] }))); } catch {}
  for (const [name, load] of [["yaml", (m) => m.parse], ["js-yaml", (m) => m.load]]) {
    for (const dir of from) {
      try { return load(require(require.resolve(name, { paths: [dir] }))); } catch {}
    }
  }
  return undefined;
}
const parse = parser();
if (!parse) process.exit(0);
const options = (parse(fs.readFileSync(file, "utf8")) || {}).runtime?.options || {};
if (options.typescript === false) console.log("-typescript=false");
if (typeof options.tsconfig === "string") console.log("-tsconfig=" + options.tsconfig);
if (typeof options.nodeargs === "string") console.log("-nodeargs=" + options.nodeargs);
`;

/**
 * Puts the launcher in front of the fallback host in `bin` (idempotent: also
 * upgrades a cache built before the launcher existed).
 */
export function installHostLauncher(bin: string): void {
  const host = path.join(bin, "pulumi-language-nodejs");
  const real = path.join(bin, FALLBACK_HOST_BINARY);
  if (!fs.existsSync(real)) fs.renameSync(host, real);
  writeIfChanged(path.join(bin, OPTIONS_SCRIPT), OPTIONS, 0o644);
  writeIfChanged(host, LAUNCHER, 0o755);
}

function writeIfChanged(file: string, text: string, mode: number): void {
  if (fs.existsSync(file) && fs.readFileSync(file, "utf8") === text) return;
  fs.writeFileSync(`${file}.tmp`, text, { mode });
  fs.renameSync(`${file}.tmp`, file);
}
