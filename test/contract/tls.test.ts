// TLS is always verified; a private CA is trusted only when a target names it (caFile).
import * as fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { felderaClient } from "../../provider/backends/feldera/client";
import { felderaTarget } from "../../provider/resources/config";
import { type FelderaEmulator, startFelderaEmulator } from "../fakes/feldera/emulator";
import { startTlsProxy, type TlsProxy } from "../fakes/tlsProxy";

describe("TLS", () => {
  let emu: FelderaEmulator;
  let tls: TlsProxy;

  beforeAll(async () => {
    emu = await startFelderaEmulator({ stepMs: 5 });
    tls = await startTlsProxy(emu.url);
  });
  afterAll(async () => {
    await tls.close();
    await emu.close();
  });

  it("refuses a certificate from an unknown CA, at once (no retries)", async () => {
    const started = Date.now();
    const err = await felderaClient({ url: tls.url })
      .call<any>("GET", "/v0/config")
      .catch((e) => e);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(err.code).toBe("tls");
    expect(err.message).toMatch(/certificate|self.signed|unable to verify/i);
  }, 60_000);

  it("trusts it when the target names the CA bundle (caFile)", async () => {
    const config = {
      get: (k: string) =>
        k === "pipelines:targets"
          ? JSON.stringify({ private: { engine: "feldera", url: tls.url, caFile: tls.caFile } })
          : undefined,
    };
    const target = felderaTarget({ config }, "private");
    expect(target.ca).toBe(fs.readFileSync(tls.caFile, "utf8"));
    expect((await felderaClient(target).call<any>("GET", "/v0/config")).edition).toBe("Open source");
  });

  it("a missing caFile is a clear error", () => {
    const config = {
      get: (k: string) =>
        k === "pipelines:targets"
          ? JSON.stringify({ private: { engine: "feldera", url: tls.url, caFile: "/nope/ca.pem" } })
          : undefined,
    };
    expect(() => felderaTarget({ config }, "private")).toThrow("caFile '/nope/ca.pem' cannot be read");
  });
});
