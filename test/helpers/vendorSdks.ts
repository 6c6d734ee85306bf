// The vendors' own Python clients, for conformance tests that drive the
// Feldera and Ionworks emulators the way users' scripts drive the real
// servers: one cached virtualenv per set of pinned versions, built like the
// Mage sandbox's (a `.complete` marker written last).
import * as fs from "node:fs";
import * as path from "node:path";
import { cacheRoot, isComplete, markComplete } from "../../provider/cli/cache";
import { findPython } from "../../provider/cli/mageInstall";
import { progress, run } from "../../provider/cli/process";
import { sh } from "./spawn";

/**
 * Pinned: `feldera` at the release the emulator's OpenAPI fixture comes from
 * (test/fixtures/feldera/openapi.json, x-derived-from), so the SDK and the
 * emulated server are one release; Ionworks' client with the schema package it
 * validates pipelines with.
 */
export const VENDOR_SDKS = ["feldera==0.337.0", "ionworks-api==0.38.0", "ionworks-schema==0.33.0"];

export async function ensureVendorSdks(): Promise<string> {
  const key = VENDOR_SDKS.map((s) => s.replace("==", "-")).join("_");
  const venv = path.join(cacheRoot(), `vendor-sdks_${key}`);
  if (isComplete(venv)) return venv;
  fs.rmSync(venv, { recursive: true, force: true });
  progress(`installing ${VENDOR_SDKS.join(", ")} into ${venv} (first run only)…`);
  await run(await findPython(), ["-m", "venv", venv]);
  await run(path.join(venv, "bin", "pip"), ["install", "--quiet", "--disable-pip-version-check", ...VENDOR_SDKS]);
  markComplete(venv);
  return venv;
}

export interface FlowResult {
  code: number | null;
  steps: string[];
  output: string;
}

/** Runs a flow script with the SDK virtualenv's Python; never throws on a failing flow. */
export async function runFlow(venv: string, script: string, env: Record<string, string>): Promise<FlowResult> {
  const { code, output } = await sh(path.join(venv, "bin", "python"), [script], process.cwd(), {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    PYTHONUNBUFFERED: "1",
    PYTHONDONTWRITEBYTECODE: "1",
    ...env,
  });
  const steps = output
    .split("\n")
    .filter((l) => l.startsWith("step "))
    .map((l) => l.slice(5));
  return { code, output, steps };
}
