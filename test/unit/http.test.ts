import { describe, expect, it } from "vitest";
import { backoffMs } from "../../provider/http/client";

describe("retry backoff", () => {
  it("grows exponentially under a cap, with full jitter", () => {
    for (let attempt = 0; attempt < 10; attempt++) {
      for (let i = 0; i < 50; i++) {
        const ms = backoffMs(attempt);
        expect(ms).toBeGreaterThanOrEqual(0);
        expect(ms).toBeLessThanOrEqual(Math.min(5_000, 200 * 2 ** attempt));
      }
    }
  });

  it("honours Retry-After seconds, bounded", () => {
    expect(backoffMs(0, "3")).toBe(3_000);
    expect(backoffMs(0, "3600")).toBe(30_000);
    expect(backoffMs(1, "not a number")).toBeLessThanOrEqual(400);
  });
});
