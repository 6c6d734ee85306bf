// Mage keeps a pipeline's blocks in one metadata.yaml and rewrites it on every
// block change; concurrent writes race ("Blocks cannot be added or removed when
// saving content"). Pulumi creates resources in parallel, so writes to one
// pipeline are queued here, per server and pipeline.

import type { MageClient } from "./client";

const tails = new Map<string, Promise<unknown>>();

export async function withPipelineLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const previous = tails.get(key) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(fn);
  const tail = run.catch(() => undefined);
  tails.set(key, tail);
  try {
    return await run;
  } finally {
    if (tails.get(key) === tail) tails.delete(key);
  }
}

/** The queue a write joins: one per server and pipeline. */
export function lockKey(client: MageClient, pipeline: string): string {
  return `${client.url}#${pipeline}`;
}
