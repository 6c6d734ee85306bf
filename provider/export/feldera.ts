// Live Feldera pipelines → declarations. The program is split back into SQL
// blocks (at its block headers when this provider wrote it, else at statement
// boundaries) and written as .sql files; runtime and program config keep only
// what differs from the server's defaults. Reading the result back gives the
// live pipeline exactly, so adopting it writes nothing.

import { overDefaults, PROGRAM_DEFAULTS, RUNTIME_DEFAULTS } from "../backends/feldera/config";
import { splitProgram } from "../backends/feldera/program";
import type { FelderaPipeline } from "../spec/types";
import { compact, type ExportedFile, fileStem, nonEmpty, type Skipped, stemmer } from "./files";

const DESIRED: Record<string, FelderaPipeline["desiredState"]> = {
  Running: undefined,
  Paused: "paused",
  Stopped: "stopped",
};

/** Whether a pipeline can be declared: its wanted state must be one the provider keeps. */
export function felderaExportable(remote: any): Skipped | undefined {
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
  remote: any,
  target: string,
): { declaration: FelderaPipeline; files: ExportedFile[] } {
  const dir = fileStem(remote.name);
  const stem = stemmer();
  const files: ExportedFile[] = [];
  const blocks = splitProgram(remote.program_code ?? "").map((b) => {
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
    description: remote.description || undefined,
    desiredState: DESIRED[remote.deployment_desired_status],
    runtimeConfig: nonEmpty(overDefaults(remote.runtime_config, RUNTIME_DEFAULTS)),
    programConfig: nonEmpty(overDefaults(remote.program_config, PROGRAM_DEFAULTS)),
    udfRustFile: udf(remote.udf_rust, "udf.rs"),
    udfTomlFile: udf(remote.udf_toml, "udf.toml"),
    blocks,
  });
  return { declaration, files };
}
