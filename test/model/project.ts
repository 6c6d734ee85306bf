// The model of the model-based suite: a declared Mage project (pipelines,
// block DAGs of every block type, triggers of every type) and the edits a
// user makes to it. Edits are pure: (project, choice numbers) → project, so
// fast-check generates and shrinks plain numbers, and a failing sequence
// replays exactly from its seed.
import fc from "fast-check";

export type BlockType =
  | "data_loader"
  | "transformer"
  | "data_exporter"
  | "custom"
  | "sensor"
  | "callback"
  | "conditional"
  | "extension";
export type Language = "python" | "sql" | "r";

export interface BlockModel {
  /** Stable key: the Pulumi resource name. */
  key: string;
  name: string;
  type: BlockType;
  language: Language;
  code: string;
  /** Keys of upstream blocks, in order; for callback, conditional and extension blocks, the block they serve. */
  upstream: string[];
  configuration: Record<string, unknown>;
  extensionUuid?: string;
  /** The block's run settings, in the declaration's keys (absent in older recorded sequences: none). */
  settings?: BlockSettingsModel;
}

export interface BlockSettingsModel {
  retryConfig?: { retries: number; delay?: number };
  timeout?: number;
  executorType?: "local_python" | "local_python_force";
  color?: string;
}

/** A pipeline's run settings, in the declaration's keys. */
export interface RunSettingsModel {
  retryConfig?: { retries: number; delay?: number; exponential_backoff?: boolean };
  concurrencyConfig?: { block_run_limit?: number; on_pipeline_run_limit_reached?: "wait" | "skip" };
  executorType?: "local_python" | "local_python_force";
  runPipelineInOneProcess?: boolean;
  cacheBlockOutputInMemory?: boolean;
  settings?: { triggers: { save_in_code_automatically: boolean } };
}

export interface ScheduleModel {
  key: string;
  name: string;
  type: "time" | "api" | "event";
  interval?: string;
  startTime?: string;
  status: "active" | "inactive";
  variables: Record<string, string | number | boolean>;
  settings: Record<string, unknown>;
  tags: string[];
  /** For event triggers (absent in older recorded sequences: none). */
  eventMatchers?: { name: string; pattern: Record<string, unknown> }[];
}

/** Pipeline types a server without Spark accepts (Mage refuses `pyspark` without its kernel). */
export const PIPELINE_TYPES = ["python", "streaming", "databricks"] as const;

export interface PipelineModel {
  key: string;
  name: string;
  /** Absent in sequences recorded before type edits were generated: python. */
  type?: (typeof PIPELINE_TYPES)[number];
  description: string;
  tags: string[];
  variables: Record<string, string | number | boolean>;
  /** Absent in older recorded sequences: none. */
  runSettings?: RunSettingsModel;
  /** Upstream-first: a block comes after every block it names. */
  blocks: BlockModel[];
  schedules: ScheduleModel[];
  /** The pipeline that also holds a block and a trigger made outside the stack: it keeps its name. */
  holdsOutOfBand?: boolean;
}

export interface Project {
  /** Unique per sequence: names on the shared server never collide. */
  prefix: string;
  pipelines: PipelineModel[];
  /** Next number for new keys and names. */
  counter: number;
}

/** Blocks that serve another block rather than feed one. */
export const ATTACHED: readonly BlockType[] = ["callback", "conditional", "extension"];
const MAIN: readonly BlockType[] = ["data_loader", "transformer", "data_exporter", "custom", "sensor"];
const INTERVALS = ["@hourly", "@daily", "@weekly", "@monthly", "0 3 * * *", "*/15 * * * *", "30 6 * * 1-5"];

export function codeFor(type: BlockType, language: Language, version: number): string {
  if (language === "sql") return `SELECT ${version} AS version;\n`;
  if (language === "r") return `load_data <- function() {\n  data.frame(version = ${version})\n}\n`;
  const decorator: Record<BlockType, string> = {
    data_loader: "data_loader",
    transformer: "transformer",
    data_exporter: "data_exporter",
    custom: "custom",
    sensor: "sensor",
    callback: "callback('success')",
    conditional: "condition",
    extension: "expectation",
  };
  return `@${decorator[type]}\ndef step_${version}(*args, **kwargs):\n    return ${version}\n`;
}

function configurationFor(language: Language): Record<string, unknown> {
  return language === "sql" ? { data_provider: "postgres", data_provider_profile: "default" } : {};
}

