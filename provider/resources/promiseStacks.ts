// Pulumi's Node SDK stamps every promise behind an Output with `new Error().stack`, for its promise-leak report
// (runtime/debuggable.ts). A resource registers an Output per input and output, and formatting those stacks (each
// frame mapped through source maps under ts-node) was most of a TypeScript program's CPU per resource. The stacks
// are read only when PULUMI_DEBUG_PROMISE_LEAKS is set, so our resources register without them otherwise. A
// resource's source position is unaffected: Pulumi captures it with an unlimited stack of its own.

/** Turns stack capture off, unless promise-leak debugging reads the stacks; returns the limit to restore. */
export function stopPromiseStacks(): number {
  const limit = Error.stackTraceLimit;
  if (!process.env.PULUMI_DEBUG_PROMISE_LEAKS) Error.stackTraceLimit = 0;
  return limit;
}

/** Restores stack capture; an error thrown meanwhile gets its stack from here (it had none). */
export function restorePromiseStacks(limit: number, error?: unknown): void {
  Error.stackTraceLimit = limit;
  if (error instanceof Error && !/\n\s+at /.test(error.stack ?? "")) Error.captureStackTrace(error);
}

/** `register()` (a resource's construction) without the promises' stacks. */
export function withoutPromiseStacks<T>(register: () => T): T {
  const limit = stopPromiseStacks();
  try {
    return register();
  } catch (e) {
    restorePromiseStacks(limit, e);
    throw e;
  } finally {
    restorePromiseStacks(limit);
  }
}
