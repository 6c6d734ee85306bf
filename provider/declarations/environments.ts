// Per-environment values: one set of declaration files, and per stack the values that differ. Any pipeline, Mage
// block or trigger, and secret may say, under `environments`, which of its fields a stack sees otherwise:
//
//   schedules:
//     - name: daily
//       type: time
//       interval: "@hourly"
//       status: inactive
//       environments:
//         prod: { status: active, interval: "@daily" }
//
// For stack `prod` the trigger is active and daily; every other stack sees it as written. A field given for a stack
// replaces the declared value, except that a mapping (variables, settings, runtimeConfig, …) is merged key by key
// one level deep: a stack states only the variables that differ. The YAML program, `validate`, `graph` and `diff`
// all read a stack's declarations through stackView(), and the TypeScript helper (resources/environments.ts) applies
// the same rule with overlay().
import type { PathPart } from "./errors";
import { isObject as isMapping } from "./schema";

/** The key under which an entry gives its values per stack. */
const ENVIRONMENTS = "environments";

/** Where entries may give values per stack: the file's pipelines and secrets, a Mage pipeline's blocks and triggers. */
const ENTRY_LISTS = ["pipelines", "secrets"];
const NESTED_LISTS = ["blocks", "schedules"];

type Entry = Record<string, unknown>;

/** `base` with `values` over it: a field replaced, a mapping merged key by key one level deep. */
export function overlay<T extends object>(base: T, values: Partial<T> | undefined): T {
  if (!values) return base;
  const out: Entry = { ...(base as Entry) };
  for (const [key, value] of Object.entries(values)) {
    const under = out[key];
    out[key] = isMapping(under) && isMapping(value) ? { ...under, ...value } : value;
  }
  return out as T;
}

/** Each entry that may give values per stack, with its path in the file. */
function entries(data: unknown): { entry: Entry; path: PathPart[] }[] {
  if (!isMapping(data)) return [];
  const out: { entry: Entry; path: PathPart[] }[] = [];
  for (const list of ENTRY_LISTS) {
    const items = data[list];
    if (!Array.isArray(items)) continue;
    items.forEach((entry, i) => {
      if (!isMapping(entry)) return;
      out.push({ entry, path: [list, i] });
      for (const nested of NESTED_LISTS) {
        const inner = entry[nested];
        if (!Array.isArray(inner)) continue;
        inner.forEach((e, j) => {
          if (isMapping(e)) out.push({ entry: e, path: [list, i, nested, j] });
        });
      }
    });
  }
  return out;
}

/** Every stack a file's entries give values for, sorted. */
export function stacksOf(data: unknown): string[] {
  const names = new Set<string>();
  for (const { entry } of entries(data)) {
    const per = entry[ENVIRONMENTS];
    if (isMapping(per)) for (const name of Object.keys(per)) names.add(name);
  }
  return [...names].sort();
}

/**
 * The file's declarations as `stack` sees them (no `environments` left), and where each of their values is written:
 * `locate` maps a path in the view to its path in the file (under `environments.<stack>` where the stack's value
 * stands), so every error points at the line that says it. Without a stack: the declarations as written.
 */
export function stackView(
  data: unknown,
  stack: string | undefined,
): { data: unknown; locate(path: readonly PathPart[]): PathPart[] } {
  const view = structuredClone(data);
  /** By entry path: the values the stack gives it. */
  const given = new Map<string, Entry>();
  for (const { entry, path } of entries(view)) {
    const per = entry[ENVIRONMENTS];
    delete entry[ENVIRONMENTS];
    const values = stack !== undefined && isMapping(per) ? per[stack] : undefined;
    if (!isMapping(values)) continue;
    Object.assign(entry, overlay(entry, values));
    given.set(JSON.stringify(path), values);
  }
  return {
    data: view,
    locate(path) {
      // The innermost entry the path goes through that the stack gives values to.
      for (let n = path.length - 1; n > 0; n--) {
        const values = given.get(JSON.stringify(path.slice(0, n)));
        if (!values) continue;
        const [field, key] = [path[n], path[n + 1]];
        if (!(String(field) in values)) return [...path];
        const value = values[String(field)];
        // A key the stack's mapping does not give comes from the declared mapping it is merged over.
        if (key !== undefined && isMapping(value) && !(String(key) in value)) return [...path];
        return [...path.slice(0, n), ENVIRONMENTS, stack!, ...path.slice(n)];
      }
      return [...path];
    },
  };
}
