// Declarations → the arguments of the resources that deploy them, as plain
// data. The GitOps program constructs resources from these; the review
// (`pulumi-pipelines diff --base`) compares them without Pulumi.
import * as path from "node:path";
import { blockUuid, pipelineUuid } from "../backends/mage/names";
import type {
  FelderaPipeline,
  IonworksPipeline,
  MageBlock,
  MagePipeline,
  MageSecret,
  PipelineDeclaration,
} from "../declarations/types";
import { argFields } from "../resources/kind";
import { KINDS, type ResourceType } from "../resources/kinds";

export interface DeclaredResource {
  type: ResourceType;
  /** The Pulumi resource name: target/pipeline[/block|schedule]. */
  name: string;
  args: Record<string, unknown>;
  /** Resource names whose ids (or names) this one's args refer to. */
  refs: { path: (string | number)[]; resource: string; output: "name" | "id" }[];
}

/** Every resource a set of declarations deploys, each after the ones it refers to. */
export function declaredResources(
  pipelines: { decl: PipelineDeclaration; dir: string }[],
  root: string,
  secrets: { decl: MageSecret }[] = [],
): DeclaredResource[] {
  // Secrets first: blocks that read them may run as soon as they exist.
  const out: DeclaredResource[] = secrets.map(({ decl }) => ({
    type: "mage:Secret",
    name: `${decl.target}/secret:${decl.name}`,
    args: argsOf("mage:Secret", decl),
    refs: [],
  }));
  for (const p of sourcesFirst(pipelines)) {
    if (p.decl.engine === "mage") out.push(...mageResources(p.decl, p.dir, root, copySource(p.decl, pipelines)));
    if (p.decl.engine === "feldera") out.push(felderaResource(p.decl, p.dir, root));
  }
  out.push(...ionworksResources(pipelines.flatMap((p) => (p.decl.engine === "ionworks" ? [p.decl] : []))));
  return out;
}

/** The declared Mage pipeline this one is copied from, if it is declared (the loader has refused circles). */
function copySource(decl: MagePipeline, pipelines: { decl: PipelineDeclaration }[]): MagePipeline | undefined {
  if (decl.cloneFrom === undefined) return undefined;
  const from = pipelineUuid(decl.cloneFrom);
  return pipelines
    .map((p) => p.decl)
    .find(
      (d): d is MagePipeline =>
        d.engine === "mage" && d.target === decl.target && d !== decl && pipelineUuid(d.name) === from,
    );
}

/** Declaration order, except that a Mage pipeline copied from a declared one comes after it. */
function sourcesFirst<T extends { decl: PipelineDeclaration }>(pipelines: T[]): T[] {
  const out: T[] = [];
  const seen = new Set<T>();
  const visit = (p: T) => {
    if (seen.has(p)) return;
    seen.add(p);
    const source = p.decl.engine === "mage" ? copySource(p.decl, pipelines) : undefined;
    const first = source && pipelines.find((q) => q.decl === source);
    if (first) visit(first);
    out.push(p);
  };
  pipelines.forEach(visit);
  return out;
}

/**
 * The fields of a declaration (a pipeline, or one of its blocks or schedules) that are the kind's args — its inputs
 * and the files it reads them from (the kind's descriptor says which) — with each file's path re-based from the
 * YAML file's folder to the project.
 */
function argsOf(
  type: ResourceType,
  decl: object,
  rebase: (file: string) => string = (f) => f,
): Record<string, unknown> {
  const kind = KINDS[type];
  const given = decl as Record<string, unknown>;
  const args: Record<string, unknown> = Object.fromEntries(
    argFields(kind)
      .filter((k) => given[k] !== undefined)
      .map((k) => [k, given[k]]),
  );
  for (const f of kind.files ?? []) {
    const file = args[f.file];
    if (!f.at && typeof file === "string") args[f.file] = rebase(file);
    const list = f.at ? args[f.at] : undefined;
    if (f.at && Array.isArray(list))
      args[f.at] = list.map((entry: Record<string, unknown>) =>
        typeof entry[f.file] === "string" ? { ...entry, [f.file]: rebase(entry[f.file] as string) } : entry,
      );
  }
  return args;
}

