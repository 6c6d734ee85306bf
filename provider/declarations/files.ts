// The code, SQL and UDF files a declaration names, read the one way every path reads them: the resource classes
// (TypeScript and the GitOps program) and the review. A file that cannot be read is an error naming it, never a
// placeholder that would deploy or review as if it were the code.
import * as fs from "node:fs";
import * as path from "node:path";

/** `file` relative to `root` (the Pulumi project, or a revision's checkout); `who` names the declaration in errors. */
export function readDeclaredFile(root: string, file: string, who: string): string {
  const full = path.resolve(root, file);
  try {
    return fs.readFileSync(full, "utf8");
  } catch {
    throw new Error(`${who}: file '${file}' cannot be read (resolved to ${full})`);
  }
}
