// pulumi-pipelines review-stack up|destroy|sweep: a pull request's pipelines
// run before merge, on a stack of their own beside a pre-production one.
//
//   up      --pr <n> --from <stack> --base <git-ref> [paths…] [--timeout <s>]
//           the pipelines the pull request changes (as <stack> sees them)
//           deployed to stack pr-<n>-<stack> (its config copied from <stack>,
//           every object named pr-<n>-…), each run once and waited on; the
//           outcome as Markdown on stdout (exit 2 when a run failed). With no
//           pipeline changed, the review stack is removed if it exists.
//   destroy --pr <n> --from <stack>   the runs, objects and stack of that review
//   sweep   --from <stack> --open "<n …>"   destroy every review stack beside
//           <stack> whose pull request is not among the open ones
//
// Pulumi runs as the workflows run it: the CLI on PATH, in the project folder,
// with the backend and passphrase from the environment. Its output goes to
// stderr: stdout carries the report alone, for the pull request comment.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { felderaClient } from "../backends/feldera/client";
import { readViews } from "../backends/feldera/run";
import { mageClient } from "../backends/mage/client";
import { blockUuid, pipelineUuid } from "../backends/mage/names";
import { deletePipelineRuns, type RunOutcome, runThroughApiTrigger } from "../backends/mage/run";
import {
  REVIEW_TRIGGER,
  type ReviewSettings,
  reviewPrefix,
  reviewStackName,
  reviewStackNumber,
  reviewView,
} from "../declarations/reviewStack";
import type { FelderaPipeline, PipelineDeclaration } from "../declarations/types";
import { felderaTarget, mageTarget, type TargetSource } from "../resources/config";
import { sqlRelations } from "../review/sqlRelations";
import { EXIT, type Out, parseCommand, usageError } from "./args";
import { fromGit } from "./diff";
import { pulumiOutput, stackEnv } from "./process";
import { readStackConfig } from "./stackConfig";

export const REVIEW_STACK = {
  name: "review-stack",
  usage: `review-stack up|destroy|sweep --from <stack> [--pr <n>] [--base <git-ref>] [--open "<n …>"] [paths…]
                 run a pull request's changed pipelines before merge on stack pr-<n>-<stack>:
                 up (deploy them under the prefix pr-<n>-, run each once, Markdown outcome on stdout;
                 exit 2 when a run failed), destroy (that stack's runs, objects and stack), sweep
                 (destroy each review stack whose pull request is not in --open); --timeout <s> per run`,
  options: {
    from: { type: "string" },
    pr: { type: "string" },
    base: { type: "string" },
    open: { type: "string" },
    timeout: { type: "string", default: "1800" },
  },
  positionals: Number.POSITIVE_INFINITY,
} as const;

/** The first line of the report: the comment that carries it is found (and updated) by it. */
export const REVIEW_STACK_MARKER = "<!-- pulumi-pipelines-review-stack -->";

export async function reviewStackCommand(args: string[], out: Out, err: Out = process.stderr): Promise<number> {
  const parsed = parseCommand(REVIEW_STACK, args, out, err);
  if (typeof parsed === "number") return parsed;
  const [action, ...paths] = parsed.positionals;
  const { from, base, open } = parsed.values;
  const pr = parsed.values.pr === undefined ? undefined : Number(parsed.values.pr);
  const timeout = Number(parsed.values.timeout);
  if (!["up", "destroy", "sweep"].includes(action ?? ""))
    return usageError(REVIEW_STACK, "give up, destroy or sweep", err);
  if (!from) return usageError(REVIEW_STACK, "--from <stack> names the pre-production stack to review beside", err);
  if (action !== "sweep" && !(pr !== undefined && Number.isInteger(pr) && pr > 0))
    return usageError(REVIEW_STACK, "--pr takes the pull request's number", err);
  if (action === "up" && !base) return usageError(REVIEW_STACK, "up needs --base <git-ref>", err);
  if (!(timeout > 0)) return usageError(REVIEW_STACK, "--timeout takes a number of seconds", err);
  const numbers = (open ?? "").split(/[\s,]+/).filter(Boolean);
  if (action === "sweep" && (open === undefined || numbers.some((n) => !/^[1-9][0-9]*$/.test(n))))
    return usageError(REVIEW_STACK, '--open takes the open pull requests\' numbers ("" when none is open)', err);
  try {
    if (action === "destroy") {
      const stack = reviewStackName(from, pr!);
      if ((await stacks()).includes(stack)) await destroyReviewStack(stack, from, err);
      else err.write(`review-stack: no stack ${stack}; nothing to destroy\n`);
      return EXIT.ok;
    }
    if (action === "sweep") return await sweep(from, new Set(numbers.map(Number)), out, err);
    return await up({ from, pr: pr!, base: base!, paths: paths.length ? paths : ["pipelines"], timeout }, out, err);
  } catch (e) {
    err.write(`review-stack ${action}: ${(e as Error).message}\n`);
    return EXIT.failed;
  }
}