function mageResources(decl: MagePipeline, dir: string, root: string, source?: MagePipeline): DeclaredResource[] {
  const prefix = `${decl.target}/${decl.name}`;
  const rebase = (file: string) => path.relative(root, path.resolve(dir, file));
  // What every block and schedule takes from its pipeline's declaration.
  const parent = { target: decl.target, pipeline: decl.name, adopt: decl.adopt };
  const declaredName = (u: string) => (decl.blocks ?? []).find((x) => blockUuid(x.name) === blockUuid(u))!.name;
  const out: DeclaredResource[] = [
    {
      type: "mage:Pipeline",
      name: prefix,
      args: argsOf("mage:Pipeline", decl),
      // Copied from a declared pipeline: made after it.
      refs: source ? [{ path: ["cloneFrom"], resource: `${source.target}/${source.name}`, output: "name" }] : [],
    },
  ];
  for (const b of upstreamFirst(decl.blocks ?? [])) {
    const upstream = b.upstream ?? [];
    out.push({
      type: "mage:Block",
      name: `${prefix}/${b.name}`,
      // Upstream blocks by their declared names, however they were spelled (Mage compares uuids).
      args: { ...argsOf("mage:Block", b, rebase), ...parent, upstream: b.upstream && upstream.map(declaredName) },
      refs: [
        { path: ["pipeline"], resource: prefix, output: "name" },
        ...upstream.map((u, j) => ({
          path: ["upstream", j],
          resource: `${prefix}/${declaredName(u)}`,
          output: "name" as const,
        })),
      ],
    });
  }
  for (const s of decl.schedules ?? []) {
    out.push({
      type: "mage:Schedule",
      name: `${prefix}/${s.name}`,
      args: { ...argsOf("mage:Schedule", s), ...parent },
      refs: [{ path: ["pipeline"], resource: prefix, output: "name" }],
    });
  }
  return out;
}

function felderaResource(decl: FelderaPipeline, dir: string, root: string): DeclaredResource {
  return {
    type: "feldera:Pipeline",
    name: `${decl.target}/${decl.name}`,
    args: argsOf("feldera:Pipeline", decl, (file) => path.relative(root, path.resolve(dir, file))),
    refs: [],
  };
}

/** In dependency order: a pipeline whose entry takes another's results comes after it. */
function ionworksResources(decls: IonworksPipeline[]): DeclaredResource[] {
  const key = (target: string, name: string) => `${target}/${name}`;
  const byKey = new Map(decls.map((d) => [key(d.target, d.name), d]));
  const out: DeclaredResource[] = [];
  const done = new Set<string>();
  const visit = (decl: IonworksPipeline) => {
    const k = key(decl.target, decl.name);
    if (done.has(k)) return;
    done.add(k);
    const refs: DeclaredResource["refs"] = [];
    // An entry that takes another pipeline's results gets that run's id, once it exists.
    const blocks = decl.blocks.map((b, i) => {
      if (b.fromPipeline === undefined) return { name: b.name, type: b.type, config: b.config };
      visit(byKey.get(key(decl.target, b.fromPipeline))!);
      refs.push({
        path: ["blocks", i, "config", "pipelineId"],
        resource: key(decl.target, b.fromPipeline),
        output: "id",
      });
      return { name: b.name, type: b.type, config: { ...b.config, pipelineId: undefined } };
    });
    out.push({ type: "ionworks:Pipeline", name: k, args: { ...argsOf("ionworks:Pipeline", decl), blocks }, refs });
  };
  decls.forEach(visit);
  return out;
}

/** Blocks ordered so each comes after its upstream blocks (the loader has refused cycles). */
export function upstreamFirst(blocks: MageBlock[]): MageBlock[] {
  const byUuid = new Map(blocks.map((b) => [blockUuid(b.name), b]));
  const done = new Set<string>();
  const out: MageBlock[] = [];
  const visit = (b: MageBlock) => {
    const id = blockUuid(b.name);
    if (done.has(id)) return;
    done.add(id);
    for (const u of b.upstream ?? []) {
      const dep = byUuid.get(blockUuid(u));
      if (dep) visit(dep);
    }
    out.push(b);
  };
  blocks.forEach(visit);
  return out;
}

/** Sets a nested value (the place of a reference) in `args`, in place. */
export function setValueAt(args: Record<string, unknown>, at: (string | number)[], value: unknown): void {
  type Container = Record<string | number, unknown>;
  let cur = args as Container;
  for (const part of at.slice(0, -1)) cur = cur[part] as Container;
  cur[at[at.length - 1]] = value;
}
