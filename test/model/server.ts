// What the real Mage holds for a model project, read through Mage's own API
// (never through the provider), in the model's terms; and the model's
// expectation in the same shape, so a test compares the two whole.
import type { MageClient } from "../../provider/backends/mage/client";
import { blockUuid, pipelineUuid } from "../../provider/declarations/mageNames";
import type { Project } from "./project";

export interface ObservedBlock {
  uuid: string;
  type: string;
  language: string;
  content: string;
  upstream: string[];
  configuration: Record<string, unknown>;
}

export interface ObservedTrigger {
  name: string;
  type: string;
  interval: string | null;
  startTime: string | null;
  status: string;
  variables: Record<string, unknown>;
  settings: Record<string, unknown>;
  tags: string[];
}

export interface ObservedPipeline {
  uuid: string;
  name: string;
  type: string;
  description: string;
  tags: string[];
  variables: Record<string, unknown>;
  blocks: ObservedBlock[];
  triggers: ObservedTrigger[];
}

const byUuid = (a: { uuid: string }, b: { uuid: string }) => a.uuid.localeCompare(b.uuid);
const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

/** Mage stores start times naive ("2031-01-01 06:00:00"), in UTC. */
function utc(time: string | null | undefined): string | null {
  if (!time) return null;
  return new Date(`${time.replace(" ", "T").replace(/Z?$/, "Z")}`).toISOString().replace(".000Z", "Z");
}

/** Every pipeline of this project's prefix on the server, with its blocks and triggers. */
export async function observe(client: MageClient, prefix: string): Promise<ObservedPipeline[]> {
  const list = await client.call<any>("GET", "/api/pipelines", { query: { _limit: "100000" } });
  const ours = (list.pipelines ?? []).filter((p: any) => String(p.name).startsWith(`${prefix} `));
  const out: ObservedPipeline[] = [];
  for (const row of ours) {
    const detail = (
      await client.call<any>("GET", `/api/pipelines/${row.uuid}`, {
        query: { includes_content: "true", includes_outputs: "false" },
      })
    ).pipeline;
    const all = [
      ...(detail.blocks ?? []),
      ...(detail.callbacks ?? []),
      ...(detail.conditionals ?? []),
      ...Object.values<any>(detail.extensions ?? {}).flatMap((e) => e.blocks ?? []),
    ];
    const triggers = (
      await client.call<any>("GET", `/api/pipelines/${row.uuid}/pipeline_schedules`, { query: { _limit: "1000" } })
    ).pipeline_schedules;
    out.push({
      uuid: detail.uuid,
      name: detail.name,
      type: detail.type,
      description: detail.description ?? "",
      tags: [...(detail.tags ?? [])].sort(),
      variables: detail.variables ?? {},
      blocks: all
        .map((b: any) => ({
          uuid: b.uuid,
          type: b.type,
          language: b.language,
          content: b.content ?? "",
          upstream: [...(b.upstream_blocks ?? [])].sort(),
          configuration: b.configuration ?? {},
        }))
        .sort(byUuid),
      triggers: triggers
        .map((t: any) => ({
          name: t.name,
          type: t.schedule_type,
          interval: t.schedule_interval ?? null,
          startTime: utc(t.start_time),
          status: t.status,
          variables: t.variables ?? {},
          settings: t.settings ?? {},
          tags: [...(t.tags ?? [])].sort(),
        }))
        .sort(byName),
    });
  }
  return out.sort(byUuid);
}

/** The same shape, as the model declares it (plus what was made outside the stack, which must stay). */
export function expected(project: Project, outOfBand: { block: ObservedBlock; trigger: ObservedTrigger }) {
  return project.pipelines
    .map((p) => {
      const keyToUuid = new Map(p.blocks.map((b) => [b.key, blockUuid(b.name)]));
      const blocks: ObservedBlock[] = p.blocks.map((b) => ({
        uuid: blockUuid(b.name),
        type: b.type,
        language: b.language,
        content: b.code,
        upstream: b.upstream.map((u) => keyToUuid.get(u)!).sort(),
        configuration: b.configuration,
      }));
      const triggers: ObservedTrigger[] = p.schedules.map((s) => ({
        name: s.name,
        type: s.type,
        interval: s.interval ?? null,
        startTime: s.startTime ? utc(s.startTime) : null,
        status: s.status,
        variables: s.variables,
        settings: s.settings,
        tags: [...s.tags].sort(),
      }));
      if (p.holdsOutOfBand) {
        blocks.push(outOfBand.block);
        triggers.push(outOfBand.trigger);
      }
      return {
        uuid: pipelineUuid(p.name),
        name: p.name,
        type: p.type ?? "python",
        description: p.description,
        tags: [...p.tags].sort(),
        variables: p.variables,
        blocks: blocks.sort(byUuid),
        triggers: triggers.sort(byName),
      };
    })
    .sort(byUuid);
}
