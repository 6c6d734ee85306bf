// Runs a repository's GitHub Actions workflows for one event, the way GitHub
// would on an ubuntu-latest runner, for the workflows `init` writes:
// - the workflows are read from the commit the event runs (GitHub reads them
//   from the merge commit of a pull request, the pushed commit of a push, the
//   default branch's head for a schedule), and which run is decided by
//   ./triggers.ts;
// - jobs run in `needs` order with GitHub's status rules; `if:`, `${{ }}` in
//   `env`, `with` and `run`, job outputs and step outputs are evaluated by
//   GitHub's expression library (./expressions.ts);
// - `run:` steps run in bash as the runner calls it (`bash -e {0}` by default,
//   `bash --noprofile --norc -eo pipefail {0}` for `shell: bash`) in a fresh
//   clone, with $GITHUB_OUTPUT, $GITHUB_ENV and $GITHUB_PATH;
// - the actions used are modelled by what they do: actions/checkout fetches as
//   the action does (depth 1 unless fetch-depth says otherwise; the ref of the
//   event), actions/setup-node puts the Node it asks for first on PATH,
//   pulumi/actions puts the Pulumi CLI on PATH and runs the command its inputs
//   name, actions/github-script runs the script against a recording stand-in
//   for the GitHub API (./github-script.cjs), actions/upload-artifact and
//   download-artifact keep a run's artifacts and hand them to another run. Any
//   other action, or an input these do not model, fails the job: nothing
//   passes unseen;
// - a job with an `environment` gets that environment's secrets, and waits for
//   its required reviewers (a callback says whether they approve);
// - a completed workflow run starts the default branch's workflows listening
//   for it (`workflow_run`), as GitHub does, with write access and secrets even
//   when the run was a fork's.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { ensureNode } from "../node";
import { sh } from "../spawn";
import { type Contexts, condition, interpolate, type Status } from "./expressions";
import { filterPattern, fires, type Trigger } from "./triggers";

/** One event on the repository, as GitHub sends it to the runner. */
export interface GitHubEvent {
  trigger: Trigger;
  /** The ref the runner checks out: refs/heads/main, refs/pull/<n>/merge. */
  ref: string;
  /** github.event */
  payload: Record<string, unknown>;
  baseRef?: string;
  headRef?: string;
}

export interface RunnerSetup {
  /** The repository's bare "origin" that the runner fetches from. */
  origin: string;
  /** owner/name */
  repository: string;
  vars: Record<string, string>;
  secrets: Record<string, string>;
  /** The directory of the Pulumi CLI that pulumi/actions installs. */
  pulumiBin: string;
  /** Where the GitHub stand-in keeps the repository's issues and comments. */
  githubState: string;
  /** Machine-level environment of the runner (a package cache, say); never secrets. */
  machineEnv?: NodeJS.ProcessEnv;
  /** GitHub environments by name: their secrets, and their required reviewers' decision on a job. */
  environments?: Record<string, GitHubEnvironment>;
}

export interface GitHubEnvironment {
  secrets?: Record<string, string>;
  /** Required reviewers: called when a job waits for them (`workflow/job`); false rejects the deployment. */
  approve?: (job: string) => Promise<boolean>;
}

export interface StepResult {
  name: string;
  outcome: "success" | "failure" | "skipped";
}

export interface JobResult {
  workflow: string;
  job: string;
  /** The GitHub environment it deployed in. */
  environment?: string;
  result: "success" | "failure" | "skipped";
  steps: StepResult[];
  outputs: Record<string, string>;
  log: string;
  /** What its steps wrote to $GITHUB_STEP_SUMMARY (the run's page shows it). */
  summary: string;
}

export interface EventResult {
  /** Workflow file → why it did not run. */
  notFired: Record<string, string>;
  jobs: JobResult[];
}

