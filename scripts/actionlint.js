#!/usr/bin/env node
// npm run lint:workflows: checks the example GitHub Actions workflows with
// actionlint, built once from the Go module proxy into the cache
// (~/.cache/pulumi-pipelines/actionlint-<version>). Needs Go, as the Pulumi CLI build does.
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const VERSION = "v1.7.12";
const root = path.resolve(__dirname, "..");
const cache = process.env.PULUMI_PIPELINES_CACHE ?? path.join(os.homedir(), ".cache", "pulumi-pipelines");
const bin = path.join(cache, `actionlint-${VERSION.slice(1)}`, "bin");
const exe = path.join(bin, "actionlint");

if (!fs.existsSync(exe)) {
  process.stderr.write(
    `[pulumi-pipelines] building actionlint ${VERSION} from the Go module proxy (first run only)…\n`,
  );
  const r = spawnSync("go", ["install", `github.com/rhysd/actionlint/cmd/actionlint@${VERSION}`], {
    stdio: "inherit",
    env: { ...process.env, GOBIN: bin, GOFLAGS: "-mod=mod", GOWORK: "off" },
  });
  if (r.error || r.status !== 0) {
    process.stderr.write(`actionlint could not be built (${r.error?.message ?? `go exited ${r.status}`})\n`);
    process.exit(1);
  }
}

// The workflows init writes, and this project's own (the release workflow).
const files = [path.join(root, "examples", "github-actions"), path.join(root, ".github", "workflows")]
  .filter((dir) => fs.existsSync(dir))
  .flatMap((dir) =>
    fs
      .readdirSync(dir)
      .filter((f) => f.endsWith(".yml"))
      .map((f) => path.join(dir, f)),
  );
// Without shellcheck on PATH actionlint skips the run: scripts; it checks expressions, contexts and action inputs.
const r = spawnSync(exe, ["-color", ...files], { stdio: "inherit", cwd: root });
if (r.status === 0) process.stdout.write(`actionlint ${VERSION}: ${files.length} workflows clean\n`);
process.exit(r.status ?? 1);