interface UpOptions {
  from: string;
  pr: number;
  base: string;
  paths: string[];
  timeout: number;
}

async function up(opts: UpOptions, out: Out, err: Out): Promise<number> {
  const stack = reviewStackName(opts.from, opts.pr);
  const review = await fromGit(opts.base, opts.paths, err, opts.from);
  if (!review) return EXIT.failed;
  const changed = new Set(review.changes.map((c) => c.pipeline));
  const names = review.head.pipelines.map((p) => p.decl).filter((d) => changed.has(`${d.target}/${d.name}`));
  const settings: ReviewSettings = {
    from: opts.from,
    prefix: reviewPrefix(opts.pr),
    pipelines: [...new Set(names.map((d) => d.name))],
  };
  // The same view the program deploys (with the Ionworks pipelines the changed ones take results from).
  const view = reviewView(review.head.pipelines, settings);
  const exists = (await stacks()).includes(stack);
  if (!view.pipelines.length) {
    // Nothing left to run (a later push took the change back): the earlier review goes.
    if (exists) await destroyReviewStack(stack, opts.from, err);
    out.write(render(stack, [], view.skipped, "No pipeline this pull request changes can run in a review stack."));
    return EXIT.ok;
  }
  if (exists) await pulumi(["config", "cp", "--stack", opts.from, "--dest", stack], err);
  else await pulumi(["stack", "init", stack, "--copy-config-from", opts.from], err);
  await pulumi(["config", "set", "--stack", stack, "pipelines:review", JSON.stringify(settings)], err);
  const log: string[] = [];
  try {
    await pulumi(["up", "--yes", "--skip-preview", "--stack", stack], err, log);
  } catch {
    // The engine's refusal, as the provider words it (credentials redacted; Pulumi masks secrets).
    const errors = log
      .join("")
      .split("\n")
      .filter((l) => /^\s*error: /.test(l))
      .map((l) => `> ${l.trim().slice(0, 500)}`)
      .slice(0, 5);
    out.write(render(stack, [], view.skipped, ["`pulumi up` of the review stack failed:", "", ...errors].join("\n")));
    return EXIT.finding;
  }
  const config = await readStackConfig(stack, undefined);
  const outcomes: RunOutcome[] = [];
  for (const entry of view.pipelines)
    outcomes.push(await runOnce(entry, settings.prefix, { config, env: {} }, opts.timeout));
  out.write(render(stack, outcomes, view.skipped));
  return outcomes.every((o) => o.status === "completed") ? EXIT.ok : EXIT.finding;
}

/** One run of a reviewed pipeline, where its engine runs pipelines on request. */
async function runOnce(
  { decl, dir }: { decl: PipelineDeclaration; dir: string },
  prefix: string,
  targets: TargetSource,
  timeoutSeconds: number,
): Promise<RunOutcome> {
  // Reported by the names the pull request declares.
  const declared = (name: string) => name.slice(prefix.length);
  // An Ionworks pipeline is a run: the review's deploy submitted it and waited for it (a failed run fails the up).
  if (decl.engine === "ionworks")
    return { pipeline: declared(decl.name), status: "completed", failedBlocks: [], error: "run by the deploy" };
  if (decl.engine === "feldera") {
    // Deployed running (the review's view says so): each materialized view is read back.
    const client = felderaClient(felderaTarget(targets, decl.target));
    const read = await readViews(client, decl.name, materializedViews(decl, dir));
    return {
      pipeline: declared(decl.name),
      status: read.status,
      failedBlocks: [],
      url: `${client.url}/pipelines/${encodeURIComponent(decl.name)}/`,
      error:
        read.error ??
        (read.views.map((v) => `${v.view}: ${v.rows} row(s)`).join(", ") || "no materialized view to read"),
    };
  }
  const client = mageClient(mageTarget(targets, decl.target));
  const outcome = await runThroughApiTrigger(client, pipelineUuid(decl.name), REVIEW_TRIGGER, {
    timeoutMs: timeoutSeconds * 1000,
    pollMs: 1000,
  });
  const uuidPrefix = blockUuid(prefix);
  return {
    ...outcome,
    pipeline: declared(decl.name),
    failedBlocks: outcome.failedBlocks.map((b) => (b.startsWith(uuidPrefix) ? b.slice(uuidPrefix.length) : b)),
  };
}

/** The tables' and materialized views' names of a Feldera declaration's program, as ad-hoc queries name them. */
function materializedViews(decl: FelderaPipeline, dir: string): string[] {
  const sql = decl.blocks.map((b) => b.sql ?? fs.readFileSync(path.resolve(dir, b.sqlFile ?? ""), "utf8")).join("\n");
  return sqlRelations(sql)
    .filter((r) => r.kind === "materialized view")
    .map((r) => (r.name.startsWith('"') ? r.name.slice(1, -1).replace(/""/g, '"') : r.name.toLowerCase()));
}

