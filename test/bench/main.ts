// npm run bench [-- --n 50 --engine mage,feldera,ionworks --parallel 8 --json out.json
//                   --scale 10,50,200 --pin-server --profile DIR
//                   --program ts|noop|yaml|plugin|plugin-node|pulumi-yaml --runs 3]
//
// For each engine, N pipelines go through seven steps with the real Pulumi CLI
// (create, no-change up, no-change preview, refresh, one block's code, 10% of
// pipelines, destroy). A recording proxy in front of each server counts the requests;
// the client's CPU seconds and memory (CLI, program, providers) come from
// /proc (client.ts); and a direct-API baseline (baseline.ts) does each step's
// necessary calls on objects of its own, at the same parallelism, through the
// same proxy.
//   --scale      runs the steps once per N and prints the curve per step;
//   --pin-server puts Mage on core 0 and the client on the others (taskset), so
//                the client's cost shows apart from the server's, as with a
//                remote server;
//   --profile    writes V8 CPU profiles of the program and the providers per
//                step under DIR and prints where their time goes (profile.ts);
//   --program noop  the TypeScript program's Mage resources as do-nothing
//                dynamic resources (programs/scale/noop.ts): Pulumi's own cost
//                for the graph, the floor for the TypeScript classes;
//   --program yaml  Mage through the GitOps program and YAML declarations
//                (yamlProgram.ts) instead of the TypeScript program;
//   --program plugin  the same on the provider plugin (pipelines:family
//                plugin; test/helpers/gitopsProject.ts);
//   --program pulumi-yaml  the same resources as a Pulumi YAML program on
//                the plugin: no Node program at all (the floor for plugin);
//   --runs R     runs every step sequence R times and reports each figure's
//                median (one run on a 2-CPU machine varies by ±20%).
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ensureLanguageHosts } from "../../provider/cli/languageHosts";
import { startMage } from "../../provider/cli/mageSandbox";
import { ensurePulumiCli } from "../../provider/cli/pulumiCli";
import { startFelderaEmulator } from "../fakes/feldera/emulator";
import { startIonworksEmulator } from "../fakes/ionworks/emulator";
import { type RecordedRequest, startRecordingProxy } from "../fakes/recordingProxy";
import { pluginGitopsProject } from "../helpers/gitopsProject";
import { TestStack } from "../helpers/stack";
import { type Baseline, felderaBaseline, ionworksBaseline, mageBaseline, type Step } from "./baseline";
import { type ClientCost, watchClient } from "./client";
import { formatProfiles, summarizeProfiles } from "./profile";
import { writeMageDeclarations, writePulumiYamlProgram } from "./yamlProgram";

const PROGRAM = path.resolve(__dirname, "..", "e2e", "programs", "scale");
/** The GitOps program: the repository itself (its Pulumi.yaml runs dist/provider/program). */
const GITOPS = path.resolve(__dirname, "..", "..");
const ENGINES = ["mage", "feldera", "ionworks"] as const;
type Engine = (typeof ENGINES)[number];
const STEPS: { step: Step; label: string }[] = [
  { step: "create", label: "create" },
  { step: "noop", label: "no-change up" },
  { step: "preview", label: "no-change preview" },
  { step: "refresh", label: "refresh" },
  { step: "one", label: "one block change" },
  { step: "ten", label: "10% change" },
  { step: "destroy", label: "destroy" },
];
/** The emulators' state machines and the provider's polls tick at this pace. */
const POLL_MS = 50;
const IONWORKS_KEY = "iw-bench-key-1";