const pick = <T>(items: readonly T[], n: number): T => items[Math.abs(n) % items.length];

function newBlock(project: Project, type: BlockType, language: Language, upstream: string[]): BlockModel {
  const n = project.counter++;
  return {
    key: `b${n}`,
    name: `${project.prefix}_b${n}`,
    type,
    language,
    code: codeFor(type, language, n),
    upstream,
    configuration: configurationFor(language),
    ...(type === "extension" ? { extensionUuid: "great_expectations" } : {}),
  };
}

function newSchedule(project: Project, type: ScheduleModel["type"], n: number): ScheduleModel {
  const k = project.counter++;
  return {
    key: `t${k}`,
    name: `trigger ${k}`,
    type,
    ...(type === "time" ? { interval: pick(INTERVALS, n), startTime: "2031-01-01T06:00:00Z" } : {}),
    status: n % 2 ? "active" : "inactive",
    variables: n % 3 ? { run_kind: `k${n % 5}` } : {},
    settings: n % 2 ? { skip_if_previous_running: true } : {},
    tags: n % 4 ? [`t${n % 3}`] : [],
  };
}

const languagesFor = (type: BlockType): Language[] =>
  ["data_loader", "transformer", "data_exporter"].includes(type) ? ["python", "sql", "r"] : ["python"];

/** A small project: two pipelines, each a chain of main blocks with attached blocks, and triggers. */
export function initialProject(prefix: string, seed: number[]): Project {
  const project: Project = { prefix, pipelines: [], counter: 1 };
  for (let p = 0; p < 2; p++) {
    const n = project.counter++;
    const pipeline: PipelineModel = {
      key: `p${n}`,
      name: `${prefix} p${n}`,
      description: "",
      tags: p ? ["model"] : [],
      variables: { env: "model" },
      blocks: [],
      schedules: [],
      holdsOutOfBand: p === 0,
    };
    const mains = 2 + (Math.abs(seed[p] ?? 0) % 3);
    for (let i = 0; i < mains; i++) {
      const type = i === 0 ? "data_loader" : pick(MAIN.slice(1), (seed[p] ?? 0) + i);
      const upstream = i === 0 ? [] : [pipeline.blocks[pipeline.blocks.length - 1].key];
      pipeline.blocks.push(newBlock(project, type, pick(languagesFor(type), (seed[2] ?? 0) + i), upstream));
    }
    const served = pipeline.blocks[Math.abs(seed[3] ?? 0) % pipeline.blocks.length].key;
    pipeline.blocks.push(newBlock(project, pick(ATTACHED, (seed[4] ?? 0) + p), "python", [served]));
    pipeline.schedules.push(newSchedule(project, p ? "api" : "time", seed[5] ?? 0));
    project.pipelines.push(pipeline);
  }
  return project;
}

// ---------------------------------------------------------------- edits

export const EDITS = [
  "block.add",
  "block.removeLeaf",
  "block.removeMiddle",
  "block.rename",
  "block.type",
  "block.language",
  "block.code",
  "block.configuration",
  "block.settings",
  "block.upstreamAdd",
  "block.upstreamRemove",
  "block.upstreamReorder",
  "block.insertMiddle",
  "block.move",
  "pipeline.rename",
  "pipeline.type",
  "pipeline.description",
  "pipeline.tags",
  "pipeline.variables",
  "pipeline.runSettings",
  "trigger.add",
  "trigger.remove",
  "trigger.rename",
  "trigger.type",
  "trigger.interval",
  "trigger.startTime",
  "trigger.status",
  "trigger.variables",
  "trigger.settings",
  "trigger.tags",
  "trigger.eventMatchers",
] as const;
export type EditKind = (typeof EDITS)[number];

export interface Edit {
  kind: EditKind;
  /** Choice numbers: which pipeline, block or trigger, and which value. */
  a: number;
  b: number;
  c: number;
}

export const editArbitrary: fc.Arbitrary<Edit> = fc.record({
  kind: fc.constantFrom(...EDITS),
  a: fc.nat(1000),
  b: fc.nat(1000),
  c: fc.nat(1000),
});

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));
const mainBlocks = (p: PipelineModel) => p.blocks.filter((b) => !ATTACHED.includes(b.type));
const dependents = (p: PipelineModel, key: string) => p.blocks.filter((b) => b.upstream.includes(key));

