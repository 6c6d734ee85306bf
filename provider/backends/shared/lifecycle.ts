// The two lifecycle patterns every engine shares, in one place.
//
// createOrAdopt: a create that never makes a duplicate and never overwrites
// what is not ours. With adopt, it looks before it writes. When the create
// is refused as a duplicate, the live object is taken over only if adopt
// was asked for or it is exactly what a cut-off create of this declaration
// leaves behind (a run killed after its POST); anything else is an error.
//
// pollUntil: reads until done, with a deadline and a growing interval.

export interface CreateOrAdopt<Live, Result> {
  /** The object and where it is, for the error: "Mage pipeline 'orders'", "on <url>". */
  what: string;
  where: string;
  adopt: boolean;
  /** The live object of this natural key, if any. */
  lookup(): Promise<Live | undefined>;
  /** The create itself (already protected against sending twice: http/createOnce). */
  create(): Promise<Result>;
  /** Whether an error is the engine refusing the create as a duplicate. */
  isDuplicate(e: unknown): boolean;
  /** Whether a live object is exactly what a cut-off create of this declaration leaves. */
  leftByCreate(live: Live): boolean;
  /** Brings a live object in line with the declaration, writing only what differs. */
  takeOver(live: Live): Promise<Result>;
}

export async function createOrAdopt<Live, Result>(o: CreateOrAdopt<Live, Result>): Promise<Result> {
  if (o.adopt) {
    const live = await o.lookup();
    if (live !== undefined) return o.takeOver(live);
  }
  try {
    return await o.create();
  } catch (e) {
    if (!o.isDuplicate(e)) throw e;
    const live = await o.lookup();
    if (live === undefined || !(o.adopt || o.leftByCreate(live))) throw new Error(alreadyExists(o.what, o.where));
    return o.takeOver(live);
  }
}

/** The one wording of a name collision. */
export function alreadyExists(what: string, where: string): string {
  return `${what} already exists ${where}; set adopt: true to manage it, or choose another name`;
}

export interface PollOptions {
  timeoutMs: number;
  /** First interval; it doubles up to maxIntervalMs. */
  intervalMs: number;
  maxIntervalMs?: number;
}

/**
 * Reads until `done` holds and returns that reading; past the deadline, fails
 * with `late(last reading)`. Reads at least once, whatever the budget.
 */
export async function pollUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean | Promise<boolean>,
  opts: PollOptions,
  late: (last: T) => string,
): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  let interval = opts.intervalMs;
  for (;;) {
    const value = await read();
    if (await done(value)) return value;
    if (Date.now() > deadline) throw new Error(late(value));
    await new Promise((r) => setTimeout(r, interval));
    interval = Math.min(interval * 2, opts.maxIntervalMs ?? opts.intervalMs);
  }
}
