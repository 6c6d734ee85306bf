// The file (DIY) backend's checkpoint as a SIGKILL can leave it, and the
// recovery the README describes ("Failure and recovery").
import * as fs from "node:fs";
import * as path from "node:path";

/**
 * A SIGKILL can land while the file (DIY) backend saves a checkpoint. The
 * checkpoint itself is written to a temporary file and renamed, so it is never
 * torn; but its metadata sidecar `<stack>.json.attrs` (gocloud fileblob: a
 * content type and an MD5) is rewritten in place, and cut off it is empty:
 * every command then fails with "failed to load checkpoint: EOF". A missing
 * sidecar reads as defaults, so the recovery a user does (README, "Failure
 * and recovery") is to delete a sidecar that is not JSON. Returns the ones deleted.
 */
export function removeTornSidecars(stateDir: string): string[] {
  const root = path.join(stateDir, "backend", ".pulumi");
  const sidecars = fs
    .readdirSync(root, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith(".attrs"));
  const torn = sidecars.filter((f) => {
    try {
      JSON.parse(fs.readFileSync(path.join(root, f), "utf8"));
      return false;
    } catch {
      return true;
    }
  });
  for (const f of torn) fs.rmSync(path.join(root, f));
  return torn;
}

/** The stack's checkpoint sidecar, as a kill leaves it when it lands mid-write. */
export function tearSidecar(stateDir: string, stack: string): string {
  const stacks = path.join(stateDir, "backend", ".pulumi", "stacks");
  const sidecar = fs
    .readdirSync(stacks, { recursive: true })
    .map(String)
    .find((f) => f.endsWith(`${stack}.json.attrs`));
  if (!sidecar) throw new Error(`no checkpoint sidecar for ${stack} under ${stacks}`);
  fs.writeFileSync(path.join(stacks, sidecar), "");
  return sidecar;
}
