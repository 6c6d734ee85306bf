// The benchmark's Mage project as YAML declarations for the GitOps program
// (the repository's Pulumi.yaml, compiled JavaScript, no ts-node): the same
// pipelines, blocks, triggers and per-step changes as programs/scale/index.ts,
// so the two programs' runs compare step for step.
import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import type { MagePipeline } from "../../provider/declarations/types";
import { declaredResources } from "../../provider/program/declaredResources";
import { pulumiYamlTemplate } from "../../provider/program/template";

export interface ScaleChanges {
  touchOne: boolean;
  revise: number;
}

/** Writes one file per pipeline under `dir` (replacing what was there). */
export function writeMageDeclarations(dir: string, n: number, prefix: string, changes: ScaleChanges): void {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const pipeline of scalePipelines(n, prefix, changes))
    fs.writeFileSync(path.join(dir, `${pipeline.name}.yaml`), stringify({ pipelines: [pipeline] }));
}

/**
 * The same resources as a Pulumi YAML program on the provider plugin (the plugin's executable in `pluginDir`), in
 * `dir`'s Pulumi.yaml: each with the name and inputs the GitOps program gives it, so the two states are the same
 * and only the programs differ (the template is `compile`'s, written once here rather than by a compiler).
 */
export function writePulumiYamlProgram(
  dir: string,
  pluginDir: string,
  n: number,
  prefix: string,
  changes: ScaleChanges,
): void {
  const decls = scalePipelines(n, prefix, changes).map((decl) => ({ decl: decl as MagePipeline, dir }));
  const project = {
    name: "pulumi-pipelines",
    runtime: "yaml",
    plugins: { providers: [{ name: "pipelines", path: pluginDir }] },
    ...pulumiYamlTemplate(declaredResources(decls, dir)),
  };
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), stringify(project));
}

function scalePipelines(n: number, prefix: string, changes: ScaleChanges) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const name = `${prefix}-${i}`;
    const touched = changes.touchOne && i === 0;
    const revised = i >= n - changes.revise;
    const types = ["data_loader", "transformer", "transformer", "data_exporter"];
    const blocks = types.map((type, j) => ({
      name: `${prefix.replace(/-/g, "_")}_${i}_b${j}`,
      type,
      code: `# block ${j} of pipeline ${i}\n${touched && j === 1 ? "# touched\n" : ""}${revised && j === 2 ? "# revised\n" : ""}value = ${i * 10 + j}\n`,
      ...(j ? { upstream: [`${prefix.replace(/-/g, "_")}_${i}_b${j - 1}`] } : {}),
    }));
    const pipeline = {
      engine: "mage",
      target: "mage",
      name,
      ...(revised ? { description: "revised" } : {}),
      tags: ["scale"],
      variables: { index: i },
      blocks,
      schedules: [
        {
          name: "hourly",
          type: "time",
          interval: revised ? "@daily" : "@hourly",
          startTime: "2031-01-01T00:00:00Z",
          tags: ["scale"],
        },
      ],
    };
    out.push(pipeline);
  }
  return out;
}
