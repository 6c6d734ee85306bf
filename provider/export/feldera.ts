// Live Feldera pipelines → declarations. The program is split back into SQL
// blocks (at its block headers when this provider wrote it, else at statement
// boundaries) and written as .sql files; runtime and program config keep only
// what differs from the server's defaults. Reading the result back gives the
// live pipeline exactly, so adopting it writes nothing.

import type { PipelineInfo } from "../backends/feldera/api";
import { felderaAsDeclared } from "../backends/feldera/pipeline";
import type { FelderaPipeline } from "../declarations/types";
import { compact, type ExportedFile, fileStem, nonEmpty, type Skipped, stemmer } from "./files";

const DESIRED: Record<string, FelderaPipeline["desiredState"]> = {
  Running: undefined,
  Paused: "paused",
  Stopped: "stopped",
};

/** Whether a pipeline can be declared: its wanted state must be one the provider keeps. */
export function felderaExportable(remote: PipelineInfo): Skipped | undefined {
  if (!(remote.deployment_desired_status in DESIRED)) {
    return {
      what: `Feldera pipeline '${remote.name}'`,
      why: `it is meant to be ${remote.deployment_desired_status}; a declaration keeps a pipeline running, paused or stopped`,
    };
  }
  return undefined;
}

/**
 * One pipeline (`remote` is GET /v0/pipelines/{name}, selector all). SQL goes
 * to sql/<pipeline>/<block>.sql and UDFs to udf/<pipeline>/, each referenced
 * from pipelines/<pipeline>.yaml.
 */
export function exportFelderaPipeline(
  remote: PipelineInfo,
  target: string,
): { declaration: FelderaPipeline; files: ExportedFile[] } {
  const dir = fileStem(remote.name);
  const stem = stemmer();
  const files: ExportedFile[] = [];
  const spec = felderaAsDeclared(remote);
  const blocks = spec.blocks.map((b) => {
    const file = `sql/${dir}/${stem(b.name)}.sql`;
    files.push({ path: file, content: b.sql });
    return { name: b.name, sqlFile: `../${file}` };
  });
  const udf = (content: string | undefined, file: string) => {
    if (!content) return undefined;
    files.push({ path: `udf/${dir}/${file}`, content });
    return `../udf/${dir}/${file}`;
  };
  const declaration = compact<FelderaPipeline>({
    engine: "feldera",
    target,
    name: remote.name,
    adopt: true,
    description: spec.description || undefined,
    desiredState: DESIRED[remote.deployment_desired_status],
    tags: spec.tags.length ? spec.tags : undefined,
    runtimeConfig: nonEmpty(spec.runtimeConfig),
    programConfig: nonEmpty(spec.programConfig),
    udfRustFile: udf(spec.udfRust, "udf.rs"),
    udfTomlFile: udf(spec.udfToml, "udf.toml"),
    blocks,
  });
  return { declaration, files };
}