type Job = {
  if?: string | boolean;
  environment?: string | { name: string };
  needs?: string | string[];
  env?: Record<string, string>;
  outputs?: Record<string, string>;
  steps: Step[];
  defaults?: { run?: { shell?: string } };
};
type Step = {
  id?: string;
  name?: string;
  if?: string | boolean;
  uses?: string;
  run?: string;
  with?: Record<string, string | number | boolean>;
  env?: Record<string, string>;
  shell?: string;
  "working-directory"?: string;
  "continue-on-error"?: boolean;
};
type Workflow = { name?: string; on: unknown; env?: Record<string, string>; jobs: Record<string, Job> };

let runCounter = 1000;

/**
 * Runs every workflow the event starts, jobs of one workflow after another, then the workflows each completed run
 * starts (`workflow_run`); `notFired` is about the event's own workflows.
 */
export async function runEvent(setup: RunnerSetup, event: GitHubEvent): Promise<EventResult> {
  const sha = git(setup.origin, "rev-parse", event.ref).trim();
  const result: EventResult = { notFired: {}, jobs: [] };
  const completed: { name: string; runId: string; jobs: JobResult[] }[] = [];
  for (const [file, wf] of workflowsAt(setup, sha)) {
    const decision = fires(wf.on, event.trigger);
    if (!decision.fires) {
      result.notFired[file] = decision.why;
      continue;
    }
    const run = await runWorkflow(setup, event, sha, file, wf);
    result.jobs.push(...run.jobs);
    completed.push({ name: wf.name ?? file, ...run });
  }
  for (const run of completed) result.jobs.push(...(await workflowRunCompleted(setup, event, run)));
  return result;
}

function workflowsAt(setup: RunnerSetup, sha: string): [string, Workflow][] {
  return git(setup.origin, "ls-tree", "--name-only", `${sha}:.github/workflows`)
    .split("\n")
    .filter((f) => /\.ya?ml$/.test(f))
    .map((file) => [file, parse(git(setup.origin, "show", `${sha}:.github/workflows/${file}`)) as Workflow]);
}

/** The `workflow_run` event of a completed run: the default branch's workflows that listen for it. */
async function workflowRunCompleted(
  setup: RunnerSetup,
  cause: GitHubEvent,
  run: { name: string; runId: string; jobs: JobResult[] },
): Promise<JobResult[]> {
  const pull = cause.payload.pull_request as { head?: { sha?: string; repo?: unknown }; number?: number } | undefined;
  const ref = "refs/heads/main";
  const event: GitHubEvent = {
    trigger: { event: "workflow_run", action: "completed", workflow: run.name },
    ref,
    payload: {
      action: "completed",
      workflow_run: {
        id: Number(run.runId),
        name: run.name,
        event: cause.trigger.event,
        conclusion: run.jobs.some((j) => j.result === "failure") ? "failure" : "success",
        // GitHub gives the pull request's head, and lists no pull request for a fork's run.
        head_sha: pull?.head?.sha ?? git(setup.origin, "rev-parse", cause.ref).trim(),
        head_repository: pull?.head?.repo ?? { full_name: setup.repository },
        pull_requests: pull && !fromFork(setup, cause) ? [{ number: pull.number }] : [],
      },
    },
  };
  const sha = git(setup.origin, "rev-parse", ref).trim();
  const jobs: JobResult[] = [];
  for (const [file, wf] of workflowsAt(setup, sha))
    if (fires(wf.on, event.trigger).fires) jobs.push(...(await runWorkflow(setup, event, sha, file, wf)).jobs);
  return jobs;
}

