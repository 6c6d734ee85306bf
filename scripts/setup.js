#!/usr/bin/env node
// Runs before `npm test`, `npm run demo` and `npm run bench`, so that those
// commands are all the set-up a fresh clone needs: installs the locked
// dependencies when node_modules was not installed from this exact
// package.json + package-lock.json, then builds (incrementally, so a build
// with nothing changed takes a second or two).
// Plain Node with no dependencies: it runs before any are installed.

const { spawnSync } = require("node:child_process");
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const stamp = path.join(root, "node_modules", ".pulumi-pipelines-installed");

/** The lock file and what package.json says of dependencies (not its scripts): what `npm ci` installs from. */
function lockHash() {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
  const declared = ["dependencies", "devDependencies", "optionalDependencies", "overrides"].map((k) => pkg[k] ?? null);
  return crypto
    .createHash("sha256")
    .update(JSON.stringify(declared))
    .update(fs.readFileSync(path.join(root, "package-lock.json")))
    .digest("hex");
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit" });
  if (r.error) throw r.error;
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const want = lockHash();
const have = fs.existsSync(stamp) ? fs.readFileSync(stamp, "utf8").trim() : "";
if (have !== want) {
  process.stderr.write("[pulumi-pipelines] installing the locked dependencies (npm ci)…\n");
  run(process.platform === "win32" ? "npm.cmd" : "npm", ["ci", "--no-audit", "--no-fund"]);
  fs.writeFileSync(stamp, `${want}\n`);
}
run(process.execPath, [
  path.join(root, "node_modules", "typescript", "bin", "tsc"),
  "-p",
  path.join(root, "tsconfig.json"),
]);

// The JSON Schema validators, compiled once here rather than by every program and provider process
// (scripts/validators.ts); again only when the schema or the compiler script is newer.
const validators = path.join(root, "dist", "schemas", "validators.js");
const mtime = (f) => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : 0);
const sources = [
  path.join(root, "schemas", "pipelines.schema.json"),
  path.join(root, "dist", "scripts", "validators.js"),
];
if (sources.some((f) => mtime(f) > mtime(validators)))
  run(process.execPath, [path.join(root, "dist", "scripts", "validators.js")]);
