// npm run demo: bootstrap the Pulumi CLI, start a local Mage (unless MAGE_URL
// is set), `pulumi up` examples/mage-etl on a local file backend, and show
// what now exists. With a local Mage it keeps running until Ctrl-C; pass
// `--exit` to tear it down right away (CI does).
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { PipelineEnvelope, ScheduleList } from "../provider/backends/mage/api";
import { mageClient } from "../provider/backends/mage/client";
import { cacheRoot } from "../provider/cli/cache";
import { type MageSandbox, startMage } from "../provider/cli/mageSandbox";
import { progress } from "../provider/cli/process";
import { ensurePulumiCli } from "../provider/cli/pulumiCli";
import { moveStackFile, pulumiEnv } from "./localStack";

const EXAMPLE = path.resolve(__dirname, "..", "..", "examples", "mage-etl");
const STACK = "demo";

async function main(): Promise<void> {
  const exitAfter = process.argv.includes("--exit");
  const bin = await ensurePulumiCli();

  let sandbox: MageSandbox | undefined;
  let target: { url: string; email?: string; password?: string };
  if (process.env.MAGE_URL) {
    target = { url: process.env.MAGE_URL, email: process.env.MAGE_EMAIL, password: process.env.MAGE_PASSWORD };
    progress(`using the Mage at ${target.url} (MAGE_URL)`);
  } else {
    progress("starting a local Mage…");
    sandbox = await startMage();
    target = sandbox;
  }

  // A fresh sandbox is a new server, so its stack starts fresh too; a given
  // MAGE_URL keeps its stack between runs, so a second demo is a no-op.
  const stateDir = sandbox
    ? fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-pipelines-demo-"))
    : path.join(cacheRoot(), "demo-state", target.url.replace(/[^A-Za-z0-9]+/g, "_"));
  const configFile = path.join(stateDir, `Pulumi.${STACK}.yaml`);
  const env = pulumiEnv(bin, stateDir);
  const pulumi = (args: string[], inherit = true) => runPulumi(args, env, configFile, inherit);

  try {
    if ((await pulumi(["stack", "select", STACK], false)) !== 0) {
      await mustPulumi(pulumi, ["stack", "init", STACK]);
      moveStackFile(EXAMPLE, STACK, configFile);
    }
    await mustPulumi(pulumi, ["config", "set", "--path", "pipelines:mage.url", target.url]);
    if (target.email) await mustPulumi(pulumi, ["config", "set", "--path", "pipelines:mage.email", target.email]);
    if (target.password)
      await mustPulumi(pulumi, ["config", "set", "--secret", "--path", "pipelines:mage.password", target.password]);
    await mustPulumi(pulumi, ["up", "--yes"]);
    await showServer(target);
  } catch (e) {
    await sandbox?.stop();
    throw e;
  }

  if (!sandbox) return;
  const lines = [
    "",
    `Mage UI:   ${sandbox.url}/pipelines/orders_etl/edit   (log in as ${sandbox.email} / ${sandbox.password})`,
    `Triggers:  ${sandbox.url}/pipelines/orders_etl/triggers`,
    `Stack:     PULUMI_BACKEND_URL=${env.PULUMI_BACKEND_URL} (passphrase: empty), config in ${configFile}`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  if (!exitAfter) {
    process.stdout.write("Mage keeps running; Ctrl-C stops it.\n");
    await new Promise<void>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
  }
  await sandbox.stop();
  fs.rmSync(stateDir, { recursive: true, force: true });
}

/** What is on the server now, read back through the same client the provider uses. */
async function showServer(target: { url: string; email?: string; password?: string }): Promise<void> {
  const client = mageClient(target);
  const detail = await client.call<PipelineEnvelope>("GET", "/api/pipelines/orders_etl", {
    query: { includes_content: "false", includes_outputs: "false" },
  });
  const triggers = await client.call<ScheduleList>("GET", "/api/pipelines/orders_etl/pipeline_schedules", {
    query: { _limit: "1000" },
  });
  const p = detail.pipeline;
  const out = [
    "",
    `On ${target.url}:`,
    `  pipeline ${p.uuid} (${p.type}) — ${p.description}`,
    ...(p.blocks ?? []).map(
      (b) => `    block ${b.uuid} [${b.type}]${b.upstream_blocks?.length ? ` ← ${b.upstream_blocks.join(", ")}` : ""}`,
    ),
    ...(triggers.pipeline_schedules ?? []).map(
      (s) => `    trigger ${s.name}: ${s.schedule_type} ${s.schedule_interval ?? ""} (${s.status})`,
    ),
  ];
  process.stdout.write(`${out.join("\n")}\n`);
}

function runPulumi(args: string[], env: NodeJS.ProcessEnv, configFile: string, inherit: boolean): Promise<number> {
  const full = [...args, "--non-interactive", ...(args[0] === "stack" ? [] : ["--config-file", configFile])];
  if (args[0] !== "stack") full.push("--stack", STACK);
  return new Promise((resolve, reject) => {
    const child = spawn("pulumi", full, {
      cwd: EXAMPLE,
      env,
      stdio: inherit ? ["ignore", "inherit", "inherit"] : "ignore",
    });
    child.on("error", reject);
    child.on("close", (code) => resolve(code ?? 1));
  });
}

async function mustPulumi(pulumi: (args: string[]) => Promise<number>, args: string[]): Promise<void> {
  const code = await pulumi(args);
  if (code !== 0) throw new Error(`pulumi ${args.join(" ")} exited with ${code}`);
}

main().catch((e) => {
  process.stderr.write(`demo failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
