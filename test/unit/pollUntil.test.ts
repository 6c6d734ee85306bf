// backends/shared/lifecycle.ts: pollUntil, the one way a backend waits for a server state.
import { describe, expect, it } from "vitest";
import { pollUntil } from "../../provider/backends/shared/lifecycle";

describe("pollUntil", () => {
  it("returns the first reading that is done", async () => {
    let n = 0;
    expect(
      await pollUntil(
        async () => ++n,
        (v) => v >= 3,
        { timeoutMs: 10_000, intervalMs: 1 },
        () => "late",
      ),
    ).toBe(3);
  });

  it("reads at least once, and past the deadline says what it last saw", async () => {
    await expect(
      pollUntil(
        async () => "compiling",
        () => false,
        { timeoutMs: 0, intervalMs: 1 },
        (v) => `still ${v}`,
      ),
    ).rejects.toThrow("still compiling");
  });
});
