// Drives the real Pulumi CLI on a throw-away stack: local file backend in a
// temp dir, empty passphrase, stack config in a temp file (the program
// directory stays clean). No vitest here: the benchmark drives stacks too.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { moveStackFile, pulumiEnv } from "../../scripts/localStack";
import { sh } from "./spawn";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class TestStack {
  readonly stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "pp-stack-"));
  readonly configFile: string;
  private readonly env: NodeJS.ProcessEnv;

  constructor(
    readonly programDir: string,
    readonly stack: string,
    pulumiBin: string,
    env: NodeJS.ProcessEnv = {},
  ) {
    this.configFile = path.join(this.stateDir, `Pulumi.${stack}.yaml`);
    this.env = pulumiEnv(pulumiBin, this.stateDir, env);
  }

  /** The environment its CLI runs with (backend, passphrase, PATH): for other tools that call `pulumi` on it. */
  get cliEnv(): NodeJS.ProcessEnv {
    return { ...this.env };
  }

  /** PULUMI_HOME of this stack: every process it starts carries it. */
  get home(): string {
    return this.env.PULUMI_HOME!;
  }

  static async create(
    programDir: string,
    pulumiBin: string,
    env: NodeJS.ProcessEnv = {},
    stack = "e2e",
  ): Promise<TestStack> {
    const s = new TestStack(programDir, stack, pulumiBin, env);
    await s.must(["stack", "init"]);
    moveStackFile(programDir, s.stack, s.configFile);
    return s;
  }

  /** Runs `pulumi <args>`, with `env` added to the stack's environment; never throws on a non-zero exit. */
  run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
    const full = [...args, "--non-interactive", "--stack", this.stack];
    if (!["stack", "cancel", "state"].includes(args[0])) full.push("--config-file", this.configFile);
    return sh("pulumi", full, this.programDir, { ...this.env, ...env });
  }

  /**
   * Starts `pulumi <args>` in its own process group and returns a handle to
   * watch its output and kill the whole group (CLI, language host, provider) at once.
   */
  start(args: string[]): { output: () => string; exited: Promise<number | null>; kill: () => void } {
    const full = [...args, "--non-interactive", "--stack", this.stack, "--config-file", this.configFile];
    const child = spawn("pulumi", full, {
      cwd: this.programDir,
      env: this.env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let out = "";
    child.stdout!.on("data", (c) => (out += c));
    child.stderr!.on("data", (c) => (out += c));
    // 'exit', not 'close': killed plugins may still hold the pipes open.
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    return { output: () => out, exited, kill: () => this.killAll(child.pid!) };
  }

  /**
   * SIGKILL the CLI's process group and every process of this stack: the CLI
   * starts its plugins (language host, providers) in groups of their own, and
   * a killed machine would lose them too. They are found by this stack's PULUMI_HOME.
   */
  private killAll(group: number): void {
    const mark = `PULUMI_HOME=${this.env.PULUMI_HOME}\u0000`;
    try {
      process.kill(-group, "SIGKILL");
    } catch {
      /* already gone */
    }
    for (const pid of fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
      try {
        if (fs.readFileSync(`/proc/${pid}/environ`, "latin1").includes(mark)) process.kill(Number(pid), "SIGKILL");
      } catch {
        /* exited meanwhile, or not ours to read */
      }
    }
  }

  async must(args: string[]): Promise<CliResult> {
    const r = await this.run(args);
    if (r.code !== 0) throw new Error(`pulumi ${args.join(" ")} failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
    return r;
  }

  config(key: string, value: string, opts: { secret?: boolean; path?: boolean } = {}) {
    return this.must([
      "config",
      "set",
      key,
      value,
      ...(opts.secret ? ["--secret"] : ["--plaintext"]),
      ...(opts.path ? ["--path"] : []),
    ]);
  }

  up() {
    return this.run(["up", "--yes", "--skip-preview"]);
  }

  /**
   * `pulumi preview --json`, parsed. With a label and PULUMI_PIPELINES_CAPTURE_PREVIEWS=<dir>,
   * the JSON is also written to <dir>/<label>.json (the review's golden tests use such real previews).
   */
  async preview(
    label?: string,
  ): Promise<{ steps: { op: string; urn: string }[]; changeSummary: Record<string, number> }> {
    const r = await this.must(["preview", "--json"]);
    const dir = process.env.PULUMI_PIPELINES_CAPTURE_PREVIEWS;
    if (label && dir) fs.writeFileSync(path.join(dir, `${label}.json`), r.stdout);
    return JSON.parse(r.stdout);
  }

  refresh() {
    return this.must(["refresh", "--yes", "--skip-preview"]);
  }

  destroy() {
    return this.must(["destroy", "--yes", "--skip-preview"]);
  }

  /** `pulumi stack export`; with `showSecrets`, Pulumi's encrypted values decrypted. */
  async export(showSecrets = false): Promise<any> {
    return JSON.parse((await this.must(["stack", "export", ...(showSecrets ? ["--show-secrets"] : [])])).stdout);
  }

  /** Outputs of the resource whose URN ends with `::<name>`. */
  async outputs(name: string): Promise<Record<string, any>> {
    const res = (await this.export()).deployment.resources.find((r: any) => r.urn.endsWith(`::${name}`));
    if (!res) throw new Error(`no resource ${name} in state`);
    return res.outputs;
  }

  async remove(): Promise<void> {
    await this.run(["stack", "rm", "--yes", "--force"]);
    fs.rmSync(this.stateDir, { recursive: true, force: true });
  }
}

/** The preview's change summary without the stack itself, e.g. { same: 6 } when nothing changes. */
export function ops(preview: {
  steps: { op: string; urn: string }[];
  changeSummary: Record<string, number>;
}): Record<string, number> {
  const out = { ...preview.changeSummary };
  const stackOp = preview.steps.find((s) => s.urn.includes("::pulumi:pulumi:Stack::"))?.op ?? "same";
  if (--out[stackOp] === 0) delete out[stackOp];
  return out;
}