export interface Row {
  engine: Engine;
  step: string;
  requests: number;
  reads: number;
  writes: number;
  /** Session logins (Mage): one per provider process, not a change to any pipeline. */
  auth: number;
  by_method: Record<string, number>;
  wall_s: number;
  /** Time during which at least one request was in flight. */
  api_s: number;
  baseline_requests: number;
  baseline_wall_s: number;
  ratio: number | null;
  /**
   * (wall − the no-change up's wall) / baseline, for the steps that run the
   * program: what the provider adds beyond the fixed cost of any `pulumi up`
   * (CLI, program, engine), which a change of 1 request cannot amortise.
   */
  over_floor_ratio: number | null;
  /** Peak resident memory of any one dynamic provider, MB. */
  rss_mb: number;
  /** CPU seconds of every client process (CLI, language host, program, providers). */
  client_cpu_s: number;
  client_cpu_by: ClientCost["cpu_by"];
  /** Highest total resident memory of the client's processes at one time, MB. */
  client_peak_mb: number;
  /** The same for the CLI (with its language host), the program and the providers, each at its own peak. */
  client_peak_mb_by: ClientCost["peak_mb_by"];
  n: number;
}

type MageAccess = { url: string; email: string; password: string };

export interface Options {
  n: number;
  parallel: number;
  engines: Engine[];
  json?: string;
  /** Several N in one run (the scale curve); `n` when absent. */
  scale?: number[];
  pinServer?: boolean;
  profile?: string;
  /**
   * Mage only: the TypeScript program (default); its resources as do-nothing dynamic resources (noop); the YAML GitOps program on dynamic resources (yaml), on the plugin
   * as init writes it (plugin: `pulumi-pipelines compile` under Pulumi YAML) or as the Node program (plugin-node);
   * the same resources as a hand-written Pulumi YAML program (pulumi-yaml).
   */
  program?: (typeof PROGRAMS)[number];
  /** Runs of every step sequence; each figure reported is the median over them. */
  runs?: number;
}

const PROGRAMS = ["ts", "noop", "yaml", "plugin", "plugin-node", "pulumi-yaml"] as const;

function parseArgs(argv: string[]): Options {
  const opts: Options = { n: 50, parallel: os.availableParallelism() * 4, engines: [...ENGINES] };
  for (let i = 0; i < argv.length; i++) {
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${argv[i - 1]} needs a value`);
      return v;
    };
    switch (argv[i]) {
      case "--n":
        opts.n = positive("--n", value());
        break;
      case "--parallel":
        opts.parallel = positive("--parallel", value());
        break;
      case "--engine":
        opts.engines = value()
          .split(",")
          .map((e) => {
            if (!(ENGINES as readonly string[]).includes(e))
              throw new Error(`--engine: '${e}' is not one of ${ENGINES.join(", ")}`);
            return e as Engine;
          });
        break;
      case "--json":
        opts.json = value();
        break;
      case "--scale":
        opts.scale = value()
          .split(",")
          .map((v) => positive("--scale", v));
        break;
      case "--program": {
        const p = value();
        if (!(PROGRAMS as readonly string[]).includes(p))
          throw new Error(`--program: '${p}' is not ${PROGRAMS.join(", ")}`);
        opts.program = p as Options["program"];
        break;
      }
      case "--runs":
        opts.runs = positive("--runs", value());
        break;
      case "--pin-server":
        opts.pinServer = true;
        break;
      case "--profile":
        opts.profile = path.resolve(value());
        break;
      default:
        throw new Error(`unknown option ${argv[i]} (see the top of test/bench/main.ts)`);
    }
  }
  return opts;
}

function positive(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a positive integer, not '${v}'`);
  return n;
}

/** Everything one engine's run needs: where its server is, how to point a stack at it, and its baseline. */
interface Server {
  url: string;
  configure(stack: TestStack, url: string): Promise<void>;
  baseline(url: string): Baseline;
  close(): Promise<void>;
}