/** The outcome as the pull request's comment shows it. */
export function render(
  stack: string,
  outcomes: RunOutcome[],
  skipped: { name: string; why: string }[],
  note?: string,
): string {
  const result = (o: RunOutcome) => (o.status === "completed" ? "✅ passed" : `❌ ${o.status}`);
  const lines = [REVIEW_STACK_MARKER, `## Review stack \`${stack}\``, ""];
  if (note) lines.push(note, "");
  if (outcomes.length) {
    lines.push("| Pipeline | Result | Failed blocks, or what was read | Run |", "| --- | --- | --- | --- |");
    for (const o of outcomes)
      lines.push(
        `| \`${o.pipeline}\` | ${result(o)} | ${
          o.failedBlocks.map((b) => `\`${b}\``).join(", ") || (o.error ?? "")
        } | ${o.url ? `[${o.runId === undefined ? "pipeline" : `run ${o.runId}`}](${o.url})` : ""} |`,
      );
    lines.push("");
  }
  for (const s of skipped) lines.push(`- \`${s.name}\` is not deployed: ${s.why}`);
  return `${lines.join("\n").trimEnd()}\n`;
}

/** The review stack's runs (Mage keeps them after a pipeline goes), objects and the stack itself. */
async function destroyReviewStack(stack: string, from: string, err: Out): Promise<void> {
  // The targets' settings: the stack's own config file is not in a fresh checkout.
  await pulumi(["config", "cp", "--stack", from, "--dest", stack], err);
  const config = await readStackConfig(stack, undefined);
  for (const p of await deployedMagePipelines(stack)) {
    const client = mageClient(mageTarget({ config, env: {} }, p.target));
    const n = await deletePipelineRuns(client, p.uuid);
    err.write(`review-stack: deleted ${n} run(s) of ${p.uuid}\n`);
  }
  await pulumi(["destroy", "--yes", "--skip-preview", "--stack", stack], err);
  await pulumi(["stack", "rm", "--yes", "--stack", stack], err);
}

async function sweep(from: string, open: Set<number>, out: Out, err: Out): Promise<number> {
  const closed = (await stacks()).filter((s) => {
    const n = reviewStackNumber(s, from);
    return n !== undefined && !open.has(n);
  });
  for (const stack of closed) await destroyReviewStack(stack, from, err);
  out.write(closed.length ? `Removed ${closed.join(", ")}\n` : "No review stack to remove\n");
  return EXIT.ok;
}

/** Mage pipelines in a stack's state (`pulumi stack export`, no secret read): uuid and target. */
async function deployedMagePipelines(stack: string): Promise<{ uuid: string; target: string }[]> {
  const state = JSON.parse(await pulumiOutput(["stack", "export", "--stack", stack])) as {
    deployment?: { resources?: { type: string; outputs?: Record<string, unknown> }[] };
  };
  return (state.deployment?.resources ?? [])
    .filter((r) => r.type.endsWith("mage:Pipeline") && typeof r.outputs?.name === "string")
    .map((r) => ({
      uuid: typeof r.outputs!.uuid === "string" ? r.outputs!.uuid : pipelineUuid(r.outputs!.name as string),
      target: typeof r.outputs!.target === "string" ? r.outputs!.target : "mage",
    }));
}

/**
 * Every stack of the project in the current backend, by name as `--stack` takes it. One stack read at a time: the
 * PostgreSQL backend of Pulumi 3.248 deadlocks listing more stacks than twice the CPUs (each parallel read holds
 * one pooled connection and waits for another; backend/diy/postgres/bucket.go), and review stacks make many.
 */
async function stacks(): Promise<string[]> {
  const env = { ...process.env, PULUMI_DIY_BACKEND_PARALLEL: process.env.PULUMI_DIY_BACKEND_PARALLEL ?? "1" };
  const list = JSON.parse(await pulumiOutput(["stack", "ls", "--json"], env)) as { name: string }[];
  return list.map((s) => s.name);
}

/** A Pulumi command whose output goes to stderr (never stdout: that is the report's), and to `log` when given. */
function pulumi(args: string[], err: Out, log: string[] = []): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("pulumi", [...args, "--non-interactive"], {
      stdio: ["ignore", "pipe", "pipe"],
      env: stackEnv(args),
    });
    const take = (d: Buffer) => {
      err.write(d.toString());
      log.push(d.toString());
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    child.on("error", (e) =>
      reject(
        (e as NodeJS.ErrnoException).code === "ENOENT" ? new Error("review-stack needs the pulumi CLI on PATH") : e,
      ),
    );
    child.on("close", (code) =>
      code === 0 ? resolve() : reject(new Error(`pulumi ${args.slice(0, 2).join(" ")} exited with ${code}`)),
    );
  });
}
