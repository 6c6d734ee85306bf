// Checks no schema can express: names unique (as the engine derives ids),
// references resolve, no cycles, intervals and times parse, files exist, and
// each engine is only asked for what it can do. Runs on schema-valid
// pipelines only, so every error here is about meaning, not shape.
import * as fs from "node:fs";
import * as path from "node:path";
import { blockUuid, pipelineUuid } from "../backends/mage/names";
import { type DeclarationError, didYouMean, formatPath, type PathPart } from "./errors";
import { declarationProblems, type RuledKind } from "./rules";
import { positionOf, type Source } from "./source";
import type { FelderaPipeline, IonworksPipeline, MagePipeline, PipelineDeclaration } from "./types";

export interface Located {
  source: Source;
  index: number;
  decl: PipelineDeclaration;
  /** Elements with schema errors of their own (e.g. "blocks[1]"): not cross-checked. */
  broken?: Set<string>;
}

type At = (path: PathPart[], message: string, key?: boolean) => void;
type Ok = (kind: "blocks" | "schedules") => (item: unknown, index: number) => boolean;

export function crossCheck(pipelines: Located[]): DeclarationError[] {
  const errors: DeclarationError[] = [];
  const seen = new Map<string, { file: string; line: number; name: string }>();
  errors.push(...checkPipelineReferences(pipelines), ...checkCopies(pipelines));

  for (const { source, index, decl, broken = new Set<string>() } of pipelines) {
    const base: PathPart[] = ["pipelines", index];
    const at: At = (rel, message, key = false) =>
      errors.push({
        file: source.file,
        ...positionOf(source, [...base, ...rel], { key }),
        path: formatPath([...base, ...rel]),
        message,
      });

    // Resource names are target/pipeline, and Mage ids come from the name: both must be unique.
    const id = `${decl.engine}:${decl.target}:${decl.engine === "mage" ? pipelineUuid(decl.name) : decl.name}`;
    const first = seen.get(id);
    if (first) {
      const same =
        first.name === decl.name
          ? `pipeline '${decl.name}'`
          : `pipelines '${first.name}' and '${decl.name}' (both become Mage uuid '${pipelineUuid(decl.name)}')`;
      at(["name"], `${same} declared twice for target '${decl.target}' (first at ${first.file}:${first.line})`);
    } else {
      seen.set(id, { file: source.file, line: positionOf(source, [...base, "name"]).line, name: decl.name });
    }

    // The rules of each declaration, as every provider's check() runs them on its inputs.
    const rules = (kind: RuledKind, d: object, where: PathPart[]) => {
      for (const p of declarationProblems(kind, d as Record<string, unknown>))
        at([...where, ...p.path], p.message, p.key);
    };
    const dir = path.dirname(source.file);
    const ok = (kind: "blocks" | "schedules") => (_: unknown, i: number) => !broken.has(`${kind}[${i}]`);
    if (decl.engine === "mage") {
      rules("mage.Pipeline", decl, []);
      for (const [i, b] of (decl.blocks ?? []).entries()) if (ok("blocks")(b, i)) rules("mage.Block", b, ["blocks", i]);
      for (const [i, s] of (decl.schedules ?? []).entries())
        if (ok("schedules")(s, i)) rules("mage.Schedule", s, ["schedules", i]);
      checkMage(decl, dir, at, ok);
    } else if (decl.engine === "feldera") {
      rules("feldera.Pipeline", decl, []);
      checkFeldera(decl, dir, at, ok);
    } else {
      rules("ionworks.Pipeline", decl, []);
      checkIonworks(decl, at);
    }
  }
  return errors;
}

