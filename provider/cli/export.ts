// pulumi-pipelines export --target <name> [--engine mage|feldera|ionworks]
//   [--stack <stack> [--config-file <file>]] [--pipeline <name>…] --out <dir>
// Reads the live server and writes declarations (pipelines/*.yaml) and code
// or SQL files for a GitOps repository, each marked `adopt: true`. The
// connection is the target's in the stack's config with --stack, else the
// engine's environment variables (MAGE_URL, FELDERA_HOST, IONWORKS_API_KEY,
// …); the target name is what the declarations call the server. Credentials
// are read, never written.

import * as path from "node:path";
import { felderaClient } from "../backends/feldera/client";
import { listPipelines as listFelderaPipelines } from "../backends/feldera/pipeline";
import { ionworksClient } from "../backends/ionworks/client";
import { listRuns, runElements } from "../backends/ionworks/pipeline";
import { mageClient } from "../backends/mage/client";
import { listPipelines, pipelineDetail } from "../backends/mage/pipeline";
import { listSchedules } from "../backends/mage/schedule";
import { formatError } from "../declarations/errors";
import { loadPaths } from "../declarations/loader";
import { exportSecretValues } from "../declarations/secrets";
import type { PipelineDeclaration } from "../declarations/types";
import { exportFelderaPipeline, felderaExportable } from "../export/feldera";
import { declarationFile, type ExportedFile, fileStem, type Skipped, stemmer, writeFiles } from "../export/files";
import { exportIonworksRun, runsToDeclare } from "../export/ionworks";
import { exportMagePipeline, mageExportable } from "../export/mage";
import { referenceSecrets } from "../export/secrets";
import {
  type Engine,
  felderaTarget,
  ionworksTarget,
  mageTarget,
  namedTargetEngine,
  type TargetSource,
} from "../resources/config";
import { EXIT, type Parsed, parseCommand, strictParse, UsageError, usageError } from "./args";
import { readStackConfig, readStateSecretNames } from "./stackConfig";

const ENGINES: Engine[] = ["mage", "feldera", "ionworks"];

interface ExportArgs {
  target: string;
  /** Undefined until the target's settings are known (a named target says its engine). */
  engine?: Engine;
  stack?: string;
  configFile?: string;
  pipelines: string[];
  out: string;
}

/** The settings export connects with: the named target of the stack's config, or the engine's environment. */
function connection(args: ExportArgs): string {
  return args.stack ? args.target : args.engine!;
}

export const EXPORT = {
  name: "export",
  usage: `export --target <name> [--engine mage|feldera|ionworks] [--stack <stack> [--config-file <file>]]
         [--pipeline <name>…] --out <dir>
                 write the live server's pipelines as declarations (adopt: true) and code files;
                 the connection comes from the stack's config (pipelines:targets.<name>) with --stack,
                 else from the engine's environment (MAGE_URL…, FELDERA_HOST…, IONWORKS_API_KEY…)`,
  options: {
    target: { type: "string" },
    engine: { type: "string" },
    stack: { type: "string" },
    "config-file": { type: "string" },
    pipeline: { type: "string", multiple: true, default: [] as string[] },
    out: { type: "string" },
  },
  positionals: 0,
} as const;

/** The arguments of `export`; throws a UsageError saying what is wrong with them. */
export function parseExportArgs(args: string[]): ExportArgs {
  return exportArgs(strictParse(EXPORT, args).values);
}

function exportArgs(values: Parsed<typeof EXPORT.options>["values"]): ExportArgs {
  const { target, engine, stack, out, pipeline: pipelines } = values;
  const configFile = values["config-file"];
  if (!target) throw new UsageError("--target <name> is required (the name the declarations give the server)");
  if (!out) throw new UsageError("--out <dir> is required");
  if (configFile && !stack) throw new UsageError("--config-file needs --stack");
  const parsed = { target, engine: engine as Engine | undefined, stack, configFile, pipelines, out };
  // With --stack, a named target may say its engine: settled once its config is read.
  return stack && !engine ? parsed : settleEngine(parsed);
}

