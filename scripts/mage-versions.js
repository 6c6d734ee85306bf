#!/usr/bin/env node
// npm run test:mage-versions [-- --only oldest|newest|postgres] [--contract]
// The Mage version lane: the Mage contract tests and the model suite's fixed
// sequences against the oldest and the newest supported Mage, and against the
// newest with its metadata in PostgreSQL. Each runs npm test's global set-up
// with PULUMI_PIPELINES_MAGE_VERSION / _METADATA, so one Mage of that kind
// serves the run. `--contract` leaves the model suite out: CI runs
// `--only oldest --contract` (the newest is npm test's own Mage).

const { spawnSync } = require("node:child_process");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const { MAGE_VERSION, OLDEST_MAGE_VERSION } = require(path.join(root, "dist", "provider", "cli", "mageInstall.js"));

const TESTS = [
  "test/contract/mage-auth.test.ts",
  "test/contract/mage-features.test.ts",
  "test/contract/mage-pipeline.test.ts",
  "test/contract/mage-block.test.ts",
  "test/contract/mage-schedule.test.ts",
  "test/contract/mage-shared-reads.test.ts",
  "test/contract/provider-lifecycle.test.ts",
  "test/contract/read-by-id.test.ts",
  "test/e2e/model.test.ts",
];
const LANES = {
  oldest: { version: OLDEST_MAGE_VERSION, metadata: "sqlite" },
  newest: { version: MAGE_VERSION, metadata: "sqlite" },
  postgres: { version: MAGE_VERSION, metadata: "postgres" },
};

const args = process.argv.slice(2);
let only = Object.keys(LANES);
let tests = TESTS;
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--only" && LANES[args[i + 1]]) only = [args[++i]];
  else if (args[i] === "--contract") tests = TESTS.filter((t) => t.startsWith("test/contract/"));
  else {
    process.stderr.write(
      `usage: npm run test:mage-versions [-- --only ${Object.keys(LANES).join("|")}] [--contract]\n`,
    );
    process.exit(64);
  }
}

const vitest = path.join(root, "node_modules", "vitest", "vitest.mjs");
const failed = [];
for (const name of only) {
  const lane = LANES[name];
  process.stdout.write(`\n=== Mage ${lane.version}, metadata in ${lane.metadata} ===\n`);
  const env = {
    ...process.env,
    PULUMI_PIPELINES_MAGE_VERSION: lane.version,
    PULUMI_PIPELINES_MAGE_METADATA: lane.metadata,
  };
  const r = spawnSync(process.execPath, [vitest, "run", ...tests], { cwd: root, env, stdio: "inherit" });
  if (r.status !== 0) failed.push(`Mage ${lane.version} (${lane.metadata})`);
}
if (failed.length) {
  process.stderr.write(`\nfailed on: ${failed.join(", ")}\n`);
  process.exit(1);
}
process.stdout.write(`\npassed on: ${only.map((n) => `Mage ${LANES[n].version} (${LANES[n].metadata})`).join(", ")}\n`);