async function startServer(engine: Engine, opts: Options, mage: () => Promise<MageAccess>): Promise<Server> {
  if (engine === "mage") {
    const m = await mage();
    return {
      url: m.url,
      async configure(stack, url) {
        await stack.config("pipelines:mage.url", url, { path: true });
        await stack.config("pipelines:mage.email", m.email, { path: true });
        await stack.config("pipelines:mage.password", m.password, { path: true, secret: true });
      },
      baseline: (url) => mageBaseline({ url, email: m.email, password: m.password }, opts.n, opts.parallel),
      close: async () => undefined,
    };
  }
  if (engine === "feldera") {
    const emu = await startFelderaEmulator({ stepMs: POLL_MS });
    return {
      url: emu.url,
      configure: async (stack, url) => void (await stack.config("pipelines:feldera.url", url, { path: true })),
      baseline: (url) => felderaBaseline(url, opts.n, opts.parallel, POLL_MS),
      async close() {
        await emu.close();
        if (emu.violations.length)
          throw new Error(`the Feldera emulator answered outside its OpenAPI:\n${emu.violations.join("\n")}`);
      },
    };
  }
  const emu = await startIonworksEmulator({ apiKey: IONWORKS_KEY, autoAdvanceMs: POLL_MS });
  return {
    url: emu.url,
    async configure(stack, url) {
      await stack.config("pipelines:ionworks.url", url, { path: true });
      await stack.config("pipelines:ionworks.project", emu.projectId, { path: true });
      await stack.config("pipelines:ionworks.apiKey", IONWORKS_KEY, { path: true, secret: true });
    },
    baseline: (url) =>
      ionworksBaseline({ url, apiKey: IONWORKS_KEY, project: emu.projectId }, opts.n, opts.parallel, POLL_MS),
    close: () => emu.close(),
  };
}

const trace = (requests: RecordedRequest[], t0: number) =>
  requests
    .map(
      (r) => `    +${((r.at - t0) / 1000).toFixed(2)}s ${r.method} ${r.path.split("?")[0]} ${(r.ms ?? 0).toFixed(0)}ms`,
    )
    .join("\n");

const isAuth = (r: RecordedRequest) => r.method === "POST" && r.path.split("?")[0] === "/api/sessions";

