// Slow things (the Pulumi CLI, the Mage virtualenv) are built once per
// version under ~/.cache/pulumi-pipelines/<name>-<version>/. A `.complete`
// marker written last makes an interrupted build start over, never half-used.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export function cacheRoot(): string {
  return process.env.PULUMI_PIPELINES_CACHE ?? path.join(os.homedir(), ".cache", "pulumi-pipelines");
}

export function isComplete(dir: string): boolean {
  return fs.existsSync(path.join(dir, ".complete"));
}

export function markComplete(dir: string): void {
  fs.writeFileSync(path.join(dir, ".complete"), new Date().toISOString());
}
