// Live Mage pipelines → declarations: what `export` writes. Pure mapping from
// Mage's own answers (pipeline detail with content, the pipeline's triggers)
// to the YAML format, with every default left out, so that the declaration
// normalises to exactly what refresh reads back (nothing to update on adopt).

import type { BlockInfo, PipelineInfo, ScheduleInfo } from "../backends/mage/api";
import { allBlocksOf, blockFromRemote } from "../backends/mage/block";
import { blockFilePath, blockUuid, pipelineUuid } from "../backends/mage/names";
import { pipelineFromRemote } from "../backends/mage/pipeline";
import { scheduleFromRemote } from "../backends/mage/schedule";
import { normalizeTime } from "../backends/mage/time";
import type { MageBlock, MagePipeline, MageSchedule } from "../declarations/types";
import { compact, type ExportedFile, nonEmpty, type Skipped } from "./files";

export interface MageExport {
  declaration: MagePipeline;
  files: ExportedFile[];
  skipped: Skipped[];
}

/**
 * One pipeline. `detail` is GET /api/pipelines/{uuid}?includes_content=true,
 * `triggers` its /pipeline_schedules rows. Code files go to
 * blocks/<pipeline uuid>/<Mage's own relative path>, referenced from
 * pipelines/<pipeline uuid>.yaml.
 */
export function exportMagePipeline(detail: PipelineInfo, triggers: ScheduleInfo[], target: string): MageExport {
  const skipped: Skipped[] = [];
  const files: ExportedFile[] = [];
  const blocks: MageBlock[] = [];
  // An integration pipeline's blocks live in its data_integration settings and catalog: not declared.
  const integration = detail.type === "integration";
  if (integration && allBlocksOf(detail).length)
    skipped.push({
      what: `the blocks of integration pipeline '${detail.uuid}'`,
      why: "their source, destination and streams live in Mage's data_integration settings, which are not declared",
    });
  for (const b of integration ? [] : upstreamFirst(allBlocksOf(detail))) {
    // The provider finds a block by the uuid its name gives; a block renamed in the UI keeps its old uuid.
    const name = blockUuid(b.name ?? "") === b.uuid ? b.name : b.uuid;
    const language = b.language ?? "python";
    const file = `blocks/${detail.uuid}/${blockFilePath(b.type, b.uuid, language)}`;
    // A global_data_product block has no code: Mage runs the product its configuration names.
    const code = b.type !== "global_data_product";
    if (code) files.push({ path: file, content: b.content ?? "" });
    blocks.push(
      compact<MageBlock>({
        name,
        type: b.type,
        language: language === "python" ? undefined : language,
        codeFile: code ? `../${file}` : undefined,
        upstream: nonEmpty(b.upstream_blocks),
        // What Mage fills in itself (a dbt block's file) is left out, as the provider compares it.
        configuration: nonEmpty(blockFromRemote(detail.uuid, b).configuration),
        extensionUuid: b.extension_uuid,
        ...blockSettingsOf(b),
      }),
    );
  }

  const schedules: MageSchedule[] = [];
  const seen = new Set<string>();
  for (const t of [...triggers].sort((a, b) => a.id - b.id)) {
    if (seen.has(t.name)) {
      skipped.push({
        what: `trigger '${t.name}' (id ${t.id}) of pipeline '${detail.uuid}'`,
        why: "another trigger of this pipeline has the same name; a declaration names triggers uniquely",
      });
      continue;
    }
    seen.add(t.name);
    schedules.push(
      compact<MageSchedule>({
        name: t.name,
        type: t.schedule_type,
        interval: t.schedule_interval || undefined,
        startTime: t.start_time ? normalizeTime(t.start_time) : undefined,
        status: t.status === "active" ? "active" : undefined,
        description: t.description || undefined,
        variables: nonEmpty(t.variables),
        tags: nonEmpty(t.tags ? [...t.tags].sort() : undefined),
        sla: t.sla ?? undefined,
        settings: nonEmpty(t.settings),
        eventMatchers: nonEmpty(
          scheduleFromRemote(t).eventMatchers.map((m) =>
            compact({
              name: m.name,
              event_type: m.event_type === "aws_event" ? undefined : (m.event_type as "aws_event"),
              pattern: m.pattern,
            }),
          ),
        ),
      }),
    );
  }

  const declaration = compact<MagePipeline>({
    engine: "mage",
    target,
    name: detail.name,
    adopt: true,
    type: detail.type && detail.type !== "python" ? detail.type : undefined,
    description: detail.description || undefined,
    tags: nonEmpty(detail.tags ? [...new Set<string>(detail.tags)].sort() : undefined),
    variables: nonEmpty(detail.variables),
    // Run settings as the provider compares them: only what differs from Mage's defaults is written.
    ...runSettingsOf(detail),
    blocks: nonEmpty(blocks),
    schedules: nonEmpty(schedules),
  });
  return { declaration, files, skipped };
}

/** A block's settings where they differ from what Mage gives a block nobody configured. */
function blockSettingsOf(b: BlockInfo): Partial<MageBlock> {
  const live = blockFromRemote("", b);
  return {
    retryConfig: nonEmpty(live.retryConfig),
    timeout: live.timeout ?? undefined,
    executorType: live.executorType === "local_python" ? undefined : live.executorType,
    color: live.color ?? undefined,
  };
}

function runSettingsOf(detail: PipelineInfo): Partial<MagePipeline> {
  const live = pipelineFromRemote(detail);
  return {
    retryConfig: nonEmpty(live.retryConfig),
    concurrencyConfig: nonEmpty(live.concurrencyConfig) as MagePipeline["concurrencyConfig"],
    executorType: live.executorType ?? undefined,
    runPipelineInOneProcess: live.runPipelineInOneProcess || undefined,
    cacheBlockOutputInMemory: live.cacheBlockOutputInMemory || undefined,
    settings: nonEmpty(live.settings),
  };
}

/** Whether a pipeline can be declared at all: the provider derives the uuid from the name. */
export function mageExportable(detail: PipelineInfo): Skipped | undefined {
  if (pipelineUuid(detail.name ?? "") !== detail.uuid) {
    return {
      what: `pipeline '${detail.uuid}'`,
      why: `its name '${detail.name}' gives another uuid (${pipelineUuid(detail.name ?? "")}); rename it in Mage to match, then export again`,
    };
  }
  return undefined;
}

/** Mage's order, except that a block comes after the blocks it lists as upstream. */
function upstreamFirst(blocks: BlockInfo[]): BlockInfo[] {
  const byUuid = new Map(blocks.map((b) => [b.uuid, b]));
  const out: BlockInfo[] = [];
  const done = new Set<string>();
  const visit = (b: BlockInfo, path: Set<string>) => {
    if (done.has(b.uuid) || path.has(b.uuid)) return;
    path.add(b.uuid);
    for (const u of b.upstream_blocks ?? []) {
      const up = byUuid.get(u);
      if (up) visit(up, path);
    }
    done.add(b.uuid);
    out.push(b);
  };
  for (const b of blocks) visit(b, new Set());
  return out;
}
