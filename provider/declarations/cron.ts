// Mage intervals: a preset or a 5-field cron expression (croniter syntax:
// numbers, names, *, ranges, lists and steps). Checked before any call so a
// typo is reported with its line instead of Mage's bare "Cron expression is invalid";
// and read for how often they run (the guardrails' schedule-interval rule).

export const INTERVAL_PRESETS = ["@once", "@hourly", "@daily", "@weekly", "@monthly", "@always_on"] as const;

const FIELDS: { name: string; min: number; max: number; names?: string[] }[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  {
    name: "month",
    min: 1,
    max: 12,
    names: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
  },
  { name: "day of week", min: 0, max: 7, names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] },
];

/** Undefined when valid, else why not. */
export function intervalProblem(interval: string): string | undefined {
  if (interval.startsWith("@")) {
    return (INTERVAL_PRESETS as readonly string[]).includes(interval)
      ? undefined
      : `unknown interval '${interval}'; use one of ${INTERVAL_PRESETS.join(", ")} or a cron expression`;
  }
  const parts = interval.trim().split(/\s+/);
  if (parts.length !== 5)
    return `cron expression '${interval}' has ${parts.length} field${parts.length === 1 ? "" : "s"}; expected 5 (minute hour day-of-month month day-of-week)`;
  for (let i = 0; i < 5; i++) {
    const problem = fieldProblem(parts[i], FIELDS[i]);
    if (problem) return `cron expression '${interval}': ${FIELDS[i].name} ${problem}`;
  }
  return undefined;
}

function fieldProblem(field: string, spec: (typeof FIELDS)[number]): string | undefined {
  for (const item of field.split(",")) {
    const [range, step, extra] = item.split("/");
    if (extra !== undefined || (step !== undefined && !/^\d+$/.test(step))) return `'${item}' has a bad step`;
    if (step !== undefined && Number(step) === 0) return `'${item}' has a zero step`;
    if (range === "*") continue;
    const [lo, hi, more] = range.split("-");
    if (more !== undefined) return `'${item}' is not a range`;
    for (const v of hi === undefined ? [lo] : [lo, hi]) {
      const n = value(v, spec);
      if (n === undefined) return `'${v}' is not a valid value`;
      if (n < spec.min || n > spec.max) return `'${v}' is out of range ${spec.min}-${spec.max}`;
    }
  }
  return undefined;
}

function value(v: string, spec: (typeof FIELDS)[number]): number | undefined {
  if (/^\d+$/.test(v)) return Number(v);
  const i = spec.names?.indexOf(v.toLowerCase()) ?? -1;
  return i >= 0 ? i + (spec.min === 1 ? 1 : 0) : undefined;
}

/** Minutes between the runs of each preset; undefined: it never repeats; 0: it never stops. */
const PRESET_MINUTES: Record<(typeof INTERVAL_PRESETS)[number], number | undefined> = {
  "@once": undefined,
  "@hourly": 60,
  "@daily": 1440,
  "@weekly": 10080,
  "@monthly": 40320,
  "@always_on": 0,
};

/**
 * The shortest time between two runs of a valid interval, in minutes; undefined when it never repeats. A cron
 * expression's day fields only ever make runs rarer, so its minute and hour fields decide (runs within a day, and
 * from the last of a day to the first of the next).
 */
export function minutesBetweenRuns(interval: string): number | undefined {
  if (interval.startsWith("@")) return PRESET_MINUTES[interval as keyof typeof PRESET_MINUTES];
  if (intervalProblem(interval)) return undefined;
  const [minute, hour] = interval.trim().split(/\s+/);
  const minutes = fieldValues(minute, FIELDS[0]);
  const times = fieldValues(hour, FIELDS[1])
    .flatMap((h) => minutes.map((m) => h * 60 + m))
    .sort((a, b) => a - b);
  return Math.min(...times.map((t, i) => (i + 1 < times.length ? times[i + 1] : times[0] + 1440) - t));
}

/** The values a valid field allows. */
function fieldValues(field: string, spec: (typeof FIELDS)[number]): number[] {
  const values = new Set<number>();
  for (const item of field.split(",")) {
    const [range, step] = item.split("/");
    const [lo, hi] = range === "*" ? [spec.min, spec.max] : range.split("-").map((v) => value(v, spec)!);
    const to = hi ?? (step !== undefined ? spec.max : lo);
    for (let v = lo; v <= to; v += Number(step ?? 1)) values.add(v);
  }
  return [...values];
}
