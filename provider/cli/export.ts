// pulumi-pipelines export --target <name> [--engine mage] [--pipeline <name>…] --out <dir>
// Reads the live server and writes declarations (pipelines/*.yaml) and code
// files for a GitOps repository, each marked `adopt: true`. Connection
// settings come from the engine's environment variables (MAGE_URL, …); the
// target name is what the declarations call the server. Credentials are read,
// never written.
import { mageClient } from "../backends/mage/client";
import { pipelineDetail } from "../backends/mage/pipeline";
import { listSchedules } from "../backends/mage/schedule";
import { exportMagePipeline, mageExportable } from "../export/mage";
import { declarationFile, ExportedFile, fileStem, Skipped, writeFiles } from "../export/files";
import { Engine, mageTarget } from "../resources/config";
import { formatError } from "../spec/errors";
import { loadPaths } from "../spec/loader";
import * as path from "node:path";

const ENGINES: Engine[] = ["mage"];

interface ExportArgs {
  target: string;
  engine: Engine;
  pipelines: string[];
  out: string;
}

export function parseExportArgs(args: string[]): ExportArgs {
  let target: string | undefined;
  let engine: string | undefined;
  let out: string | undefined;
  const pipelines: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new Error(`${args[i - 1]} needs a value`);
      return v;
    };
    if (args[i] === "--target") target = value();
    else if (args[i] === "--engine") engine = value();
    else if (args[i] === "--pipeline") pipelines.push(value());
    else if (args[i] === "--out") out = value();
    else throw new Error(`unknown option '${args[i]}'`);
  }
  if (!target) throw new Error("--target <name> is required (the name the declarations give the server)");
  if (!out) throw new Error("--out <dir> is required");
  engine ??= target;
  if (!(ENGINES as string[]).includes(engine)) throw new Error(`--engine: export supports ${ENGINES.join(", ")}; '${engine}' is not one of them`);
  return { target, engine: engine as Engine, pipelines, out };
}

export async function exportCommand(args: string[], out: { write(s: string): unknown }, err: { write(s: string): unknown }): Promise<number> {
  let parsed: ExportArgs;
  try {
    parsed = parseExportArgs(args);
  } catch (e) {
    err.write(`export: ${(e as Error).message}\n`);
    return 2;
  }
  const { files, skipped, count } = await exportMage(parsed);
  writeFiles(parsed.out, files);
  for (const s of skipped) err.write(`skipped ${s.what}: ${s.why}\n`);
  // What was written must load as it will in the program: a failure here is a bug in export.
  const check = loadPaths([path.join(parsed.out, "pipelines")]);
  if (check.errors.length) {
    for (const e of check.errors) err.write(`${formatError(e)}\n`);
    err.write("export wrote declarations that do not validate (a bug in export; please report it)\n");
    return 1;
  }
  out.write(`${count} pipeline${count === 1 ? "" : "s"} exported to ${parsed.out} (${files.length} files)\n`);
  return 0;
}

async function exportMage(args: ExportArgs): Promise<{ files: ExportedFile[]; skipped: Skipped[]; count: number }> {
  // The connection is the engine's (environment); `target` only names it in the declarations.
  const client = mageClient(mageTarget(args.engine));
  const list = (await client.call("GET", "/api/pipelines", { query: { _limit: "100000" } })).pipelines ?? [];
  const is = (p: any, w: string) => w === p.name || w === p.uuid;
  const wanted = (p: any) => !args.pipelines.length || args.pipelines.some((w) => is(p, w));
  const missing = args.pipelines.filter((w) => !list.some((p: any) => is(p, w)));
  if (missing.length) throw new Error(`no pipeline ${missing.map((m) => `'${m}'`).join(", ")} on ${client.url}`);
  const files: ExportedFile[] = [];
  const skipped: Skipped[] = [];
  let count = 0;
  for (const p of [...list].filter(wanted).sort((a, b) => String(a.uuid).localeCompare(String(b.uuid)))) {
    const detail = await pipelineDetail(client, p.uuid);
    if (!detail) continue; // deleted since the list was read
    const unfit = mageExportable(detail);
    if (unfit) {
      skipped.push(unfit);
      continue;
    }
    const exported = exportMagePipeline(detail, await listSchedules(client, p.uuid), args.target);
    files.push(declarationFile(fileStem(detail.uuid), exported.declaration, `Mage server (pipeline '${detail.uuid}')`), ...exported.files);
    skipped.push(...exported.skipped);
    count++;
  }
  return { files, skipped, count };
}
