import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { type MageClient, type MageTarget, mageClient } from "../../provider/backends/mage/client";

/** The run's real Mage server (see test/setup/global.ts). */
export function mageTarget(url?: string): MageTarget {
  const mage = inject("mage");
  return { url: url ?? mage.url, email: mage.email, password: mage.password };
}

export function testClient(url?: string): MageClient {
  return mageClient(mageTarget(url));
}

export function mageProjectDir(): string {
  return inject("mage").projectDir;
}

/** Names unique per test so tests share one server without colliding. */
export function uniqueName(prefix: string): string {
  return `${prefix} ${randomBytes(3).toString("hex")}`;
}

/** Points a test stack's `pipelines:mage` at the run's Mage (or a proxy in front of it); the password as a secret. */
export async function configureMage(
  stack: { config(key: string, value: string, opts?: { secret?: boolean; path?: boolean }): Promise<unknown> },
  url?: string,
): Promise<void> {
  const t = mageTarget(url);
  await stack.config("pipelines:mage.url", t.url, { path: true });
  await stack.config("pipelines:mage.email", t.email!, { path: true });
  await stack.config("pipelines:mage.password", t.password!, { path: true, secret: true });
}
