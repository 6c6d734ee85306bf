// A review stack: what a pull request's changed pipelines become when they are
// deployed beside a pre-production stack's own, to be run once before merge.
// Every object gets the pull request's prefix (pipelines, Mage blocks, whose
// files are shared project-wide by name), time and event triggers give way to
// one API trigger (a review never starts scheduled runs), and project-wide
// objects (Mage secrets) are left to the stack it copies: nothing a review stack
// deploys can be an object of another stack's. Pure: the program, the review-stack
// command and the tests share it.
import { isDbtModel } from "../backends/mage/blockRules";
import { blockUuid, pipelineUuid } from "../backends/mage/names";
import type {
  FelderaPipeline,
  IonworksPipeline,
  MageBlock,
  MagePipeline,
  MageSchedule,
  PipelineDeclaration,
} from "./types";

/** Stack config `pipelines:review`, which the review-stack command sets on the stack it makes. */
export interface ReviewSettings {
  /** The stack it is made beside: the review deploys the declarations as that stack sees them (its values). */
  from: string;
  /** Put before every object's name: `pr-<number>-`. */
  prefix: string;
  /** The declared names of the pipelines to deploy (those the pull request changes). */
  pipelines: string[];
}

/** The one trigger of a reviewed Mage pipeline: the review runs it through its API trigger. */
export const REVIEW_TRIGGER = "pulumi-pipelines review";

const PREFIX = /^pr-[1-9][0-9]*-$/;

/** The settings, or what is wrong with them (they come from stack config, which anyone can set). */
export function reviewSettings(value: unknown): ReviewSettings | string {
  const v = value as Partial<ReviewSettings> | null;
  if (!v || typeof v !== "object") return "pipelines:review must be a mapping with from, prefix and pipelines";
  if (typeof v.from !== "string" || v.from === "") return "pipelines:review.from must name the stack it is beside";
  if (typeof v.prefix !== "string" || !PREFIX.test(v.prefix))
    return `pipelines:review.prefix must be pr-<number>- (got ${JSON.stringify(v.prefix)})`;
  if (!Array.isArray(v.pipelines) || !v.pipelines.every((p) => typeof p === "string" && p.length > 0))
    return "pipelines:review.pipelines must be a list of pipeline names";
  return { from: v.from, prefix: v.prefix, pipelines: v.pipelines };
}

/** The prefix of pull request `pr`'s objects. */
export function reviewPrefix(pr: number): string {
  return `pr-${pr}-`;
}

/** The review stack of pull request `pr` beside stack `from` (`org/project/dev` → `org/project/pr-7-dev`). */
export function reviewStackName(from: string, pr: number): string {
  const parts = from.split("/");
  parts[parts.length - 1] = `${reviewPrefix(pr)}${parts[parts.length - 1]}`;
  return parts.join("/");
}

/** The pull request number of a review stack beside `from`, if `stack` is one. */
export function reviewStackNumber(stack: string, from: string): number | undefined {
  const last = (s: string) => s.split("/").pop() ?? s;
  const m = /^pr-([1-9][0-9]*)-(.+)$/.exec(last(stack));
  return m && m[2] === last(from) ? Number(m[1]) : undefined;
}

export interface Reviewed<T> {
  /** What the review stack deploys, in declaration order. */
  pipelines: T[];
  /** Changed pipelines it cannot deploy apart from the stack it copies, and why. */
  skipped: { name: string; why: string }[];
}

/**
 * The pipelines a review stack deploys: each one named in `settings`, plus the Ionworks pipelines whose results
 * those take (a run needs them), renamed with the prefix. `entries` keep whatever else they carry (file, lines).
 */