async function runWorkflow(
  setup: RunnerSetup,
  event: GitHubEvent,
  sha: string,
  file: string,
  wf: Workflow,
): Promise<{ runId: string; jobs: JobResult[] }> {
  const github = githubContext(setup, event, sha, wf.name ?? file);
  // GitHub hands a pull request from a fork no secrets, and a GITHUB_TOKEN that can only read.
  const secrets = fromFork(setup, event) ? { GITHUB_TOKEN: setup.secrets.GITHUB_TOKEN } : setup.secrets;
  const base: Contexts = { github, vars: setup.vars, secrets, inputs: {} };
  const wfEnv = evaluateMap(wf.env, base);
  const done = new Map<string, JobResult>();
  for (const id of jobOrder(wf.jobs)) {
    const job = wf.jobs[id];
    const needs = list(job.needs);
    const needsContext = Object.fromEntries(
      needs.map((n) => [n, { result: done.get(n)!.result, outputs: done.get(n)!.outputs }]),
    );
    const status: Status = needs.every((n) => done.get(n)!.result === "success") ? "success" : "failure";
    const runs = condition(job.if, { ...base, needs: needsContext }, status);
    const skipped: JobResult = {
      workflow: file,
      job: id,
      result: "skipped",
      steps: [],
      outputs: {},
      log: "",
      summary: "",
    };
    const environment = typeof job.environment === "string" ? job.environment : job.environment?.name;
    const settings = environment ? setup.environments?.[environment] : undefined;
    // A job with an environment waits for its reviewers, then gets its secrets (never a fork's run).
    const approved = !runs || !settings?.approve || (await settings.approve(`${file}/${id}`));
    const contexts = {
      ...base,
      secrets: fromFork(setup, event) ? secrets : { ...secrets, ...settings?.secrets },
      needs: needsContext,
    };
    const jobResult: JobResult = !runs
      ? skipped
      : !approved
        ? { ...skipped, result: "failure", log: `the deployment to ${environment} was rejected\n` }
        : { ...(await runJob(setup, event, sha, file, id, job, contexts, wfEnv)), environment };
    done.set(id, jobResult);
  }
  return { runId: github.run_id, jobs: [...done.values()] };
}

async function runJob(
  setup: RunnerSetup,
  event: GitHubEvent,
  sha: string,
  file: string,
  id: string,
  job: Job,
  contexts: Contexts,
  wfEnv: Record<string, string>,
): Promise<JobResult> {
  const runner = fs.mkdtempSync(path.join(os.tmpdir(), `pp-runner-${id}-`));
  const workspace = path.join(runner, "work");
  const temp = path.join(runner, "temp");
  const home = path.join(runner, "home");
  for (const d of [workspace, temp, home]) fs.mkdirSync(d);

  const env: Record<string, string> = { ...wfEnv, ...evaluateMap(job.env, { ...contexts, env: wfEnv }) };
  const extraPath: string[] = [];
  const steps: Record<string, { outputs: Record<string, string>; outcome: string; conclusion: string }> = {};
  const results: StepResult[] = [];
  let status: Status = "success";
  let log = "";
  let summary = "";

  const machine: Record<string, string> = {
    PATH: withoutDir(process.env.PATH ?? "", setup.pulumiBin),
    HOME: home,
    LANG: "C.UTF-8",
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_WORKSPACE: workspace,
    GITHUB_EVENT_NAME: event.trigger.event,
    GITHUB_REF: event.ref,
    GITHUB_SHA: sha,
    GITHUB_REPOSITORY: setup.repository,
    GITHUB_BASE_REF: event.baseRef ?? "",
    GITHUB_HEAD_REF: event.headRef ?? "",
    RUNNER_OS: "Linux",
    RUNNER_TEMP: temp,
    ...definedOnly(setup.machineEnv ?? {}),
  };

  for (const [index, step] of job.steps.entries()) {
    const name = step.name ?? step.uses ?? step.run?.split("\n")[0] ?? `step ${index + 1}`;
    const ctx: Contexts = { ...contexts, env, steps, runner: { os: "Linux", temp }, job: { status } };
    if (!condition(step.if, ctx, status)) {
      results.push({ name, outcome: "skipped" });
      if (step.id) steps[step.id] = { outputs: {}, outcome: "skipped", conclusion: "skipped" };
      continue;
    }
    const stepEnv = { ...env, ...evaluateMap(step.env, ctx) };
    const files = {
      output: path.join(temp, `output-${index}`),
      env: path.join(temp, `env-${index}`),
      summary: path.join(temp, `summary-${index}`),
    };
    for (const f of [files.output, files.env, files.summary, path.join(temp, `path-${index}`)]) fs.writeFileSync(f, "");
    const processEnv = {
      ...machine,
      PATH: [...extraPath, machine.PATH].join(path.delimiter),
      ...stepEnv,
      GITHUB_OUTPUT: files.output,
      GITHUB_ENV: files.env,
      GITHUB_PATH: path.join(temp, `path-${index}`),
      GITHUB_STEP_SUMMARY: files.summary,
    };
    log += `\n##[group]${name}\n`;
    let ok: boolean;
    try {
      const r = await runStep(setup, event, sha, step, ctx, processEnv, workspace, extraPath);
      log += r.log;
      ok = r.ok;
    } catch (e) {
      log += `${(e as Error).message}\n`;
      ok = false;
    }
    const outputs = readKeyValues(files.output);
    summary += fs.readFileSync(files.summary, "utf8");
    Object.assign(env, readKeyValues(files.env));
    extraPath.unshift(
      ...fs
        .readFileSync(path.join(temp, `path-${index}`), "utf8")
        .split("\n")
        .filter(Boolean)
        .reverse(),
    );
    const outcome = ok ? "success" : "failure";
    const conclusion = ok || step["continue-on-error"] ? "success" : "failure";
    if (step.id) steps[step.id] = { outputs, outcome, conclusion };
    results.push({ name, outcome });
    if (conclusion === "failure") status = "failure";
  }
  const outputs = evaluateMap(job.outputs, { ...contexts, env, steps });
  fs.rmSync(runner, { recursive: true, force: true });
  return {
    workflow: file,
    job: id,
    result: status,
    steps: results,
    outputs,
    log: masked(log, setup.secrets),
    summary: masked(summary, setup.secrets),
  };
}