async function benchEngine(
  engine: Engine,
  opts: Options,
  bin: string,
  mage: () => Promise<MageAccess>,
): Promise<Row[]> {
  const server = await startServer(engine, opts, mage);
  // The emulators run in this process: only Mage can be pinned apart.
  if (opts.pinServer && engine === "mage") pinServer(server.url);
  const proxy = await startRecordingProxy(server.url);
  const profiles = opts.profile && path.join(opts.profile, "current");
  const onPlugin = opts.program === "plugin" || opts.program === "plugin-node";
  const yaml = (opts.program === "yaml" || onPlugin) && engine === "mage";
  const pulumiYaml = opts.program === "pulumi-yaml" && engine === "mage";
  const declarations = fs.mkdtempSync(path.join(os.tmpdir(), "pp-bench-yaml-"));
  const changesAt = (step: Step) => ({
    touchOne: ["one", "ten"].includes(step),
    revise: step === "ten" ? Math.ceil(opts.n / 10) : 0,
  });
  // Pulumi YAML on the plugin: the plugin script of a plugin project, the Pulumi.yaml rewritten per step.
  const pluginProject =
    onPlugin || pulumiYaml
      ? pluginGitopsProject(undefined, opts.program === "plugin-node" ? "node" : "compiled")
      : undefined;
  const writeYamlProgram = (step: Step) =>
    writePulumiYamlProgram(pluginProject!, path.join(pluginProject!, "bin"), opts.n, "bench", changesAt(step));
  if (pulumiYaml) writeYamlProgram("create");
  const project = pluginProject ?? (yaml ? GITOPS : PROGRAM);
  const stack = await TestStack.create(project, bin, {
    PULUMI_PIPELINES_POLL_MS: String(POLL_MS),
    PULUMI_NODEJS_TRANSPILE_ONLY: "true",
    ...(profiles
      ? {
          NODE_OPTIONS: `--require ${path.join(__dirname, "cpuProfileHook.js")}`,
          PULUMI_PIPELINES_PROFILE_DIR: profiles,
        }
      : {}),
  });
  const baseline = server.baseline(proxy.url);
  const rows: Row[] = [];
  try {
    await stack.config("e2e:engine", engine);
    await stack.config("e2e:n", String(opts.n));
    await stack.config("e2e:prefix", "bench");
    if (yaml) await stack.config("pipelines:path", declarations);
    if (opts.program === "noop") await stack.config("e2e:noop", "true");
    await server.configure(stack, proxy.url);
    const parallel = ["--parallel", String(opts.parallel)];
    for (const { step, label } of STEPS) {
      if (step === "one") await stack.config("e2e:touchOne", "true");
      if (step === "ten") await stack.config("e2e:revise", String(Math.ceil(opts.n / 10)));
      if (yaml) writeMageDeclarations(declarations, opts.n, "bench", changesAt(step));
      if (pulumiYaml) writeYamlProgram(step);
      const args =
        step === "refresh"
          ? ["refresh", "--yes", "--skip-preview", ...parallel]
          : step === "preview"
            ? ["preview", ...parallel]
            : step === "destroy"
              ? ["destroy", "--yes", "--skip-preview", ...parallel]
              : ["up", "--yes", "--skip-preview", ...parallel];

      proxy.reset();
      if (profiles) fs.rmSync(profiles, { recursive: true, force: true });
      const client = watchClient(stack.home);
      const t0 = performance.now();
      await stack.must(args);
      const wall = (performance.now() - t0) / 1000;
      const cost = client.stop();
      const requests = [...proxy.requests];
      if (profiles && opts.profile)
        keepProfiles(profiles, path.join(opts.profile, `${engine}-n${opts.n}-${step}`), label);

      proxy.reset();
      const b0 = performance.now();
      await baseline.run(step);
      const baseWall = (performance.now() - b0) / 1000;
      const baseRequests = proxy.requests.filter((r) => !isAuth(r)).length;

      const byMethod: Record<string, number> = {};
      for (const r of requests) byMethod[r.method] = (byMethod[r.method] ?? 0) + 1;
      const auth = requests.filter(isAuth).length;
      const reads = requests.filter((r) => r.method === "GET").length;
      rows.push({
        engine,
        step: label,
        requests: requests.length,
        reads,
        writes: requests.length - reads - auth,
        auth,
        by_method: byMethod,
        wall_s: round(wall),
        api_s: round(busy(requests) / 1000),
        baseline_requests: baseRequests,
        baseline_wall_s: round(baseWall),
        ratio: baseRequests ? round(wall / baseWall) : null,
        over_floor_ratio: null,
        rss_mb: cost.provider_peak_mb,
        client_cpu_s: cost.cpu_s,
        client_cpu_by: cost.cpu_by,
        client_peak_mb: cost.peak_mb,
        client_peak_mb_by: cost.peak_mb_by,
        n: opts.n,
      });
      process.stderr.write(
        `  ${engine} N=${opts.n} ${label}: ${wall.toFixed(1)} s, ${cost.cpu_s.toFixed(1)} client CPU s, ${requests.length} requests${process.env.BENCH_TRACE ? `\n${trace(requests, t0)}` : ""}\n`,
      );
    }
  } finally {
    await stack.remove();
    await proxy.close();
    await server.close();
    fs.rmSync(declarations, { recursive: true, force: true });
  }
  return withFloor(rows);
}

/** One engine's rows with "over floor": (wall − the no-change up) / baseline, for the steps that write. */
function withFloor(rows: Row[]): Row[] {
  const floor = rows.find((r) => r.step === "no-change up")!.wall_s;
  for (const r of rows.filter(
    (r) => ["create", "one block change", "10% change"].includes(r.step) && r.baseline_wall_s > 0,
  )) {
    r.over_floor_ratio = round(Math.max(0, r.wall_s - floor) / r.baseline_wall_s);
  }
  return rows;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : round((s[s.length / 2 - 1] + s[s.length / 2]) / 2);
};

