// Refresh reads each pipeline once (its detail serves the pipeline and every
// block) and the trigger list once; a write drops what was shared. Counted
// through a recording proxy in front of the real Mage.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createBlock, normalizeBlock, readBlock } from "../../provider/backends/mage/block";
import { mageClient } from "../../provider/backends/mage/client";
import {
  createPipeline,
  deletePipeline,
  normalizePipeline,
  readPipeline,
  updatePipeline,
} from "../../provider/backends/mage/pipeline";
import { createSchedule, normalizeSchedule, readSchedule } from "../../provider/backends/mage/schedule";
import { type RecordingProxy, startRecordingProxy } from "../fakes/recordingProxy";
import { mageTarget, testClient, uniqueName } from "../helpers/mage";

describe("Mage shared reads (real server)", () => {
  const direct = testClient();
  let proxy: RecordingProxy;
  let pipeline: string;
  const blocks = [
    normalizeBlock({ pipeline: "", name: "load", type: "data_loader", code: "x = 1\n" }),
    normalizeBlock({
      pipeline: "",
      name: "shape",
      type: "transformer",
      language: "sql",
      code: "select 1",
      upstream: ["load"],
      configuration: { data_provider: "postgres" },
    }),
    normalizeBlock({ pipeline: "", name: "on_done", type: "callback", code: "# cb\n", upstream: ["shape"] }),
    normalizeBlock({ pipeline: "", name: "gate", type: "conditional", code: "# cond\n", upstream: ["load"] }),
    normalizeBlock({
      pipeline: "",
      name: "expect",
      type: "extension",
      extensionUuid: "great_expectations",
      code: "# ge\n",
      upstream: ["load"],
    }),
  ];
  const triggers: number[] = [];

  beforeAll(async () => {
    pipeline = await createPipeline(direct, normalizePipeline({ name: uniqueName("shared"), variables: { a: 1 } }));
    for (const b of blocks) await createBlock(direct, { ...b, pipeline });
    for (const name of ["one", "two"]) {
      triggers.push(
        (
          await createSchedule(
            direct,
            normalizeSchedule({ pipeline, name, type: "time", interval: "@daily", tags: [name] }),
          )
        ).id,
      );
    }
  });
  afterEach(() => proxy?.close());
  afterAll(async () => {
    await deletePipeline(direct, pipeline);
  });

  it("one pipeline read serves the pipeline and all its blocks, equal to fresh per-block reads", async () => {
    // Shared reads are kept per server URL; this proxy's URL is new, as in a fresh provider process.
    proxy = await startRecordingProxy(mageTarget().url);
    const client = mageClient({ ...mageTarget(), url: proxy.url });
    await client.call<any>("GET", "/api/status"); // log in, so only the reads below are counted
    proxy.reset();
    const [p, ...got] = await Promise.all([
      readPipeline(client, pipeline),
      ...blocks.map((b) => readBlock(client, pipeline, b.name, b.extensionUuid)),
    ]);
    expect(p?.variables).toEqual({ a: 1 });
    expect(got).toEqual(blocks.map((b) => ({ ...b, pipeline })));
    expect(reads(proxy)).toEqual([`/api/pipelines/${pipeline}`]);

    // The same blocks through Mage's per-block endpoint agree.
    for (const b of blocks) {
      const one = await direct.call<any>("GET", `/api/pipelines/${pipeline}/blocks/${b.name}`, {
        query: { block_type: b.type, ...(b.extensionUuid ? { extension_uuid: b.extensionUuid } : {}) },
      });
      expect(one.block.content).toBe(b.code);
      expect(one.block.upstream_blocks).toEqual(b.upstream);
    }
  });

  it("one list serves every trigger; a write drops the shared reads", async () => {
    proxy = await startRecordingProxy(mageTarget().url);
    const client = mageClient({ ...mageTarget(), url: proxy.url });
    await readPipeline(client, pipeline);
    proxy.reset();
    const found = await Promise.all(triggers.map((id) => readSchedule(client, id, pipeline)));
    expect(found.map((f) => f?.spec.tags)).toEqual([["one"], ["two"]]);
    expect(await readPipeline(client, pipeline)).toBeDefined();
    expect(reads(proxy)).toEqual(["/api/pipeline_schedules"]);

    const old = (await readPipeline(client, pipeline))!;
    await updatePipeline(client, pipeline, old, { ...old, description: "changed" });
    proxy.reset();
    expect((await readPipeline(client, pipeline))?.description).toBe("changed");
    await readSchedule(client, triggers[0], pipeline);
    expect(reads(proxy)).toEqual([`/api/pipelines/${pipeline}`, "/api/pipeline_schedules"]);
  });
});

function reads(proxy: RecordingProxy): string[] {
  return proxy.requests.map((r) => `${r.method === "GET" ? "" : `${r.method} `}${r.path.split("?")[0]}`);
}
