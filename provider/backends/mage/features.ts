// What a declaration may use that not every supported Mage has. The server's version is read once per server
// (GET /api/projects: ProjectPresenter's `version`, mage_ai/api/presenters/ProjectPresenter.py, present in every
// supported version; /api/status has none), and a declared feature the server lacks is refused before any write,
// naming the field, the feature and the first version that has it.
import type { MageClient } from "./client";

export interface Feature {
  /** The declaration field that uses it, as errors name it. */
  field: string;
  /** What it is, in a user's words. */
  feature: string;
  /** The first mage-ai release that has it. */
  since: string;
  /** The value of its field in a declaration (the resource's inputs); set (not empty) means the feature is used. */
  value(inputs: Record<string, unknown>): unknown;
}

/** -1, 0 or 1 as `a` is older than, the same as or newer than `b` (dotted numbers). */
export function compareVersions(a: string, b: string): number {
  const [x, y] = [a.split(".").map(Number), b.split(".").map(Number)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d) return Math.sign(d);
  }
  return 0;
}

const versions = new Map<string, Promise<string | undefined>>();

/** The server's mage-ai version, read once per server; undefined when it cannot be read (nothing is then refused). */
export function serverVersion(client: MageClient): Promise<string | undefined> {
  let v = versions.get(client.url);
  if (!v) {
    v = client
      .call<{ projects?: { version?: string }[] }>("GET", "/api/projects")
      .then((r) => r.projects?.[0]?.version)
      .catch(() => undefined);
    versions.set(client.url, v);
  }
  return v;
}

/** Whether a declaration uses a feature: its field is set to something other than nothing, "" or {}. */
export function usesFeature(f: Feature, inputs: Record<string, unknown>): boolean {
  const v = f.value(inputs);
  return v !== undefined && v !== null && v !== "" && !(typeof v === "object" && Object.keys(v).length === 0);
}

/** What `inputs` use that Mage `version` lacks, as (field, message). */
export function missingFeatures(
  features: readonly Feature[],
  inputs: Record<string, unknown>,
  version: string,
  url: string,
): { field: string; message: string }[] {
  return features
    .filter((f) => compareVersions(version, f.since) < 0 && usesFeature(f, inputs))
    .map((f) => ({
      field: f.field,
      message: `${f.feature} needs Mage ${f.since} or newer; ${url} runs ${version}`,
    }));
}

/**
 * By kind, what older supported Mages lack; each found by the version lane and read in Mage's source at the
 * versions either side.
 */
export const MAGE_FEATURES: Record<"Pipeline" | "Block" | "Schedule", readonly Feature[]> = {
  Pipeline: [
    {
      // Pipeline.update writes concurrency_config from 0.9.71 (mage_ai/data_preparation/models/pipeline.py);
      // 0.9.70 answers 200 and keeps {}.
      field: "concurrencyConfig",
      feature: "a pipeline's concurrency settings",
      since: "0.9.71",
      value: (d) => d.concurrencyConfig,
    },
  ],
  Block: [
    {
      // GlobalDataProductResource.member reads the `project` query from 0.9.71; 0.9.70 looks in its own project only.
      field: "configuration.global_data_product.project",
      feature: "a global data product of another project",
      since: "0.9.71",
      value: (d) =>
        (d.configuration as { global_data_product?: { project?: unknown } } | undefined)?.global_data_product?.project,
    },
  ],
  Schedule: [
    {
      // PipelineScheduleResource.update takes rotate_token from 0.9.76 (mage_ai/api/resources/PipelineScheduleResource.py);
      // before, the key is ignored and the token stays.
      field: "rotateToken",
      feature: "rotating an api trigger's token",
      since: "0.9.76",
      value: (d) => d.rotateToken,
    },
  ],
};