function medianOf<K extends string>(records: Record<K, number>[]): Record<K, number> {
  const keys = [...new Set(records.flatMap((r) => Object.keys(r)))] as K[];
  return Object.fromEntries(keys.map((k) => [k, median(records.map((r) => r[k] ?? 0))])) as Record<K, number>;
}

const MEDIAN_NUMBERS = [
  "requests",
  "reads",
  "writes",
  "auth",
  "wall_s",
  "api_s",
  "baseline_requests",
  "baseline_wall_s",
  "rss_mb",
  "client_cpu_s",
  "client_peak_mb",
] as const;
const MEDIAN_RECORDS = ["by_method", "client_cpu_by", "client_peak_mb_by"] as const;

/**
 * The same steps run several times, as one set of rows: every figure is its
 * own median over the runs (so one row's figures may come from different
 * runs), and the ratios are taken between medians.
 */
export function medianRows(runs: Row[][]): Row[] {
  if (runs.length === 1) return runs[0];
  const rows = runs[0].map((first, i) => {
    const same = runs.map((run) => run[i]);
    const row: Row = { ...first, over_floor_ratio: null };
    for (const k of MEDIAN_NUMBERS) row[k] = median(same.map((r) => r[k]));
    for (const k of MEDIAN_RECORDS) (row[k] as Record<string, number>) = medianOf(same.map((r) => r[k]));
    row.ratio = row.baseline_requests && row.baseline_wall_s ? round(row.wall_s / row.baseline_wall_s) : null;
    return row;
  });
  return withFloor(rows);
}

const round = (x: number) => Math.round(x * 100) / 100;
const CPUS = os.availableParallelism();

/**
 * Mage's processes (found by their port) to core 0, this process and all it
 * starts from now on (the CLI, program, providers, baseline) to the others.
 */
function pinServer(url: string): void {
  // Counted before any pinning: once this process is pinned, it sees only its own cores.
  const cpus = CPUS;
  if (cpus < 2) throw new Error("--pin-server needs at least 2 CPUs");
  const port = new URL(url).port;
  const server = fs
    .readdirSync("/proc")
    .filter((pid) => /^\d+$/.test(pid))
    .filter((pid) => {
      try {
        const argv = fs.readFileSync(`/proc/${pid}/cmdline`, "latin1").split("\u0000");
        return argv.some((a) => a.endsWith("mage")) && argv.includes("--port") && argv.includes(port);
      } catch {
        return false;
      }
    });
  for (const pid of server) execFileSync("taskset", ["-a", "-p", "-c", "0", pid], { stdio: "ignore" });
  execFileSync("taskset", ["-a", "-p", "-c", `1-${cpus - 1}`, String(process.pid)], { stdio: "ignore" });
  process.stderr.write(`  pinned ${server.length} server process(es) to core 0, the client to cores 1-${cpus - 1}\n`);
}

/** Moves one step's profiles to their own folder and prints where the time went. */
function keepProfiles(from: string, to: string, label: string): void {
  fs.rmSync(to, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(to), { recursive: true });
  if (!fs.existsSync(from)) return;
  fs.renameSync(from, to);
  const summary = formatProfiles(label, summarizeProfiles(to));
  fs.writeFileSync(path.join(to, "summary.txt"), `${summary}\n`);
  process.stderr.write(`${summary}\n`);
}

/** Length of the union of the requests' [arrival, answer] intervals, in ms. */
export function busy(requests: RecordedRequest[]): number {
  const spans = requests.map((r) => [r.at, r.at + (r.ms ?? 0)]).sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = -Infinity;
  for (const [a, b] of spans) {
    if (b <= end) continue;
    total += b - Math.max(a, end);
    end = b;
  }
  return total;
}

