// Files the tests read from the steering repository's shared/ folder, which
// CI checks out beside the clone. Never copied into this repository.
import * as fs from "node:fs";
import * as path from "node:path";

export function sharedFile(relative: string): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, "package.json"))) dir = path.dirname(dir);
  const file = path.resolve(dir, "..", "shared", relative);
  if (!fs.existsSync(file)) {
    throw new Error(`${file} is missing: it comes from the shared/ folder of the project's steering repository, which must sit beside this clone (../shared/${relative})`);
  }
  return file;
}