async function runStep(
  setup: RunnerSetup,
  event: GitHubEvent,
  sha: string,
  step: Step,
  ctx: Contexts,
  env: Record<string, string>,
  workspace: string,
  extraPath: string[],
): Promise<{ ok: boolean; log: string }> {
  if (step.run !== undefined) {
    const script = path.join(env.RUNNER_TEMP, `step-${Date.now()}-${Math.random().toString(36).slice(2)}.sh`);
    fs.writeFileSync(script, interpolate(step.run, ctx));
    const shell = step.shell ?? "default";
    const argv =
      shell === "default"
        ? ["bash", "-e", script]
        : shell === "bash"
          ? ["bash", "--noprofile", "--norc", "-eo", "pipefail", script]
          : unsupported(`shell: ${shell}`);
    const cwd = path.join(workspace, step["working-directory"] ?? "");
    return exec(argv[0], argv.slice(1), cwd, env);
  }
  const [action, version] = (step.uses ?? "").split("@");
  const inputs = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, interpolate(String(v), ctx)]));
  const only = (...known: string[]) => {
    const extra = Object.keys(inputs).filter((k) => !known.includes(k));
    if (extra.length) unsupported(`${step.uses} with ${extra.join(", ")}`);
  };
  switch (action) {
    case "actions/checkout": {
      only("fetch-depth", "ref");
      // A branch name as `ref` is that branch of the repository.
      const ref = inputs.ref ? `refs/heads/${inputs.ref}` : event.ref;
      return checkout(setup.origin, ref, Number(inputs["fetch-depth"] ?? 1), workspace, env);
    }
    case "actions/upload-artifact": {
      only("name", "path");
      const run = String((ctx.github as { run_id: string }).run_id);
      const to = path.join(artifactsOf(setup), run, inputs.name ?? "artifact");
      const from = path.resolve(workspace, inputs.path ?? "");
      if (!fs.existsSync(from))
        return { ok: false, log: `No files were found with the provided path: ${inputs.path}\n` };
      if (fs.existsSync(to)) return { ok: false, log: `an artifact named ${inputs.name} already exists in this run\n` };
      fs.cpSync(from, to, { recursive: true });
      return { ok: true, log: `Artifact ${inputs.name} uploaded\n` };
    }
    case "actions/download-artifact": {
      only("pattern", "path", "run-id", "github-token");
      const run = inputs["run-id"] || String((ctx.github as { run_id: string }).run_id);
      if (inputs["run-id"] && !inputs["github-token"]) unsupported("run-id without github-token");
      const from = path.join(artifactsOf(setup), run);
      const names = fs.existsSync(from) ? fs.readdirSync(from) : [];
      const pattern = inputs.pattern ? filterPattern(inputs.pattern) : /.*/;
      // More than one artifact, unmerged: each in a folder of its name under path.
      for (const name of names.filter((n) => pattern.test(n)))
        fs.cpSync(path.join(from, name), path.join(workspace, inputs.path ?? ".", name), { recursive: true });
      return { ok: true, log: `Downloaded ${names.length} artifact(s) of run ${run}\n` };
    }
    case "actions/setup-node": {
      only("node-version");
      // A major version, as the generated workflows give it; the runner puts that Node first on PATH.
      const major = inputs["node-version"];
      if (!/^\d+$/.test(major ?? "")) unsupported(`node-version '${major ?? ""}' (a major version is modelled)`);
      const bin = await ensureNode(major);
      extraPath.unshift(bin);
      return exec("node", ["--version"], workspace, { ...env, PATH: [bin, env.PATH].join(path.delimiter) });
    }
    case "pulumi/actions": {
      only("command", "stack-name", "work-dir", "refresh");
      extraPath.unshift(setup.pulumiBin);
      if (!inputs.command) return { ok: true, log: `Pulumi CLI at ${setup.pulumiBin}\n` };
      const args = [inputs.command, "--stack", inputs["stack-name"], "--non-interactive"];
      if (["up", "refresh", "destroy"].includes(inputs.command)) args.push("--yes", "--skip-preview");
      if (inputs.refresh === "true") args.push("--refresh");
      const cwd = path.join(workspace, inputs["work-dir"] ?? ".");
      return exec("pulumi", args, cwd, { ...env, PATH: [setup.pulumiBin, env.PATH].join(path.delimiter) });
    }
    case "actions/github-script": {
      only("script");
      const request = path.join(env.RUNNER_TEMP, `github-script-${Date.now()}.json`);
      const github = ctx.github as Record<string, any>;
      const context = {
        payload: event.payload,
        eventName: event.trigger.event,
        sha,
        ref: event.ref,
        workflow: github.workflow,
        runId: github.run_id,
        runNumber: 1,
        serverUrl: github.server_url,
        apiUrl: "https://api.github.com",
        repo: { owner: setup.repository.split("/")[0], repo: setup.repository.split("/")[1] },
        issue: {
          owner: setup.repository.split("/")[0],
          repo: setup.repository.split("/")[1],
          number: (event.payload.pull_request as { number?: number } | undefined)?.number ?? event.payload.number,
        },
      };
      fs.writeFileSync(
        request,
        JSON.stringify({
          script: inputs.script,
          context,
          stateFile: setup.githubState,
          origin: setup.origin,
          // A pull request from a fork gets a token that can only read, whatever the workflow's permissions say.
          readOnly: fromFork(setup, event),
        }),
      );
      return exec(process.execPath, [path.join(__dirname, "github-script.cjs"), request], workspace, env);
    }
    default:
      return unsupported(`uses: ${step.uses}${version ? "" : " (no version)"}`);
  }
}

