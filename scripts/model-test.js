#!/usr/bin/env node
// npm run test:model -- [--runs N] [--steps K] [--seed S] [--shrink]
// Runs the model-based suite (test/e2e/model.test.ts) longer than npm test
// does: ten generated sequences of eight edits unless --runs and --steps say
// otherwise (npm test runs one of five). With --shrink, a failing sequence is shrunk to a smaller one (each try
// is a full run against Mage: slow).

const { spawnSync } = require("node:child_process");
const path = require("node:path");

const env = { MODEL_RUNS: "10", MODEL_STEPS: "8", ...process.env };
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  const value = () => {
    const v = args[++i];
    if (v === undefined || !/^\d+$/.test(v)) throw new Error(`${args[i - 1]} needs a whole number`);
    return v;
  };
  if (args[i] === "--runs") env.MODEL_RUNS = value();
  else if (args[i] === "--steps") env.MODEL_STEPS = value();
  else if (args[i] === "--seed") env.MODEL_SEED = value();
  else if (args[i] === "--shrink") env.MODEL_SHRINK = "1";
  else {
    process.stderr.write(`unknown option ${args[i]}; use --runs N --steps K --seed S --shrink\n`);
    process.exit(2);
  }
}
const root = path.resolve(__dirname, "..");
const vitest = path.join(root, "node_modules", "vitest", "vitest.mjs");
const r = spawnSync(process.execPath, [vitest, "run", "test/e2e/model.test.ts"], { cwd: root, env, stdio: "inherit" });
process.exit(r.status ?? 1);
