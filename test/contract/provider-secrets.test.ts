// A server's error that echoes a secret's value leaves the provider with the
// secret's placeholder in its place: the serialized Feldera provider, loaded as
// the host loads it, against the emulator, whose Rust compile error repeats the
// UDF's compile_error! text (as rustc does).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KINDS } from "../../provider/resources/kinds";
import { providerText } from "../../provider/resources/resourceClass";
import { type FelderaEmulator, startFelderaEmulator } from "../fakes/feldera/emulator";
import { type RecordingProxy, startRecordingProxy } from "../fakes/recordingProxy";
import { load, stackConfig } from "../helpers/serialized";

const felderaProvider = providerText(KINDS["feldera:Pipeline"]);

const TOKEN = "udf-token-s3cret-7781";

describe("secrets in errors", () => {
  let emu: FelderaEmulator;
  let proxy: RecordingProxy;
  beforeAll(async () => {
    emu = await startFelderaEmulator({ stepMs: 5 });
    proxy = await startRecordingProxy(emu.url, { bodies: true });
  });
  afterAll(async () => {
    await proxy?.close();
    await emu?.close();
  });

  it("a compile error that repeats a secret's value shows ${secret:NAME}, never the value", async () => {
    const handler = load(felderaProvider);
    await handler.configure!(
      stackConfig({
        "pipelines:targets": { lake: { engine: "feldera", url: proxy.url } },
        "pipelines:secrets": { UDF_TOKEN: TOKEN },
      }),
    );
    const inputs = {
      target: "lake",
      name: "leaky",
      blocks: [{ name: "t", sql: "CREATE TABLE t (x INT);" }],
      udfRust: 'compile_error!("token ${secret:UDF_TOKEN} rejected");',
      compileTimeoutSeconds: 5,
    };
    expect((await handler.check!({}, inputs)).failures).toBeUndefined();
    const err = await handler.create(inputs).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    // The server got the value, and its answer carried it back.
    expect(proxy.requests.some((r) => r.response?.includes(`token ${TOKEN} rejected`))).toBe(true);
    expect((err as Error).message).toContain("token ${secret:UDF_TOKEN} rejected");
    expect((err as Error).message).not.toContain(TOKEN);
    expect(emu.pipelines.has("leaky")).toBe(false);
  });
});