function checkMage(p: MagePipeline, dir: string, at: At, ok: Ok): void {
  const blocks = p.blocks ?? [];
  if (p.type === "integration" && blocks.length)
    at(
      ["blocks"],
      "an integration pipeline's blocks are its source and destination, configured in Mage's data_integration " +
        "settings and stream catalog, which are not declared here: leave blocks out (they stay Mage's to edit) or use another pipeline type",
    );
  const byUuid = new Map<string, number>();
  blocks.forEach((b, i) => {
    if (typeof b?.name !== "string") return;
    const uuid = blockUuid(b.name);
    if (byUuid.has(uuid))
      at(["blocks", i, "name"], `block '${b.name}' is declared twice in this pipeline (Mage uuid '${uuid}')`);
    else byUuid.set(uuid, i);
    if (!ok("blocks")(b, i)) return;
    // In TypeScript the Block class refuses both (it reads codeFile into code before check() sees it).
    if (b.code !== undefined && b.codeFile !== undefined)
      at(["blocks", i, "codeFile"], "set 'code' or 'codeFile', not both", true);
    if (b.codeFile !== undefined) checkFile(dir, b.codeFile, ["blocks", i, "codeFile"], at);
  });
  const names = blocks.map((b) => b?.name).filter((n): n is string => typeof n === "string");
  const good = blocks.filter(ok("blocks"));
  for (const [i, b] of blocks.entries()) {
    if (!ok("blocks")(b, i)) continue;
    for (const [j, u] of (b.upstream ?? []).entries()) {
      if (!byUuid.has(blockUuid(u)))
        at(
          ["blocks", i, "upstream", j],
          `upstream block '${u}' is not declared in this pipeline${didYouMean(u, names)}`,
        );
      else if (blockUuid(u) === blockUuid(b.name))
        at(["blocks", i, "upstream", j], `block '${b.name}' cannot be its own upstream`);
    }
  }
  const cycle = findCycle(
    good.map((b) => ({
      id: blockUuid(b.name),
      deps: (b.upstream ?? []).map(blockUuid).filter((u) => byUuid.has(u) && u !== blockUuid(b.name)),
    })),
  );
  if (cycle)
    at(
      ["blocks", byUuid.get(cycle[0])!, "upstream"],
      `upstream blocks form a cycle: ${cycle.map((u) => blocks[byUuid.get(u)!].name).join(" → ")}`,
    );

  const scheduleNames = new Set<string>();
  (p.schedules ?? []).forEach((s, i) => {
    if (!ok("schedules")(s, i)) return;
    if (scheduleNames.has(s.name))
      at(["schedules", i, "name"], `schedule '${s.name}' is declared twice in this pipeline`);
    scheduleNames.add(s.name);
  });
}

function checkFeldera(p: FelderaPipeline, dir: string, at: At, ok: Ok): void {
  if (p.schedules !== undefined) {
    at(
      ["schedules"],
      "Feldera has no scheduler: remove 'schedules'; keep the pipeline running with desiredState: running, or start and stop it from an external trigger (a CI job running pulumi up)",
      true,
    );
  }
  p.blocks.forEach((b, i) => {
    if (!ok("blocks")(b, i)) return;
    // In TypeScript the Pipeline class reads sqlFile into sql and refuses both or neither itself.
    exactlyOne(b, "sql", "sqlFile", ["blocks", i], at);
    if (b.sqlFile !== undefined) checkFile(dir, b.sqlFile, ["blocks", i, "sqlFile"], at);
  });
  for (const [inline, file] of [
    ["udfRust", "udfRustFile"],
    ["udfToml", "udfTomlFile"],
  ] as const) {
    if (p[inline] !== undefined && p[file] !== undefined) at([file], `set '${inline}' or '${file}', not both`, true);
    if (p[file] !== undefined) checkFile(dir, p[file]!, [file], at);
  }
}

function checkIonworks(p: IonworksPipeline, at: At): void {
  if (p.schedules !== undefined) {
    at(
      ["schedules"],
      "Ionworks has no scheduler: remove 'schedules'; run the pipeline from an external trigger (a CI job or cron running pulumi up)",
      true,
    );
  }
}