/** Puts blocks upstream-first again after an edit that moved edges. */
function order(p: PipelineModel): void {
  const byKey = new Map(p.blocks.map((b) => [b.key, b]));
  const out: BlockModel[] = [];
  const seen = new Set<string>();
  const visit = (b: BlockModel) => {
    if (seen.has(b.key)) return;
    seen.add(b.key);
    for (const u of b.upstream) {
      const up = byKey.get(u);
      if (up) visit(up);
    }
    out.push(b);
  };
  for (const b of p.blocks) visit(b);
  p.blocks = out;
}

/** Whether `from` is reachable upstream of `to` (an edge to → from would make a cycle). */
function reaches(p: PipelineModel, from: string, to: string): boolean {
  const byKey = new Map(p.blocks.map((b) => [b.key, b]));
  const stack = [to];
  const seen = new Set<string>();
  while (stack.length) {
    const k = stack.pop()!;
    if (k === from) return true;
    if (seen.has(k)) continue;
    seen.add(k);
    stack.push(...(byKey.get(k)?.upstream ?? []));
  }
  return false;
}

/** Removes a block; its dependents take its upstream blocks instead (attached ones go with it). */
function removeBlock(p: PipelineModel, key: string): void {
  const gone = p.blocks.find((b) => b.key === key)!;
  p.blocks = p.blocks.filter((b) => b.key !== key && !(ATTACHED.includes(b.type) && b.upstream.includes(key)));
  for (const d of p.blocks) {
    if (!d.upstream.includes(key)) continue;
    const merged = d.upstream.flatMap((u) => (u === key ? gone.upstream : [u]));
    d.upstream = [...new Set(merged)];
  }
}

/**
 * Applies an edit, or returns undefined when it does not apply (e.g. removing
 * a block from an empty pipeline): the sequence goes on with the next edit.
 */
/** What the server under test can keep (older supported Mages lack some features: MAGE_FEATURES). */
export interface Capabilities {
  /** Pipeline concurrency settings (Mage 0.9.71 and newer). */
  concurrencyConfig: boolean;
}

