// Feldera's own Python SDK (PyPI `feldera`, the release the emulator's OpenAPI
// fixture comes from) drives the emulator through a user's whole flow
// (feldera_sdk_flow.py). A failing SDK call is an emulator bug: the provider is
// only as well tested as the emulator is true to the server.
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type FelderaEmulator, startFelderaEmulator } from "../fakes/feldera/emulator";
import { runFlow } from "../helpers/vendorSdks";

describe("Feldera emulator, driven by Feldera's Python SDK", () => {
  let emulator: FelderaEmulator;
  beforeAll(async () => {
    emulator = await startFelderaEmulator({ apiKey: "apikey:conformance", version: "0.337.0" });
  });
  afterAll(() => emulator?.close());

  it("create, compile, start, pause, resume, stop, clear, delete, SQL errors, validate_program", async () => {
    const flow = await runFlow(inject("vendorSdks"), path.join(__dirname, "feldera_sdk_flow.py"), {
      FELDERA_HOST: emulator.url,
      FELDERA_API_KEY: "apikey:conformance",
    });
    expect(flow.code, flow.output).toBe(0);
    expect(flow.output).toMatch(/^done$/m);
    expect(flow.steps.length).toBeGreaterThan(15);
    expect(emulator.violations).toEqual([]);
  }, 300_000);

  it("bootstrapping on an Enterprise server: await approval, approve, reject, allow; errors dismissed by a start", async () => {
    const enterprise = await startFelderaEmulator({ apiKey: "apikey:conformance", edition: "Enterprise" });
    try {
      const flow = await runFlow(inject("vendorSdks"), path.join(__dirname, "feldera_sdk_bootstrap.py"), {
        FELDERA_HOST: enterprise.url,
        FELDERA_API_KEY: "apikey:conformance",
      });
      expect(flow.code, flow.output).toBe(0);
      expect(flow.output).toMatch(/^done$/m);
      expect(enterprise.violations).toEqual([]);
    } finally {
      await enterprise.close();
    }
  }, 300_000);
});