export function table(rows: Row[]): string {
  const head = [
    "engine",
    "step",
    "N",
    "requests",
    "reads",
    "writes",
    "auth",
    "wall s",
    "api s",
    "baseline req",
    "baseline s",
    "ratio",
    "over floor",
    "client cpu s",
    "cli/prog/prov cpu s",
    "client MB",
    "cli/prog/prov MB",
  ];
  const body = rows.map((r) =>
    [
      r.engine,
      r.step,
      r.n,
      r.requests,
      r.reads,
      r.writes,
      r.auth,
      r.wall_s.toFixed(2),
      r.api_s.toFixed(2),
      r.baseline_requests,
      r.baseline_wall_s.toFixed(2),
      r.ratio === null ? "–" : r.ratio.toFixed(2),
      r.over_floor_ratio === null ? "–" : r.over_floor_ratio.toFixed(2),
      r.client_cpu_s.toFixed(2),
      [r.client_cpu_by.cli, r.client_cpu_by.program, r.client_cpu_by.provider].map((v) => v.toFixed(1)).join("/"),
      r.client_peak_mb,
      [r.client_peak_mb_by.cli, r.client_peak_mb_by.program, r.client_peak_mb_by.provider].join("/"),
    ].map(String),
  );
  return markdown(head, body);
}

/** Per engine and step, how wall time, client CPU, requests and memory grow with N (needs two or more N). */
export function scaleTable(rows: Row[]): string {
  const ns = [...new Set(rows.map((r) => r.n))].sort((a, b) => a - b);
  if (ns.length < 2) return "";
  const head = [
    "engine",
    "step",
    ...ns.flatMap((n) => [`wall s N=${n}`, `cpu s N=${n}`]),
    "requests",
    "client MB",
    "growth",
  ];
  const keys = [...new Set(rows.map((r) => `${r.engine}\u0000${r.step}`))];
  const body = keys.map((key) => {
    const [engine, step] = key.split("\u0000");
    const at = (n: number) => rows.find((r) => r.engine === engine && r.step === step && r.n === n);
    const first = at(ns[0]);
    const last = at(ns[ns.length - 1]);
    // Wall time per N from the smallest to the largest N, over the growth of N: 1 is linear, below is better.
    const growth =
      first && last && first.wall_s > 0 ? (last.wall_s / first.wall_s / (ns[ns.length - 1] / ns[0])).toFixed(2) : "–";
    return [
      engine,
      step,
      ...ns.flatMap((n) => [at(n)?.wall_s.toFixed(2) ?? "–", at(n)?.client_cpu_s.toFixed(2) ?? "–"]),
      ns.map((n) => at(n)?.requests ?? "–").join("/"),
      ns.map((n) => at(n)?.client_peak_mb ?? "–").join("/"),
      growth,
    ].map(String);
  });
  return markdown(head, body);
}

