// The benchmark's Mage project as YAML declarations for the GitOps program
// (the repository's Pulumi.yaml, compiled JavaScript, no ts-node): the same
// pipelines, blocks, triggers and per-step changes as programs/scale/index.ts,
// so the two programs' runs compare step for step.
import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";

export interface ScaleChanges {
  touchOne: boolean;
  revise: number;
}

/** Writes one file per pipeline under `dir` (replacing what was there). */
export function writeMageDeclarations(dir: string, n: number, prefix: string, changes: ScaleChanges): void {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
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
    fs.writeFileSync(path.join(dir, `${name}.yaml`), stringify({ pipelines: [pipeline] }));
  }
}
