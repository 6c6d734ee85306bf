// The Pulumi package schema the plugin serves, and its version: the single
// executable's asset when the plugin runs from its archive
// (scripts/pluginArchive.ts), else the npm package's schemas/ file.
import * as fs from "node:fs";
import * as path from "node:path";

/** The schema's name as the executable's asset and as the file under the package's schemas/. */
export const SCHEMA_ASSET = "pulumi.schema.json";

/** The package root, from dist/provider/plugin/ or provider/plugin/. */
function packageRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, "package.json"))) dir = path.dirname(dir);
  return dir;
}

export function readSchema(): string {
  // node:sea exists from Node 20.12; the npm package also runs where it does not.
  try {
    const sea: typeof import("node:sea") = require("node:sea");
    if (sea.isSea()) return sea.getAsset(SCHEMA_ASSET, "utf8");
  } catch {
    // not a single executable
  }
  return fs.readFileSync(path.join(packageRoot(), "schemas", SCHEMA_ASSET), "utf8");
}
