import { randomBytes } from "node:crypto";
import * as path from "node:path";
import { inject } from "vitest";
import { type MageClient, type MageTarget, mageClient } from "../../provider/backends/mage/client";
import { compareVersions } from "../../provider/backends/mage/features";
import { ensureMageVenv } from "../../provider/cli/mageInstall";
import { run } from "../../provider/cli/process";

/** The run's real Mage server (see test/setup/global.ts). */
export function mageTarget(url?: string): MageTarget {
  const mage = inject("mage");
  return { url: url ?? mage.url, email: mage.email, password: mage.password };
}

/** The run's Mage version (npm test: 0.9.80; the version lane: the oldest supported too). */
export function mageVersion(): string {
  return inject("mage").version;
}

/** Where the run's Mage keeps its metadata. */
export function mageMetadata(): "sqlite" | "postgres" {
  return inject("mage").metadata;
}

/** Whether the run's Mage is `version` or newer. */
export function mageAtLeast(version: string): boolean {
  return compareVersions(mageVersion(), version) >= 0;
}

export function testClient(url?: string): MageClient {
  return mageClient(mageTarget(url));
}

export function mageProjectDir(): string {
  return inject("mage").projectDir;
}

/** Names unique per test so tests share one server without colliding. */
export function uniqueName(prefix: string): string {
  return `${prefix} ${randomBytes(3).toString("hex")}`;
}

/** Points a test stack's `pipelines:mage` at the run's Mage (or a proxy in front of it); the password as a secret. */
export async function configureMage(
  stack: { config(key: string, value: string, opts?: { secret?: boolean; path?: boolean }): Promise<unknown> },
  url?: string,
): Promise<void> {
  const t = mageTarget(url);
  await stack.config("pipelines:mage.url", t.url, { path: true });
  await stack.config("pipelines:mage.email", t.email!, { path: true });
  await stack.config("pipelines:mage.password", t.password!, { path: true, secret: true });
}

/**
 * A secret's value as Mage's own code reads it (get_secret_value, in the run's
 * Mage environment and data directory): what a block would get.
 */
export async function mageSecretValue(name: string): Promise<string | null> {
  const projectDir = mageProjectDir();
  const root = path.dirname(projectDir);
  const python = path.join(await ensureMageVenv(mageVersion()), "bin", "python");
  const script = [
    "import json, sys",
    "from mage_ai.settings.repo import set_repo_path",
    "set_repo_path(sys.argv[1])",
    "from mage_ai.orchestration.db import db_connection",
    "db_connection.start_session()",
    "from mage_ai.data_preparation.shared.secrets import get_secret_value",
    "print(json.dumps(get_secret_value(sys.argv[2], suppress_warning=True)))",
  ].join("\n");
  const out = await run(python, ["-c", script, projectDir, name], {
    cwd: root,
    env: { ...process.env, MAGE_DATA_DIR: path.join(root, "data") },
  });
  return JSON.parse(out.trim().split("\n").pop()!);
}

/** Mage's pipelines whose names start with `${prefix}-` (a test's own, on the shared server), read from Mage's API. */
export async function pipelinesNamed(prefix: string): Promise<any[]> {
  const { pipelines } = await testClient().call<any>("GET", "/api/pipelines", { query: { _limit: "1000" } });
  return pipelines.filter((p: any) => p.name.startsWith(`${prefix}-`));
}

/** Mage's triggers of those pipelines. */
export async function triggersOf(prefix: string): Promise<any[]> {
  const { pipeline_schedules } = await testClient().call<any>("GET", "/api/pipeline_schedules", {
    query: { _limit: "10000" },
  });
  return pipeline_schedules.filter((t: any) => t.pipeline_uuid.startsWith(prefix.replace(/-/g, "_")));
}

/** What the scale program (test/e2e/programs/scale) has on Mage under `prefix`: each pipeline's block count, and the triggers' names. */
export async function scaleShape(prefix: string): Promise<{ blocks: number[]; triggers: string[] }> {
  const blocks: number[] = [];
  for (const p of await pipelinesNamed(prefix)) {
    const detail = await testClient().call<any>("GET", `/api/pipelines/${p.uuid}`, {
      query: { includes_content: "false", includes_outputs: "false" },
    });
    blocks.push(detail.pipeline.blocks.length);
  }
  return { blocks, triggers: (await triggersOf(prefix)).map((t: any) => t.name) };
}
