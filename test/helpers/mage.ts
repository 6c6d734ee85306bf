import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { mageClient, MageClient, MageTarget } from "../../provider/backends/mage/client";

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
