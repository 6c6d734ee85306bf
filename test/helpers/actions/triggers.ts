// Which workflows an event starts, by GitHub's documented rules:
// - "Events that trigger workflows" and "Workflow syntax: on.<event>" (the
//   default activity types of pull_request are opened, synchronize, reopened;
//   branches of a pull_request are its base branch, of a push the pushed one);
// - "Filter pattern cheat sheet": `*` any characters but `/`, `**` any
//   characters, `?` zero or one of the preceding character, `+` one or more of
//   it, `[…]` one character of a set, `!` first negates; patterns apply in
//   order, so a later pattern overrides an earlier one for the paths it matches;
// - `paths`: runs when at least one changed file is included; `paths-ignore`:
//   runs unless every changed file is ignored.
// Pure functions of the parsed workflow and the event, unit-tested against the
// docs' own examples.

/** What GitHub knows of an event when it decides which workflows run. */
export interface Trigger {
  event: "pull_request" | "push" | "schedule" | "workflow_dispatch" | "workflow_run";
  /** pull_request: the activity type. */
  action?: string;
  /** push: the pushed branch; pull_request: the base branch. */
  branch?: string;
  /** push and pull_request: every file the change touches. */
  changedFiles?: string[];
  /** workflow_run: the name of the workflow whose run it is. */
  workflow?: string;
}

/** One GitHub filter pattern as a regular expression over a whole path or branch name. */
export function filterPattern(pattern: string): RegExp {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "*" && pattern[i + 1] === "*") {
      // `**/` also matches no folder at all (`**/README.md` matches README.md).
      re += pattern[i + 2] === "/" ? "(?:.*/)?" : ".*";
      i += pattern[i + 2] === "/" ? 2 : 1;
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "?";
    else if (c === "+") re += "+";
    else if (c === "[") {
      const end = pattern.indexOf("]", i);
      re += pattern.slice(i, end + 1);
      i = end;
    } else re += c.replace(/[.\\^$|(){}]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

/** Whether `value` is included by an ordered list of patterns, `!` ones excluding. */
export function included(value: string, patterns: string[]): boolean {
  let inside = false;
  for (const p of patterns) {
    const negated = p.startsWith("!");
    if (filterPattern(negated ? p.slice(1) : p).test(value)) inside = !negated;
  }
  return inside;
}

type Filters = Partial<
  Record<"branches" | "branches-ignore" | "paths" | "paths-ignore" | "types" | "workflows", string[]>
>;

/** The `on:` of a workflow as a map of event → filters (null: no filters). */
export function events(on: unknown): Map<string, Filters | null> {
  if (typeof on === "string") return new Map([[on, null]]);
  if (Array.isArray(on)) return new Map(on.map((e) => [String(e), null]));
  return new Map(Object.entries((on ?? {}) as Record<string, Filters | null>));
}

const DEFAULT_TYPES: Record<string, string[]> = { pull_request: ["opened", "synchronize", "reopened"] };

/** Whether a workflow whose `on:` is `on` runs for `trigger`, and if not, why. */
export function fires(on: unknown, trigger: Trigger): { fires: true } | { fires: false; why: string } {
  const declared = events(on);
  if (!declared.has(trigger.event)) return { fires: false, why: `not on ${trigger.event}` };
  const f = declared.get(trigger.event) ?? {};
  const types = f.types ?? DEFAULT_TYPES[trigger.event];
  if (types && trigger.action && !types.includes(trigger.action))
    return { fires: false, why: `activity type ${trigger.action} not in ${types.join(", ")}` };
  if (trigger.event === "workflow_run" && !(f.workflows ?? []).includes(trigger.workflow ?? ""))
    return { fires: false, why: `workflow ${trigger.workflow} not in workflows` };
  if (trigger.branch !== undefined) {
    if (f.branches && !included(trigger.branch, f.branches))
      return { fires: false, why: `branch ${trigger.branch} not in branches` };
    if (f["branches-ignore"] && included(trigger.branch, f["branches-ignore"]))
      return { fires: false, why: `branch ${trigger.branch} in branches-ignore` };
  }
  const changed = trigger.changedFiles ?? [];
  if (f.paths && !changed.some((file) => included(file, f.paths!)))
    return { fires: false, why: `no changed file in paths (${changed.join(", ")})` };
  if (f["paths-ignore"] && changed.length > 0 && changed.every((file) => included(file, f["paths-ignore"]!)))
    return { fires: false, why: `every changed file in paths-ignore (${changed.join(", ")})` };
  return { fires: true };
}
