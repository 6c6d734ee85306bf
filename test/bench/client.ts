// What a Pulumi command costs on the client, apart from the servers: CPU
// seconds and memory of every process it runs (the CLI, the Node language
// host, the program, the dynamic providers).
//
// The total CPU is exact: a process's cutime/cstime (/proc/self/stat) count
// every child it has reaped, with all that child reaped in turn, and the CLI
// waits for its language host, program and plugins. The split by process is
// sampled from /proc/<pid>/stat every `everyMs`, so it misses each process's
// last moments; "unsampled" is the difference. The servers never count: the
// Mage sandbox is reaped only when the bench ends, and the emulators run in
// this process (their CPU is our own utime, not our children's).
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";

export type ProcessKind = "cli" | "program" | "provider" | "other";

export interface ClientCost {
  /** CPU seconds (user + system) of every process the command ran. */
  cpu_s: number;
  /** The same, by kind of process as sampled; `unsampled` is what the samples missed. */
  cpu_by: Record<ProcessKind | "unsampled", number>;
  /** Highest sum of resident memory over the command's processes at one time, in MB. */
  peak_mb: number;
  /** The same for each kind of process on its own (their peaks need not coincide). */
  peak_mb_by: Record<ProcessKind, number>;
  /** Highest resident memory of any one dynamic provider (its kernel high-water mark), in MB. */
  provider_peak_mb: number;
}

const TICKS = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime, stime, cutime, cstime of a /proc/<pid>/stat line, in clock ticks (fields 14–17). */
function cpuTicks(stat: string): { self: number; children: number } {
  // The command name (field 2) may hold spaces and parentheses: fields count from its closing one.
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { self: Number(f[11]) + Number(f[12]), children: Number(f[13]) + Number(f[14]) };
}

/** CPU seconds of this process's reaped children so far. */
function reapedChildrenSeconds(): number {
  return cpuTicks(fs.readFileSync("/proc/self/stat", "latin1")).children / TICKS;
}

export function kindOf(cmdline: string): ProcessKind {
  const argv = cmdline.split("\u0000");
  const exe = argv[0].split("/").pop() ?? "";
  if (exe === "pulumi" || exe.startsWith("pulumi-language-")) return "cli";
  // The dynamic-provider host, or the provider plugin (its npm script on Node, or the archive's executable).
  if (argv.some((a) => a.includes("dynamic-provider") || /plugin\/main\.js$|pulumi-resource-pipelines$/.test(a)))
    return "provider";
  if (exe === "node" || exe.startsWith("node")) return "program";
  return "other";
}

export interface ClientWatch {
  stop(): ClientCost;
}

/** Watches the processes carrying this PULUMI_HOME from now until stop(), which must follow the command's exit. */
export function watchClient(pulumiHome: string, everyMs = 100): ClientWatch {
  const mark = `PULUMI_HOME=${pulumiHome}\u0000`;
  const start = reapedChildrenSeconds();
  const last = new Map<string, { kind: ProcessKind; ticks: number }>();
  let peakKb = 0;
  let providerPeakKb = 0;
  const peakKbBy: Record<ProcessKind, number> = { cli: 0, program: 0, provider: 0, other: 0 };
  const sample = () => {
    let rssKb = 0;
    const kbBy: Record<ProcessKind, number> = { cli: 0, program: 0, provider: 0, other: 0 };
    for (const pid of fs.readdirSync("/proc")) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        if (!fs.readFileSync(`/proc/${pid}/environ`, "latin1").includes(mark)) continue;
        const kind = last.get(pid)?.kind ?? kindOf(fs.readFileSync(`/proc/${pid}/cmdline`, "latin1"));
        last.set(pid, { kind, ticks: cpuTicks(fs.readFileSync(`/proc/${pid}/stat`, "latin1")).self });
        const status = fs.readFileSync(`/proc/${pid}/status`, "latin1");
        const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
        rssKb += kb;
        kbBy[kind] += kb;
        if (kind === "provider")
          providerPeakKb = Math.max(providerPeakKb, Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0));
      } catch {
        /* exited meanwhile, or not ours to read */
      }
    }
    peakKb = Math.max(peakKb, rssKb);
    for (const k of Object.keys(kbBy) as ProcessKind[]) peakKbBy[k] = Math.max(peakKbBy[k], kbBy[k]);
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      const total = reapedChildrenSeconds() - start;
      const by: Record<ProcessKind | "unsampled", number> = { cli: 0, program: 0, provider: 0, other: 0, unsampled: 0 };
      for (const { kind, ticks } of last.values()) by[kind] += ticks / TICKS;
      by.unsampled = Math.max(0, total - by.cli - by.program - by.provider - by.other);
      const round = (x: number) => Math.round(x * 100) / 100;
      return {
        cpu_s: round(total),
        cpu_by: Object.fromEntries(Object.entries(by).map(([k, v]) => [k, round(v)])) as ClientCost["cpu_by"],
        peak_mb: Math.round(peakKb / 1024),
        peak_mb_by: Object.fromEntries(
          Object.entries(peakKbBy).map(([k, kb]) => [k, Math.round(kb / 1024)]),
        ) as ClientCost["peak_mb_by"],
        provider_peak_mb: Math.round(providerPeakKb / 1024),
      };
    },
  };
}