/** The engine: --engine, else the one the named target in stack config says, else the target's name. */
function settleEngine(args: ExportArgs, targets: TargetSource = {}): ExportArgs {
  const engine = args.engine ?? namedTargetEngine(targets, args.target) ?? args.target;
  if (args.stack && !(ENGINES as string[]).includes(engine)) {
    throw new Error(
      `stack '${args.stack}' has no target '${args.target}' with an engine (pipelines:targets.${args.target}: engine, url, credentials); or give --engine`,
    );
  }
  if (!(ENGINES as string[]).includes(engine))
    throw new UsageError(`--engine: export supports ${ENGINES.join(", ")}; '${engine}' is not one of them`);
  return { ...args, engine: engine as Engine };
}

export async function exportCommand(
  args: string[],
  out: { write(s: string): unknown },
  err: { write(s: string): unknown },
): Promise<number> {
  const given = parseCommand(EXPORT, args, out, err);
  if (typeof given === "number") return given;
  let parsed: ExportArgs;
  try {
    parsed = exportArgs(given.values);
  } catch (e) {
    if (e instanceof UsageError) return usageError(EXPORT, e.message, err);
    throw e;
  }
  // The stack's config, decrypted by the Pulumi CLI, lives in this call only.
  const targets: TargetSource = parsed.stack ? { config: await readStackConfig(parsed.stack, parsed.configFile) } : {};
  if (parsed.stack) {
    try {
      parsed = settleEngine(parsed, targets);
    } catch (e) {
      if (e instanceof UsageError) return usageError(EXPORT, e.message, err);
      throw e;
    }
  }
  const secretWarnings: string[] = [];
  const secrets = parsed.stack
    ? exportSecretValues(targets, await readStateSecretNames(parsed.stack), secretWarnings)
    : new Map<string, string>();
  const exported = await EXPORTERS[parsed.engine!](parsed, targets, secrets);
  const { files, skipped, count } = exported;
  const warnings = [...secretWarnings, ...exported.warnings];
  writeFiles(parsed.out, files);
  for (const s of skipped) err.write(`skipped ${s.what}: ${s.why}\n`);
  for (const w of warnings) err.write(`warning: ${w}\n`);
  // What was written must load as it will in the program: a failure here is a bug in export.
  const check = count ? loadPaths([path.join(parsed.out, "pipelines")]) : { errors: [] };
  if (check.errors.length) {
    for (const e of check.errors) err.write(`${formatError(e)}\n`);
    err.write("export wrote declarations that do not validate (a bug in export; please report it)\n");
    return EXIT.failed;
  }
  out.write(`${count} pipeline${count === 1 ? "" : "s"} exported to ${parsed.out} (${files.length} files)\n`);
  return EXIT.ok;
}

interface Exported {
  files: ExportedFile[];
  skipped: Skipped[];
  count: number;
  warnings: string[];
}

/** A declaration and its files, with the stack's secret values written as references. */
function declared(
  stem: string,
  exported: { declaration: PipelineDeclaration; files: ExportedFile[] },
  note: string,
  secrets: ReadonlyMap<string, string>,
  warnings: string[],
): ExportedFile[] {
  const mapped = referenceSecrets(exported.declaration, exported.files, secrets, `pipelines/${stem}.yaml`);
  warnings.push(...mapped.warnings);
  return [declarationFile(stem, mapped.declaration, note), ...mapped.files];
}

type Exporter = (args: ExportArgs, targets: TargetSource, secrets: ReadonlyMap<string, string>) => Promise<Exported>;

const EXPORTERS: Record<Engine, Exporter> = {
  mage: exportMage,
  feldera: exportFeldera,
  ionworks: exportIonworks,
};

