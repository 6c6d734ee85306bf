import { describe, expect, it } from "vitest";
import { mageClient } from "../../provider/backends/mage/client";
import { mageAtLeast, mageTarget } from "../helpers/mage";

describe("Mage authentication (real server)", () => {
  it("a wrong password fails with the server's message and never echoes the password", async () => {
    const target = { ...mageTarget(), password: "wrong-password-123" };
    const err = await mageClient(target)
      .call<any>("GET", "/api/pipelines")
      .catch((e) => e);
    expect(err.message).toContain("record_not_found");
    expect(err.message).not.toContain("wrong-password-123");
  });

  it("missing credentials on an auth-enabled server say what to set", async () => {
    const err = await mageClient({ url: mageTarget().url })
      .call<any>("GET", "/api/pipelines")
      .catch((e) => e);
    expect(err.message).toMatch(/requires user authentication: set email and password/);
  });

  it("a wrong API key is Mage's real HTTP 401, reported with the engine's code", async () => {
    const err = await mageClient({ ...mageTarget(), apiKey: "not-the-key" })
      .call<any>("GET", "/api/pipelines")
      .catch((e) => e);
    // As each tested version answers: 0.9.70 refuses a wrong key with 403, 0.9.80 with 401.
    expect(err.status).toBe(mageAtLeast("0.9.80") ? 401 : 403);
    expect(err.code).toBe("invalid_api_key");
    expect(err.message).not.toContain("not-the-key");
  });
});