export function reviewView<T extends { decl: PipelineDeclaration }>(
  entries: T[],
  settings: Pick<ReviewSettings, "prefix" | "pipelines">,
): Reviewed<T> {
  const wanted = new Set(settings.pipelines);
  for (const e of entries)
    if (e.decl.engine === "ionworks" && wanted.has(e.decl.name))
      for (const dep of ionworksSources(e.decl, entries)) wanted.add(dep);
  const chosen = entries.filter((e) => wanted.has(e.decl.name));
  const skipped: Reviewed<T>["skipped"] = [];
  const pipelines: T[] = [];
  const renamed = new Set(chosen.map((e) => e.decl.name));
  const name = (n: string) => `${settings.prefix}${n}`;
  for (const e of chosen) {
    const why = unreviewable(e.decl);
    if (why) skipped.push({ name: e.decl.name, why });
    else pipelines.push({ ...e, decl: renamedDeclaration(e.decl, name, renamed) });
  }
  return { pipelines, skipped };
}

/** Why a pipeline cannot be deployed under another name without touching shared objects, if it cannot. */
function unreviewable(decl: PipelineDeclaration): string | undefined {
  if (decl.engine !== "mage") return undefined;
  const dbt = (decl.blocks ?? []).find((b) => isDbtModel(b));
  return dbt
    ? `block '${dbt.name}' is a file other pipelines share by path (a dbt model): it cannot be copied under a new name`
    : undefined;
}

function renamedDeclaration(
  decl: PipelineDeclaration,
  name: (n: string) => string,
  renamed: Set<string>,
): PipelineDeclaration {
  // `adopt` takes over an existing object: a review stack only makes new ones.
  if (decl.engine === "mage") return reviewedMage(decl, name, renamed);
  if (decl.engine === "feldera") return reviewedFeldera(decl, name);
  return reviewedIonworks(decl, name);
}

function reviewedMage(decl: MagePipeline, name: (n: string) => string, renamed: Set<string>): MagePipeline {
  const blocks: MageBlock[] | undefined = decl.blocks?.map((b) => ({
    ...b,
    name: name(b.name),
    upstream: b.upstream?.map((u) => name(u)),
  }));
  const trigger: MageSchedule = { name: REVIEW_TRIGGER, type: "api", status: "active" };
  const copied = decl.cloneFrom;
  return {
    ...decl,
    adopt: undefined,
    name: name(decl.name),
    blocks,
    schedules: [trigger],
    // Copied from a pipeline this review also deploys: from its review copy.
    cloneFrom:
      copied !== undefined && [...renamed].some((r) => pipelineUuid(r) === pipelineUuid(copied))
        ? name(copied)
        : copied,
  };
}

function reviewedFeldera(decl: FelderaPipeline, name: (n: string) => string): FelderaPipeline {
  // Started, so the review can read its views.
  return { ...decl, adopt: undefined, name: name(decl.name), desiredState: "running" };
}

function reviewedIonworks(decl: IonworksPipeline, name: (n: string) => string): IonworksPipeline {
  return {
    ...decl,
    adopt: undefined,
    name: name(decl.name),
    waitFor: "completed",
    blocks: decl.blocks.map((b) => (b.fromPipeline === undefined ? b : { ...b, fromPipeline: name(b.fromPipeline) })),
  };
}

/** The Ionworks pipelines `decl` takes results from, transitively, by name. */
function ionworksSources(decl: IonworksPipeline, entries: { decl: PipelineDeclaration }[]): string[] {
  const out: string[] = [];
  const visit = (d: IonworksPipeline) => {
    for (const b of d.blocks) {
      if (b.fromPipeline === undefined || out.includes(b.fromPipeline)) continue;
      out.push(b.fromPipeline);
      const source = entries.find(
        (e) => e.decl.engine === "ionworks" && e.decl.target === d.target && e.decl.name === b.fromPipeline,
      );
      if (source) visit(source.decl as IonworksPipeline);
    }
  };
  visit(decl);
  return out;
}

/** The uuid Mage gives a reviewed pipeline's block (for reading its runs). */
export function reviewedBlockUuid(prefix: string, block: string): string {
  return blockUuid(`${prefix}${block}`);
}
