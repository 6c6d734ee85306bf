// Ionworks' own Python SDK (PyPI `ionworks-api`, with `ionworks-schema`)
// drives the emulator through a user's whole flow (ionworks_sdk_flow.py). A
// failing SDK call is an emulator bug.
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type IonworksEmulator, startIonworksEmulator } from "../fakes/ionworks/emulator";
import { runFlow } from "../helpers/vendorSdks";

describe("Ionworks emulator, driven by Ionworks' Python SDK", () => {
  const apiKey = "iw-conformance-key";
  let emulator: IonworksEmulator;
  beforeAll(async () => {
    emulator = await startIonworksEmulator({ apiKey, autoAdvanceMs: 50 });
  });
  afterAll(() => emulator?.close());

  it("create, get, wait for completion, result, list, update, failures, delete", async () => {
    const flow = await runFlow(inject("vendorSdks"), path.join(__dirname, "ionworks_sdk_flow.py"), {
      IONWORKS_API_URL: emulator.url,
      IONWORKS_API_KEY: apiKey,
      IONWORKS_PROJECT_ID: emulator.projectId,
    });
    expect(flow.code, flow.output).toBe(0);
    expect(flow.output).toMatch(/^done$/m);
  }, 300_000);
});
