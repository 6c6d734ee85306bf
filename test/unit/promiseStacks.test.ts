// Our resources register without the stacks Pulumi's SDK stamps on every Output's promise (they cost most of a
// TypeScript program's CPU per resource and are read only for PULUMI_DEBUG_PROMISE_LEAKS); nothing else changes.
import * as pulumi from "@pulumi/pulumi";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mage } from "../../provider";
import { withoutPromiseStacks } from "../../provider/resources/promiseStacks";

const stackOf = () => new Error().stack ?? "";

describe("resources register without the promises' stacks", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("captures no frames while registering, and restores the limit after, thrown or not", () => {
    const limit = Error.stackTraceLimit;
    expect(withoutPromiseStacks(stackOf)).not.toMatch(/\n\s+at /);
    expect(Error.stackTraceLimit).toBe(limit);
    const thrown = (() => {
      try {
        withoutPromiseStacks(() => {
          throw new Error("refused");
        });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(Error.stackTraceLimit).toBe(limit);
    // An error from the registration still says where it came from.
    expect(thrown?.stack).toMatch(/^Error: refused\n\s+at /);
  });

  it("keeps them when PULUMI_DEBUG_PROMISE_LEAKS asks for them", () => {
    vi.stubEnv("PULUMI_DEBUG_PROMISE_LEAKS", "1");
    expect(withoutPromiseStacks(stackOf)).toMatch(/\n\s+at /);
  });

  it("a class registers as before and leaves the limit as it found it", async () => {
    pulumi.runtime.setMocks(
      {
        newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
        call: () => ({}),
      },
      "stacks",
      "test",
      false,
    );
    const limit = Error.stackTraceLimit;
    const pipeline = new mage.Pipeline("orders", { target: "mage", name: "orders" });
    expect(Error.stackTraceLimit).toBe(limit);
    expect(await new Promise((r) => pipeline.urn.apply(r))).toBe(
      "urn:pulumi:test::stacks::pulumi-nodejs:dynamic/mage:Pipeline::orders",
    );
    await pulumi.runtime.disconnect();
  });
});
