// Feldera fills every default into runtime_config and program_config and
// drops unknown keys, so whole objects never compare. Only the keys a user
// declared are compared: a declared value must equal the server's at the same
// path; everything else belongs to the server.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The server's values at exactly the paths the declaration has (objects recursed, lists whole). */
export function projectDeclared(declared: { [key: string]: Json }, remote: { [key: string]: Json } | null | undefined): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const [k, v] of Object.entries(declared)) {
    const r = remote?.[k];
    if (isObject(v) && isObject(r)) out[k] = projectDeclared(v, r);
    else out[k] = r === undefined ? MISSING : r;
  }
  return out;
}

/** Marks a declared key the server does not have (unknown to it, so silently dropped). */
export const MISSING = "<absent on the server>";

/** Paths (a.b.c) whose declared value differs from the server's projection. */
export function declaredDrift(declared: { [key: string]: Json }, projected: { [key: string]: Json }, prefix = ""): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(declared)) {
    const path = prefix ? `${prefix}.${k}` : k;
    const p = projected[k];
    if (isObject(v) && isObject(p)) out.push(...declaredDrift(v, p, path));
    else if (JSON.stringify(v) !== JSON.stringify(p)) out.push(path);
  }
  return out;
}

/** runtime_config keys Feldera only lets change while storage is cleared. */
export const STORAGE_BOUND = ["workers", "hosts", "fault_tolerance", "clock_timezone_offset", "resources.storage_mb_max", "resources.namespace", "resources.storage_class"];

export function storageBoundChanges(before: { [key: string]: Json }, after: { [key: string]: Json }): string[] {
  return STORAGE_BOUND.filter((path) => JSON.stringify(at(before, path)) !== JSON.stringify(at(after, path)));
}

function at(obj: Json, path: string): Json | undefined {
  let cur: Json | undefined = obj;
  for (const part of path.split(".")) cur = isObject(cur) ? cur[part] : undefined;
  return cur;
}

function isObject(v: unknown): v is { [key: string]: Json } {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