function markdown(head: string[], body: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(" | ")} |`;
  return [
    line(head),
    `|${widths.map((w, i) => (i < 2 ? `${"-".repeat(w + 1)}-` : `${"-".repeat(w + 1)}:`)).join("|")}|`,
    ...body.map(line),
  ].join("\n");
}

/** The issue's targets for Mage, checked against the measured rows. */
export function targets(rows: Row[], n: number): { target: string; met: boolean; measured: string }[] {
  const m = (step: string) => rows.find((r) => r.engine === "mage" && r.step === step);
  const out: { target: string; met: boolean; measured: string }[] = [];
  const noop = m("no-change up");
  if (noop) {
    out.push({ target: "no-change up: 0 requests", met: noop.requests === 0, measured: `${noop.requests}` });
    out.push({ target: "no-change up: ≤ 2.5 s", met: noop.wall_s <= 2.5, measured: `${noop.wall_s.toFixed(1)} s` });
  }
  const refresh = m("refresh");
  if (refresh)
    out.push({
      target: `refresh: ≤ ${n + 1} reads (1 per pipeline + 1 trigger list)`,
      met: refresh.reads <= n + 1,
      measured: `${refresh.reads} reads, ${refresh.writes} writes, ${refresh.auth} login`,
    });
  const one = m("one block change");
  if (one) {
    out.push({
      target: "one block change: exactly 1 write",
      met: one.writes === 1,
      measured: `${one.writes} write, ${one.reads} reads, ${one.auth} login`,
    });
    out.push({ target: "one block change: ≤ 6 s", met: one.wall_s <= 6, measured: `${one.wall_s.toFixed(1)} s` });
  }
  for (const step of ["create", "10% change"]) {
    const r = m(step);
    if (r?.ratio != null)
      out.push({
        target: `${step}: wall ≤ 1.25 × baseline`,
        met: r.ratio <= 1.25,
        measured: `${r.ratio.toFixed(2)} × (${r.wall_s.toFixed(1)} s vs ${r.baseline_wall_s.toFixed(1)} s; ${r.over_floor_ratio?.toFixed(2)} × above the no-change floor)`,
      });
  }
  const rss = Math.max(0, ...rows.filter((r) => r.engine === "mage").map((r) => r.rss_mb));
  const client = Math.max(0, ...rows.filter((r) => r.engine === "mage").map((r) => r.client_peak_mb));
  if (rows.some((r) => r.engine === "mage")) {
    out.push({ target: "provider peak RSS < 200 MB", met: rss < 200, measured: `${rss} MB` });
    out.push({ target: "client peak memory, all processes ≤ 350 MB", met: client <= 350, measured: `${client} MB` });
  }
  return out;
}

/** Every engine in turn; Mage is asked for only when it is benchmarked. */
export async function runBench(opts: Options, bin: string, mage: () => Promise<MageAccess>): Promise<Row[]> {
  const rows: Row[] = [];
  for (const n of opts.scale ?? [opts.n])
    for (const engine of opts.engines) {
      const runs: Row[][] = [];
      for (let i = 0; i < (opts.runs ?? 1); i++) runs.push(await benchEngine(engine, { ...opts, n }, bin, mage));
      rows.push(...medianRows(runs));
    }
  return rows;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const bin = await ensurePulumiCli();
  if (opts.program === "pulumi-yaml" || opts.program === "plugin") await ensureLanguageHosts(bin);
  let sandbox: ReturnType<typeof startMage> | undefined;
  const ns = opts.scale ?? [opts.n];
  process.stderr.write(
    `benchmark: N=${ns.join(",")}, --parallel ${opts.parallel}, ${os.availableParallelism()} CPUs${opts.pinServer ? ", server pinned" : ""}${opts.runs ? `, medians of ${opts.runs} runs` : ""}\n`,
  );
  let rows: Row[];
  try {
    rows = await runBench(opts, bin, () => (sandbox ??= startMage()));
  } finally {
    if (sandbox) await (await sandbox).stop();
  }
  const last = ns[ns.length - 1];
  const checks = targets(
    rows.filter((r) => r.n === (ns.includes(50) ? 50 : last)),
    ns.includes(50) ? 50 : last,
  );
  const curve = scaleTable(rows);
  process.stdout.write(
    `${table(rows)}\n\n${curve ? `${curve}\n\n` : ""}${checks.map((c) => `${c.met ? "met " : "MISS"}  ${c.target}: ${c.measured}`).join("\n")}\n`,
  );
  if (opts.json) {
    const doc = {
      n: ns,
      pin_server: opts.pinServer === true,
      runs: opts.runs ?? 1,
      parallel: opts.parallel,
      cpus: os.availableParallelism(),
      node: process.version,
      results: rows,
      targets: checks,
    };
    fs.writeFileSync(opts.json, `${JSON.stringify(doc, null, 2)}\n`);
  }
}

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
