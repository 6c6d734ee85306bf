// What the real Mage holds for a model project, read through Mage's own API
// over plain HTTP (never through the provider), in the model's terms; and the
// model's expectation in the same shape, with uuids by Mage's own rule
// (./mage.ts), so a test compares the two whole.
import { mageBlockUuid as blockUuid, type MageHttp, mageCleanName as pipelineUuid } from "./mage";
import type { Project } from "./project";

export interface ObservedBlock {
  uuid: string;
  type: string;
  language: string;
  content: string;
  upstream: string[];
  configuration: Record<string, unknown>;
  retryConfig: Record<string, unknown> | null;
  timeout: number | null;
  executorType: string | null;
  color: string | null;
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
  eventMatchers: { name: string; event_type: string; pattern: Record<string, unknown> }[];
}

export interface ObservedPipeline {
  uuid: string;
  name: string;
  type: string;
  description: string;
  tags: string[];
  variables: Record<string, unknown>;
  retryConfig: Record<string, unknown>;
  concurrencyConfig: Record<string, unknown>;
  executorType: string | null;
  runPipelineInOneProcess: boolean;
  cacheBlockOutputInMemory: boolean;
  /** Mage writes `{triggers: null}` for no settings: the null keys are left out. */
  settings: Record<string, unknown>;
  blocks: ObservedBlock[];
  triggers: ObservedTrigger[];
}

const byUuid = (a: { uuid: string }, b: { uuid: string }) => a.uuid.localeCompare(b.uuid);
const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

/** Mage stores start times naive ("2031-01-01 06:00:00"), in UTC. */
function utc(time: string | null | undefined): string | null {
  if (!time) return null;
  // Naive UTC from SQLite ("2031-01-01 06:00:00"); with its offset from PostgreSQL ("… 06:00:00+00:00").
  const iso = time.replace(" ", "T");
  return new Date(/(Z|[+-]\d{2}:?\d{2})$/.test(iso) ? iso : `${iso}Z`).toISOString().replace(".000Z", "Z");
}

/** Every pipeline of this project's prefix on the server, with its blocks and triggers. */
export async function observe(client: MageHttp, prefix: string): Promise<ObservedPipeline[]> {
  const list = await client.get("/api/pipelines", { _limit: "100000" });
  const ours = (list.pipelines ?? []).filter((p: any) => String(p.name).startsWith(`${prefix} `));
  const out: ObservedPipeline[] = [];
  for (const row of ours) {
    const detail = (
      await client.get(`/api/pipelines/${encodeURIComponent(row.uuid)}`, {
        includes_content: "true",
        includes_outputs: "false",
      })
    ).pipeline;
    const all = [
      ...(detail.blocks ?? []),
      ...(detail.callbacks ?? []),
      ...(detail.conditionals ?? []),
      ...Object.values<any>(detail.extensions ?? {}).flatMap((e) => e.blocks ?? []),
    ];
    const triggers = (
      await client.get(`/api/pipelines/${encodeURIComponent(row.uuid)}/pipeline_schedules`, { _limit: "1000" })
    ).pipeline_schedules;
    out.push({
      uuid: detail.uuid,
      name: detail.name,
      type: detail.type,
      description: detail.description ?? "",
      tags: [...(detail.tags ?? [])].sort(),
      variables: detail.variables ?? {},
      retryConfig: detail.retry_config ?? {},
      concurrencyConfig: detail.concurrency_config ?? {},
      executorType: detail.executor_type ?? null,
      runPipelineInOneProcess: detail.run_pipeline_in_one_process ?? false,
      cacheBlockOutputInMemory: detail.cache_block_output_in_memory ?? false,
      settings: Object.fromEntries(Object.entries(detail.settings ?? {}).filter(([, v]) => v !== null)),
      blocks: all
        .map((b: any) => ({
          uuid: b.uuid,
          type: b.type,
          language: b.language,
          content: b.content ?? "",
          upstream: [...(b.upstream_blocks ?? [])].sort(),
          configuration: b.configuration ?? {},
          retryConfig: b.retry_config ?? null,
          timeout: b.timeout ?? null,
          executorType: b.executor_type ?? null,
          color: b.color ?? null,
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
          eventMatchers: (t.event_matchers ?? [])
            .map((m: any) => ({ name: m.name, event_type: m.event_type, pattern: m.pattern }))
            .sort(byName),
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
        // Mage's defaults: no retry config, no timeout, the local executor, no color.
        retryConfig: b.settings?.retryConfig ?? null,
        timeout: b.settings?.timeout ?? null,
        executorType: b.settings?.executorType ?? "local_python",
        color: b.settings?.color ?? null,
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
        eventMatchers: (s.eventMatchers ?? [])
          .map((m) => ({ name: m.name, event_type: "aws_event", pattern: m.pattern }))
          .sort(byName),
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
        retryConfig: p.runSettings?.retryConfig ?? {},
        concurrencyConfig: p.runSettings?.concurrencyConfig ?? {},
        executorType: p.runSettings?.executorType ?? null,
        runPipelineInOneProcess: p.runSettings?.runPipelineInOneProcess ?? false,
        cacheBlockOutputInMemory: p.runSettings?.cacheBlockOutputInMemory ?? false,
        settings: p.runSettings?.settings ?? {},
        blocks: blocks.sort(byUuid),
        triggers: triggers.sort(byName),
      };
    })
    .sort(byUuid);
}