/** Ionworks entries that take another declared pipeline's results: it must exist, and runs must not wait on each other in a circle. */
function checkPipelineReferences(pipelines: Located[]): DeclarationError[] {
  const errors: DeclarationError[] = [];
  const ionworks = pipelines.filter((p) => p.decl.engine === "ionworks") as (Located & { decl: IonworksPipeline })[];
  const key = (target: string, name: string) => `${target}\u0000${name}`;
  const declared = new Set(ionworks.map((p) => key(p.decl.target, p.decl.name)));
  const edges: { id: string; deps: string[] }[] = [];
  for (const { source, index, decl, broken } of ionworks) {
    const deps: string[] = [];
    decl.blocks.forEach((b, i) => {
      if (broken?.has(`blocks[${i}]`) || b.fromPipeline === undefined) return;
      const where: PathPart[] = ["pipelines", index, "blocks", i, "fromPipeline"];
      const at = (message: string) =>
        errors.push({ file: source.file, ...positionOf(source, where), path: formatPath(where), message });
      if (b.type !== "entry") at(`only entry blocks take another pipeline's results, not '${b.type}'`);
      else if (!declared.has(key(decl.target, b.fromPipeline))) {
        at(
          `no Ionworks pipeline '${b.fromPipeline}' is declared for target '${decl.target}'${didYouMean(
            b.fromPipeline,
            ionworks.filter((p) => p.decl.target === decl.target).map((p) => p.decl.name),
          )}`,
        );
      } else deps.push(key(decl.target, b.fromPipeline));
    });
    edges.push({ id: key(decl.target, decl.name), deps });
  }
  const cycle = findCycle(edges);
  if (cycle) {
    const first = ionworks.find((p) => key(p.decl.target, p.decl.name) === cycle[0])!;
    const where: PathPart[] = ["pipelines", first.index, "name"];
    errors.push({
      file: first.source.file,
      ...positionOf(first.source, where),
      path: formatPath(where),
      message: `pipelines take each other's results in a circle: ${cycle.map((c) => c.split("\u0000")[1]).join(" → ")}`,
    });
  }
  return errors;
}

/** Mage pipelines copied from declared ones are made after them, so copies must not go in a circle. */
function checkCopies(pipelines: Located[]): DeclarationError[] {
  const mage = pipelines.filter((p) => p.decl.engine === "mage") as (Located & { decl: MagePipeline })[];
  const key = (target: string, name: string) => `${target}\u0000${pipelineUuid(name)}`;
  const declared = new Set(mage.map((p) => key(p.decl.target, p.decl.name)));
  const cycle = findCycle(
    mage.map(({ decl }) => ({
      id: key(decl.target, decl.name),
      // A copy of itself is said by checkMage.
      deps:
        decl.cloneFrom === undefined
          ? []
          : [key(decl.target, decl.cloneFrom)].filter(
              (from) => declared.has(from) && from !== key(decl.target, decl.name),
            ),
    })),
  );
  if (!cycle) return [];
  const first = mage.find((p) => key(p.decl.target, p.decl.name) === cycle[0])!;
  const where: PathPart[] = ["pipelines", first.index, "cloneFrom"];
  const names = cycle.map((c) => mage.find((p) => key(p.decl.target, p.decl.name) === c)!.decl.name);
  return [
    {
      file: first.source.file,
      ...positionOf(first.source, where),
      path: formatPath(where),
      message: `pipelines are copies of each other in a circle: ${names.join(" → ")}`,
    },
  ];
}

function exactlyOne(obj: object, a: string, b: string, where: PathPart[], at: At): void {
  const has = (k: string) => (obj as Record<string, unknown>)[k] !== undefined;
  if (has(a) && has(b)) at([...where, b], `set '${a}' or '${b}', not both`, true);
  else if (!has(a) && !has(b)) at(where, `needs '${a}' (inline) or '${b}' (a file)`);
}

function checkFile(dir: string, rel: string, where: PathPart[], at: At): void {
  const full = path.resolve(dir, rel);
  let ok = false;
  try {
    ok = fs.statSync(full).isFile();
  } catch {
    /* missing */
  }
  if (!ok) at(where, `file '${rel}' not found (looked for ${full})`);
}

/** A dependency cycle as a list of ids (first repeated at the end), or undefined. */
export function findCycle(nodes: { id: string; deps: string[] }[]): string[] | undefined {
  const deps = new Map(nodes.map((n) => [n.id, n.deps]));
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === "done") return undefined;
    if (state.get(id) === "visiting") return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, "visiting");
    stack.push(id);
    for (const d of deps.get(id) ?? []) {
      const c = visit(d);
      if (c) return c;
    }
    stack.pop();
    state.set(id, "done");
    return undefined;
  };
  for (const n of nodes) {
    const c = visit(n.id);
    if (c) return c;
  }
  return undefined;
}
