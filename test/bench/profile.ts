// Summaries of the V8 CPU profiles (`node --cpu-prof`) the program and the
// providers write during a bench step: where their CPU time goes, by package
// and by function, self time only (what a function spends itself).
import * as fs from "node:fs";
import * as path from "node:path";

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileSummary {
  kind: "program" | "provider";
  files: number;
  /** Sampled CPU time, ms. */
  total_ms: number;
  by_package: { name: string; ms: number }[];
  by_function: { name: string; ms: number }[];
}

/** Where a script comes from: a package, Node itself, this project, or V8's own work. */
export function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const rest = url.slice(nm + "node_modules/".length).split("/");
    return rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith("node:")) return "node";
  if (url.includes("/dist/provider/")) return "pulumi-pipelines";
  return path.basename(url);
}

function shortUrl(url: string): string {
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) return url.slice(nm + "node_modules/".length);
  const dist = url.indexOf("/dist/");
  return dist >= 0 ? url.slice(dist + 1) : url;
}

/** Self time per node, from the samples and their time deltas (hitCount × mean interval when absent). */
function selfTimes(p: CpuProfile): Map<number, number> {
  const out = new Map<number, number>();
  if (p.samples?.length && p.timeDeltas?.length === p.samples.length) {
    // Each delta is the time before its sample; it is charged to the sample that follows it.
    for (let i = 0; i < p.samples.length; i++) {
      const dt = p.timeDeltas[i + 1] ?? 0;
      out.set(p.samples[i], (out.get(p.samples[i]) ?? 0) + dt / 1000);
    }
    return out;
  }
  const hits = p.nodes.reduce((s, n) => s + (n.hitCount ?? 0), 0) || 1;
  const each = (p.endTime - p.startTime) / 1000 / hits;
  for (const n of p.nodes) out.set(n.id, (n.hitCount ?? 0) * each);
  return out;
}

const top = (m: Map<string, number>, k: number) =>
  [...m.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, k)
    .map(([name, ms]) => ({ name, ms: Math.round(ms) }));

/** The profiles in `dir`, told apart by whether they ran the dynamic provider. */
export function summarizeProfiles(dir: string, k = 12): ProfileSummary[] {
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".cpuprofile")) : [];
  const acc = new Map<ProfileSummary["kind"], { files: number; pkg: Map<string, number>; fn: Map<string, number> }>();
  for (const file of files) {
    const p: CpuProfile = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"));
    const kind = p.nodes.some((n) => n.callFrame.url.includes("dynamic-provider")) ? "provider" : "program";
    const a = acc.get(kind) ?? { files: 0, pkg: new Map(), fn: new Map() };
    a.files++;
    const self = selfTimes(p);
    for (const n of p.nodes) {
      const ms = self.get(n.id) ?? 0;
      if (!ms) continue;
      const { functionName, url, lineNumber } = n.callFrame;
      const pkg = packageOf(url, functionName);
      a.pkg.set(pkg, (a.pkg.get(pkg) ?? 0) + ms);
      const fn = url ? `${functionName || "(anonymous)"} ${shortUrl(url)}:${lineNumber + 1}` : functionName;
      a.fn.set(fn, (a.fn.get(fn) ?? 0) + ms);
    }
    acc.set(kind, a);
  }
  return [...acc.entries()].map(([kind, a]) => ({
    kind,
    files: a.files,
    total_ms: Math.round([...a.pkg.values()].reduce((s, v) => s + v, 0)),
    by_package: top(a.pkg, k),
    by_function: top(a.fn, k),
  }));
}

export function formatProfiles(step: string, summaries: ProfileSummary[]): string {
  return summaries
    .map((s) =>
      [
        `### ${step}: ${s.kind} (${s.files} process${s.files === 1 ? "" : "es"}, ${(s.total_ms / 1000).toFixed(2)} s sampled)`,
        "by package:",
        ...s.by_package.map((e) => `  ${String(e.ms).padStart(7)} ms  ${e.name}`),
        "by function (self):",
        ...s.by_function.map((e) => `  ${String(e.ms).padStart(7)} ms  ${e.name}`),
      ].join("\n"),
    )
    .join("\n\n");
}
