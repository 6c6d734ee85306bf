// Declared Mage pipelines → mage.Pipeline, mage.Block, mage.Schedule.
// Resource names come from the declaration (target/pipeline[/block|schedule]),
// never from file paths: moving a file changes nothing on the server.
import * as path from "node:path";
import { blockUuid } from "../backends/mage/names";
import { Block, Pipeline, Schedule } from "../resources/mage";
import type { MageBlock, MagePipeline } from "../spec/types";

export interface MageResources {
  pipeline: Pipeline;
  blocks: Block[];
  schedules: Schedule[];
}

/** `dir` is the YAML file's folder; code files are handed on relative to the project directory `root`. */
export function deployMage(decl: MagePipeline, dir: string, root: string): MageResources {
  const prefix = `${decl.target}/${decl.name}`;
  const pipeline = new Pipeline(prefix, {
    target: decl.target,
    name: decl.name,
    type: decl.type,
    description: decl.description,
    tags: decl.tags,
    variables: decl.variables,
    adopt: decl.adopt,
  });
  const made = new Map<string, Block>();
  for (const b of upstreamFirst(decl.blocks ?? [])) {
    made.set(
      blockUuid(b.name),
      new Block(`${prefix}/${b.name}`, {
        target: decl.target,
        pipeline,
        name: b.name,
        type: b.type,
        language: b.language,
        ...(b.codeFile !== undefined ? { codeFile: path.relative(root, path.resolve(dir, b.codeFile)) } : { code: b.code }),
        upstream: b.upstream?.map((u) => made.get(blockUuid(u))!),
        configuration: b.configuration,
        extensionUuid: b.extensionUuid,
        adopt: decl.adopt,
      }),
    );
  }
  const schedules = (decl.schedules ?? []).map(
    (s) =>
      new Schedule(`${prefix}/${s.name}`, {
        target: decl.target,
        pipeline,
        name: s.name,
        type: s.type,
        interval: s.interval,
        startTime: s.startTime,
        status: s.status,
        description: s.description,
        variables: s.variables,
        tags: s.tags,
        sla: s.sla,
        settings: s.settings,
      }),
  );
  return { pipeline, blocks: [...made.values()], schedules };
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