/** actions/checkout: fetch the event's ref at the depth asked for (0: all history and every branch). */
async function checkout(
  origin: string,
  ref: string,
  depth: number,
  workspace: string,
  env: Record<string, string>,
): Promise<{ ok: boolean; log: string }> {
  const remote = ref.replace(/^refs\/heads\//, "refs/remotes/origin/").replace(/^refs\/pull\//, "refs/remotes/pull/");
  const script = [
    "git init -q .",
    `git remote add origin "file://${origin}"`,
    depth === 0
      ? `git fetch -q --prune --tags origin '+refs/heads/*:refs/remotes/origin/*' '+${ref}:${remote}'`
      : `git fetch -q --no-tags --depth=${depth} origin '+${ref}:${remote}'`,
    `git checkout -q --detach '${remote}'`,
  ].join(" && ");
  return exec("bash", ["-ec", script], workspace, env);
}

/** Whether the event is a pull request from another repository (a fork). */
function fromFork(setup: RunnerSetup, event: GitHubEvent): boolean {
  const pull = event.payload.pull_request as { head?: { repo?: { full_name?: string } } } | undefined;
  return !!pull && pull.head?.repo?.full_name !== setup.repository;
}

function githubContext(setup: RunnerSetup, event: GitHubEvent, sha: string, workflow: string) {
  return {
    event_name: event.trigger.event,
    event: event.payload,
    ref: event.ref,
    ref_name: event.ref.replace(/^refs\/(heads|tags)\//, ""),
    sha,
    base_ref: event.baseRef ?? "",
    head_ref: event.headRef ?? "",
    repository: setup.repository,
    repository_owner: setup.repository.split("/")[0],
    server_url: "https://github.com",
    run_id: String(++runCounter),
    workflow,
    token: setup.secrets.GITHUB_TOKEN,
  };
}

/** Where the stand-in GitHub keeps each run's artifacts. */
function artifactsOf(setup: RunnerSetup): string {
  return path.join(path.dirname(setup.githubState), "artifacts");
}

/** Jobs in an order where each comes after everything it `needs`. */
function jobOrder(jobs: Record<string, Job>): string[] {
  const order: string[] = [];
  const visit = (id: string, path: string[]) => {
    if (order.includes(id)) return;
    if (path.includes(id)) throw new Error(`jobs need each other: ${[...path, id].join(" → ")}`);
    if (!jobs[id]) throw new Error(`a job needs '${id}', which does not exist`);
    for (const n of list(jobs[id].needs)) visit(n, [...path, id]);
    order.push(id);
  };
  for (const id of Object.keys(jobs)) visit(id, []);
  return order;
}

function evaluateMap(map: Record<string, unknown> | undefined, ctx: Contexts): Record<string, string> {
  return Object.fromEntries(Object.entries(map ?? {}).map(([k, v]) => [k, interpolate(String(v), ctx)]));
}

/** $GITHUB_OUTPUT / $GITHUB_ENV: `name=value` lines and `name<<DELIMITER` blocks. */
export function readKeyValues(file: string): Record<string, string> {
  const lines = fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("\n") : [];
  const out: Record<string, string> = {};
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i]);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2], i + 1);
      out[heredoc[1]] = lines.slice(i + 1, end).join("\n");
      i = end;
    } else if (lines[i].includes("="))
      out[lines[i].slice(0, lines[i].indexOf("="))] = lines[i].slice(lines[i].indexOf("=") + 1);
  }
  return out;
}

async function exec(
  cmd: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
): Promise<{ ok: boolean; log: string }> {
  const r = await sh(cmd, args, cwd, env);
  return { ok: r.code === 0, log: `${r.output}${r.code === 0 ? "" : `exit code ${r.code}\n`}` };
}

function git(dir: string, ...args: string[]): string {
  return execFileSync("git", ["-C", dir, ...args], { encoding: "utf8" });
}

/** The runner masks every secret's value in the log. */
function masked(log: string, secrets: Record<string, string>): string {
  return Object.values(secrets)
    .filter((v) => v.length > 0)
    .reduce((text, v) => text.split(v).join("***"), log);
}

function list(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function withoutDir(envPath: string, dir: string): string {
  return envPath
    .split(path.delimiter)
    .filter((d) => d && path.resolve(d) !== path.resolve(dir))
    .join(path.delimiter);
}

function definedOnly(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

function unsupported(what: string): never {
  throw new Error(`the workflow runner does not model ${what}`);
}