export function applyEdit(
  project: Project,
  edit: Edit,
  can: Capabilities = { concurrencyConfig: true },
): Project | undefined {
  const next = clone(project);
  const p = pick(next.pipelines, edit.a);
  const blocks = p.blocks;
  const block = blocks.length ? pick(blocks, edit.b) : undefined;
  const trigger = p.schedules.length ? pick(p.schedules, edit.b) : undefined;
  const version = next.counter++;
  switch (edit.kind) {
    case "block.add": {
      const mains = mainBlocks(p);
      const type = mains.length && edit.c % 3 === 0 ? pick(ATTACHED, edit.c) : pick(MAIN, edit.c);
      if (ATTACHED.includes(type) && !mains.length) return undefined;
      const upstream = ATTACHED.includes(type)
        ? [pick(mains, edit.b).key]
        : type === "data_loader" || !mains.length
          ? []
          : [pick(mains, edit.b).key];
      p.blocks.push(newBlock(next, type, pick(languagesFor(type), edit.c), upstream));
      break;
    }
    case "block.removeLeaf": {
      const leaves = blocks.filter((b) => !dependents(p, b.key).length);
      if (!leaves.length) return undefined;
      removeBlock(p, pick(leaves, edit.b).key);
      break;
    }
    case "block.removeMiddle": {
      const middles = mainBlocks(p).filter(
        (b) => b.upstream.length && dependents(p, b.key).some((d) => !ATTACHED.includes(d.type)),
      );
      if (!middles.length) return undefined;
      removeBlock(p, pick(middles, edit.b).key);
      break;
    }
    case "block.rename": {
      if (!block) return undefined;
      block.name = `${next.prefix}_b${version}`;
      break;
    }
    case "block.type": {
      if (!block || ATTACHED.includes(block.type)) return undefined;
      const types = MAIN.filter((t) => t !== block.type && languagesFor(t).includes(block.language));
      block.type = pick(types, edit.c);
      block.code = codeFor(block.type, block.language, version);
      if (block.type === "data_loader") {
        // Keep the model simple: a loader starts a chain.
        if (block.upstream.length) return undefined;
      }
      break;
    }
    case "block.language": {
      if (!block) return undefined;
      const langs = languagesFor(block.type).filter((l) => l !== block.language);
      if (!langs.length) return undefined;
      block.language = pick(langs, edit.c);
      block.code = codeFor(block.type, block.language, version);
      block.configuration = configurationFor(block.language);
      break;
    }
    case "block.code": {
      if (!block) return undefined;
      block.code = codeFor(block.type, block.language, version);
      break;
    }
    case "block.configuration": {
      // Set the key the model adds to a new value, or drop it again.
      if (!block) return undefined;
      if (edit.c % 4 === 0) {
        if (!("model_note" in block.configuration)) return undefined;
        const { model_note: _, ...rest } = block.configuration;
        block.configuration = rest;
      } else block.configuration = { ...block.configuration, model_note: `v${version}` };
      break;
    }
    case "block.settings": {
      // One setting set to a new value, or all of them dropped (back to Mage's defaults).
      if (!block || block.type === "extension") return undefined;
      const s = { ...(block.settings ?? {}) };
      switch (edit.c % 5) {
        case 0:
          if (!Object.keys(s).length) return undefined;
          block.settings = {};
          return next;
        case 1:
          s.retryConfig = { retries: 1 + (version % 3), ...(edit.c % 2 ? { delay: version % 60 } : {}) };
          break;
        case 2:
          s.timeout = 60 + version;
          break;
        case 3:
          s.executorType = s.executorType === "local_python_force" ? "local_python" : "local_python_force";
          break;
        default:
          s.color = pick(
            ["blue", "pink", "purple", "teal", "yellow"].filter((c) => c !== s.color),
            edit.c,
          );
      }
      block.settings = s;
      break;
    }
    case "block.upstreamAdd": {
      // For callback, conditional and extension blocks: serve one more block.
      if (!block || block.type === "data_loader") return undefined;
      const candidates = mainBlocks(p).filter(
        (u) => u.key !== block.key && !block.upstream.includes(u.key) && !reaches(p, block.key, u.key),
      );
      if (!candidates.length) return undefined;
      block.upstream.push(pick(candidates, edit.c).key);
      order(p);
      break;
    }
    case "block.upstreamRemove": {
      if (!block || block.upstream.length < (ATTACHED.includes(block.type) ? 2 : 1)) return undefined;
      block.upstream.splice(Math.abs(edit.c) % block.upstream.length, 1);
      break;
    }
    case "block.upstreamReorder": {
      if (!block || block.upstream.length < 2) return undefined;
      block.upstream.reverse();
      break;
    }
    case "block.insertMiddle": {
      const withUp = mainBlocks(p).filter((b) => b.upstream.length && !ATTACHED.includes(b.type));
      if (!withUp.length) return undefined;
      const below = pick(withUp, edit.b);
      const above = below.upstream[0];
      const inserted = newBlock(next, "transformer", "python", [above]);
      below.upstream = below.upstream.map((u) => (u === above ? inserted.key : u));
      p.blocks.push(inserted);
      order(p);
      break;
    }
    case "block.move": {
      // A leaf main block moves to the other pipeline, where it starts a new branch.
      const other = next.pipelines.find((q) => q.key !== p.key);
      const leaves = mainBlocks(p).filter((b) => !dependents(p, b.key).length);
      if (!other || !leaves.length) return undefined;
      const moved = pick(leaves, edit.b);
      p.blocks = p.blocks.filter((b) => b.key !== moved.key);
      const anchor = mainBlocks(other);
      moved.upstream = moved.type === "data_loader" || !anchor.length ? [] : [pick(anchor, edit.c).key];
      other.blocks.push(moved);
      break;
    }
    case "pipeline.rename": {
      if (p.holdsOutOfBand) return undefined;
      p.name = `${next.prefix} p${version}`;
      break;
    }
    case "pipeline.type":
      p.type = pick(
        PIPELINE_TYPES.filter((t) => t !== (p.type ?? "python")),
        edit.c,
      );
      break;
    case "pipeline.description":
      p.description = edit.c % 4 ? `model v${version}` : "";
      break;
    case "pipeline.tags":
      p.tags = edit.c % 3 ? [`tag${edit.c % 4}`, "model"] : [];
      break;
    case "pipeline.variables": {
      const v = { ...p.variables };
      if (edit.c % 3 === 0 && Object.keys(v).length) delete v[pick(Object.keys(v), edit.c)];
      else v[`var_${edit.c % 3}`] = edit.c % 2 ? `value ${version}` : version;
      p.variables = v;
      break;
    }
    case "pipeline.runSettings": {
      // One run setting set to a new value, or one dropped (back to Mage's default).
      const s: RunSettingsModel = { ...(p.runSettings ?? {}) };
      const keys = Object.keys(s) as (keyof RunSettingsModel)[];
      if (edit.c % 4 === 0) {
        if (!keys.length) return undefined;
        delete s[pick(keys, edit.b)];
      } else
        switch (edit.b % 6) {
          case 0:
            s.retryConfig = { retries: 1 + (version % 4), delay: version % 90, exponential_backoff: edit.c % 2 === 0 };
            break;
          case 1:
            if (!can.concurrencyConfig) return undefined; // not an edit this server can take
            s.concurrencyConfig = {
              block_run_limit: 1 + (version % 5),
              ...(edit.c % 2 ? { on_pipeline_run_limit_reached: pick(["wait", "skip"] as const, version) } : {}),
            };
            break;
          case 2:
            s.executorType = s.executorType === "local_python" ? "local_python_force" : "local_python";
            break;
          case 3:
            s.runPipelineInOneProcess = !s.runPipelineInOneProcess;
            break;
          case 4:
            s.cacheBlockOutputInMemory = !s.cacheBlockOutputInMemory;
            break;
          default:
            s.settings = { triggers: { save_in_code_automatically: !s.settings?.triggers.save_in_code_automatically } };
        }
      p.runSettings = s;
      break;
    }
    case "trigger.add":
      p.schedules.push(newSchedule(next, pick(["time", "api", "event"] as const, edit.c), edit.c));
      break;
    case "trigger.remove":
      if (!trigger) return undefined;
      p.schedules = p.schedules.filter((s) => s.key !== trigger.key);
      break;
    case "trigger.rename":
      if (!trigger) return undefined;
      trigger.name = `trigger ${version}`;
      break;
    case "trigger.type": {
      if (!trigger) return undefined;
      const type = pick(
        (["time", "api", "event"] as const).filter((t) => t !== trigger.type),
        edit.c,
      );
      trigger.type = type;
      if (type === "time") {
        trigger.interval = pick(INTERVALS, edit.c);
        trigger.startTime = "2031-01-01T06:00:00Z";
      } else {
        delete trigger.interval;
        delete trigger.startTime;
      }
      if (type !== "event") delete trigger.eventMatchers;
      break;
    }
    case "trigger.interval":
      if (trigger?.type !== "time") return undefined;
      trigger.interval = pick(
        INTERVALS.filter((i) => i !== trigger.interval),
        edit.c,
      );
      break;
    case "trigger.startTime":
      if (trigger?.type !== "time") return undefined;
      trigger.startTime = `20${31 + (edit.c % 5)}-0${1 + (edit.c % 9)}-01T0${edit.c % 10}:30:00Z`;
      break;
    case "trigger.status":
      if (!trigger) return undefined;
      trigger.status = trigger.status === "active" ? "inactive" : "active";
      break;
    case "trigger.variables":
      if (!trigger) return undefined;
      trigger.variables = edit.c % 3 ? { run_kind: `k${version}` } : {};
      break;
    case "trigger.settings":
      if (!trigger) return undefined;
      trigger.settings = edit.c % 2 ? { skip_if_previous_running: edit.c % 4 === 1 } : {};
      break;
    case "trigger.tags":
      if (!trigger) return undefined;
      trigger.tags = edit.c % 3 ? [`t${edit.c % 5}`] : [];
      break;
    case "trigger.eventMatchers": {
      // Add a matcher, change one's pattern, or drop one.
      const events = p.schedules.filter((s) => s.type === "event");
      if (!events.length) return undefined;
      const t = pick(events, edit.b);
      const matchers = [...(t.eventMatchers ?? [])];
      const pattern = { source: [`aws.s${version % 3}`], "detail-type": [`Object v${version}`] };
      if (edit.c % 3 === 0 && matchers.length) matchers.splice(edit.c % matchers.length, 1);
      else if (edit.c % 3 === 1 && matchers.length)
        matchers[edit.c % matchers.length] = { ...matchers[edit.c % matchers.length], pattern };
      else matchers.push({ name: `m${version}`, pattern });
      t.eventMatchers = matchers;
      break;
    }
  }
  return next;
}