/** The listed objects --pipeline asks for (by name or id), or all; an unknown one is an error before anything is read. */
function selected<T>(list: T[], args: ExportArgs, keys: (item: T) => unknown[], server: string): T[] {
  const is = (item: T, w: string) => keys(item).includes(w);
  const missing = args.pipelines.filter((w) => !list.some((item) => is(item, w)));
  if (missing.length) throw new Error(`no pipeline ${missing.map((m) => `'${m}'`).join(", ")} on ${server}`);
  return list.filter((item) => !args.pipelines.length || args.pipelines.some((w) => is(item, w)));
}

async function exportMage(
  args: ExportArgs,
  targets: TargetSource,
  secrets: ReadonlyMap<string, string>,
): Promise<Exported> {
  // The connection is the engine's (environment); `target` only names it in the declarations.
  const client = mageClient(mageTarget(targets, connection(args)));
  const list = await listPipelines(client);
  const files: ExportedFile[] = [];
  const skipped: Skipped[] = [];
  const warnings: string[] = [];
  let count = 0;
  for (const p of selected(list, args, (p) => [p.name, p.uuid], client.url).sort((a, b) =>
    String(a.uuid).localeCompare(String(b.uuid)),
  )) {
    const detail = await pipelineDetail(client, p.uuid);
    if (!detail) continue; // deleted since the list was read
    const unfit = mageExportable(detail);
    if (unfit) {
      skipped.push(unfit);
      continue;
    }
    const exported = exportMagePipeline(detail, await listSchedules(client, p.uuid), args.target);
    files.push(
      ...declared(fileStem(detail.uuid), exported, `Mage server (pipeline '${detail.uuid}')`, secrets, warnings),
    );
    skipped.push(...exported.skipped);
    count++;
  }
  return { files, skipped, count, warnings };
}

async function exportFeldera(
  args: ExportArgs,
  targets: TargetSource,
  secrets: ReadonlyMap<string, string>,
): Promise<Exported> {
  const client = felderaClient(felderaTarget(targets, connection(args)));
  // One list call carries every pipeline's program and config (selector all).
  const list = await listFelderaPipelines(client);
  const files: ExportedFile[] = [];
  const skipped: Skipped[] = [];
  const stem = stemmer();
  const warnings: string[] = [];
  let count = 0;
  for (const p of selected(list, args, (p) => [p.name], client.url).sort((a, b) =>
    String(a.name).localeCompare(String(b.name)),
  )) {
    const unfit = felderaExportable(p);
    if (unfit) {
      skipped.push(unfit);
      continue;
    }
    const exported = exportFelderaPipeline(p, args.target);
    files.push(...declared(stem(p.name), exported, `Feldera server (pipeline '${p.name}')`, secrets, warnings));
    count++;
  }
  return { files, skipped, count, warnings };
}

async function exportIonworks(
  args: ExportArgs,
  targets: TargetSource,
  secrets: ReadonlyMap<string, string>,
): Promise<Exported> {
  const target = ionworksTarget(targets, connection(args));
  if (!target.project) throw new Error("set IONWORKS_PROJECT_ID: export reads the runs of one project");
  const client = ionworksClient(target);
  const { chosen, skipped } = runsToDeclare(await listRuns(client, target.project));
  const runs = selected(chosen, args, (r) => [r.name, r.id], `${client.url} (project ${target.project})`);
  const byId = new Map<string, string>(runs.map((r) => [r.id, r.name]));
  const files: ExportedFile[] = [];
  const stem = stemmer();
  const warnings: string[] = [];
  for (const run of [...runs].sort((a, b) => String(a.name).localeCompare(String(b.name)))) {
    const elements = await runElements(client, run.id);
    const declaration = exportIonworksRun({ run, elements }, args.target, byId);
    const note = `Ionworks project ${target.project} (run ${run.id})`;
    files.push(...declared(stem(run.name), { declaration, files: [] }, note, secrets, warnings));
  }
  return { files, skipped: args.pipelines.length ? [] : skipped, count: files.length, warnings };
}
