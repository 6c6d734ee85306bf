import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBlock, deleteBlock, normalizeBlock, readBlock, updateBlock } from "../../provider/backends/mage/block";
import { blockFilePath, blockUuid } from "../../provider/backends/mage/names";
import { createPipeline, deletePipeline, normalizePipeline } from "../../provider/backends/mage/pipeline";
import { mageProjectDir, testClient, uniqueName } from "../helpers/mage";

describe("Mage blocks (real server)", () => {
  const client = testClient();
  let pipeline: string;
  const code = (uuid: string) =>
    fs.readFileSync(path.join(mageProjectDir(), blockFilePath("transformer", uuid, "python")), "utf8");

  beforeAll(async () => {
    pipeline = await createPipeline(client, normalizePipeline({ name: uniqueName("blocks") }));
  });
  afterAll(() => deletePipeline(client, pipeline));

  it("create → read → code update really rewrites the file → delete", async () => {
    const load = normalizeBlock({
      pipeline,
      name: uniqueName("load"),
      type: "data_loader",
      code: "def load():\n    return 1\n",
    });
    const loadUuid = await createBlock(client, load);
    const t = normalizeBlock({
      pipeline,
      name: uniqueName("double"),
      type: "transformer",
      code: "v = 1\n",
      upstream: [load.name],
    });
    const uuid = await createBlock(client, t);
    expect(uuid).toBe(blockUuid(t.name));
    expect(await readBlock(client, pipeline, uuid)).toEqual(t);
    expect(code(uuid)).toBe("v = 1\n");

    const next = { ...t, code: "v = 2  # changed\n", configuration: { retries: 2 } };
    await updateBlock(client, uuid, t, next);
    expect(code(uuid)).toBe("v = 2  # changed\n");
    expect(await readBlock(client, pipeline, uuid)).toEqual(next);

    await deleteBlock(client, pipeline, uuid, "transformer");
    expect(await readBlock(client, pipeline, uuid)).toBeUndefined();
    await deleteBlock(client, pipeline, uuid, "transformer"); // already gone
    await deleteBlock(client, pipeline, loadUuid, "data_loader");
  });

  it("block settings: set at create (where Mage's create ignores some), changed, reset, and kept when a block is made again", async () => {
    const raw = async (uuid: string, type = "data_loader") =>
      (await client.call<any>("GET", `/api/pipelines/${pipeline}/blocks/${uuid}`, { query: { block_type: type } }))
        .block;
    const spec = normalizeBlock({
      pipeline,
      name: uniqueName("tuned"),
      type: "data_loader",
      code: "x = 1\n",
      retryConfig: { retries: 2, delay: 5 },
      timeout: 120,
      executorType: "k8s",
      color: "teal",
    });
    const uuid = await createBlock(client, spec);
    expect(await raw(uuid)).toMatchObject({
      retry_config: { retries: 2, delay: 5 },
      timeout: 120,
      executor_type: "k8s",
      color: "teal",
    });
    expect(await readBlock(client, pipeline, uuid)).toEqual(spec);

    const callback = normalizeBlock({
      pipeline,
      name: uniqueName("tuned cb"),
      type: "callback",
      code: "x = 1\n",
      upstream: [uuid],
      timeout: 30,
      color: "pink",
    });
    const cbUuid = await createBlock(client, callback);
    expect(await raw(cbUuid, "callback")).toMatchObject({ timeout: 30, color: "pink" });

    // A language change makes the block again: its settings, and the callback serving it, come back.
    const next = { ...spec, language: "sql" as const, code: "SELECT 1\n", timeout: null, retryConfig: { retries: 1 } };
    await updateBlock(client, uuid, spec, next);
    expect(await raw(uuid)).toMatchObject({ retry_config: { retries: 1 }, timeout: null, executor_type: "k8s" });
    expect(await readBlock(client, pipeline, uuid)).toEqual(next);
    expect(await raw(cbUuid, "callback")).toMatchObject({ timeout: 30, color: "pink" });

    const reset = normalizeBlock({
      pipeline,
      name: spec.name,
      type: "data_loader",
      language: "sql",
      code: "SELECT 1\n",
    });
    await updateBlock(client, uuid, next, reset);
    expect(await raw(uuid)).toMatchObject({
      retry_config: null,
      timeout: null,
      executor_type: "local_python",
      color: null,
    });
    expect(await readBlock(client, pipeline, uuid)).toEqual(reset);
    await deleteBlock(client, pipeline, cbUuid, "callback", "");
    await deleteBlock(client, pipeline, uuid, "data_loader", "");
  });

  it("markdown and scratchpad blocks: created, read back, edited and deleted like any block", async () => {
    for (const [type, language, first, second] of [
      ["markdown", "markdown", "# Notes\n", "# Notes\n\nUpdated.\n"],
      ["scratchpad", "python", "print(1)\n", "print(2)\n"],
    ] as const) {
      const spec = normalizeBlock({ pipeline, name: uniqueName(`${type} block`), type, language, code: first });
      const uuid = await createBlock(client, spec);
      expect(fs.readFileSync(path.join(mageProjectDir(), blockFilePath(type, uuid, language)), "utf8")).toBe(first);
      expect(await readBlock(client, pipeline, uuid)).toEqual(spec);
      const next = { ...spec, code: second };
      await updateBlock(client, uuid, spec, next);
      expect(await readBlock(client, pipeline, uuid)).toEqual(next);
      await deleteBlock(client, pipeline, uuid, type, "");
      expect(await readBlock(client, pipeline, uuid)).toBeUndefined();
    }
  });

  it("global_data_product blocks: run a product that exists, read back without code, moved to another product", async () => {
    const products: string[] = [];
    const product = async () => {
      const uuid = blockUuid(uniqueName("product"));
      await client.call("POST", "/api/global_data_products", {
        body: { global_data_product: { uuid, object_type: "pipeline", object_uuid: pipeline } },
      });
      products.push(uuid);
      return uuid;
    };
    const [first, second] = [await product(), await product()];
    const spec = normalizeBlock({
      pipeline,
      name: uniqueName("run product"),
      type: "global_data_product",
      configuration: { global_data_product: { uuid: first, settings: { some_block: { partitions: 1 } } } },
    });
    const uuid = await createBlock(client, spec);
    expect(await readBlock(client, pipeline, uuid)).toEqual(spec);
    const raw = async () =>
      (
        await client.call<any>("GET", `/api/pipelines/${pipeline}/blocks/${uuid}`, {
          query: { block_type: "global_data_product" },
        })
      ).block;
    expect(await raw()).toMatchObject({ content: "", configuration: spec.configuration });

    const moved = { ...spec, configuration: { global_data_product: { uuid: second } } };
    await updateBlock(client, uuid, spec, moved);
    expect((await raw()).configuration).toEqual({ global_data_product: { uuid: second } });

    // Mage would take any uuid and fail only when a run reaches the block: refused before any write.
    const missing = { ...moved, configuration: { global_data_product: { uuid: "no_such_product" } } };
    await expect(updateBlock(client, uuid, moved, missing)).rejects.toThrow(
      `Mage block '${uuid}': global data product 'no_such_product' does not exist in the project on ${client.url} (configuration.global_data_product.uuid)`,
    );
    expect((await raw()).configuration).toEqual({ global_data_product: { uuid: second } });
    const other = { ...missing, name: uniqueName("run nothing") };
    await expect(createBlock(client, other)).rejects.toThrow("global data product 'no_such_product' does not exist");
    expect(await readBlock(client, pipeline, blockUuid(other.name))).toBeUndefined();

    await deleteBlock(client, pipeline, uuid, "global_data_product");
    expect(await readBlock(client, pipeline, uuid)).toBeUndefined();
    for (const p of products) await client.call("DELETE", `/api/global_data_products/${p}`);
  });

  it("refuses an upstream block that does not exist, leaving nothing behind", async () => {
    const orphan = normalizeBlock({
      pipeline,
      name: uniqueName("orphan"),
      type: "transformer",
      code: "",
      upstream: ["ghost_block"],
    });
    await expect(createBlock(client, orphan)).rejects.toThrow(
      `upstream block(s) 'ghost_block' do not exist in pipeline '${pipeline}'`,
    );
    expect(await readBlock(client, pipeline, blockUuid(orphan.name))).toBeUndefined();
  });

  it("attaches a callback block to the block it serves through its upstream", async () => {
    const main = normalizeBlock({ pipeline, name: uniqueName("main"), type: "custom", code: "x = 1\n" });
    const mainUuid = await createBlock(client, main);
    const cb = normalizeBlock({
      pipeline,
      name: uniqueName("on done"),
      type: "callback",
      code: "@callback\ndef done(*a, **k):\n    pass\n",
      upstream: [mainUuid],
    });
    const cbUuid = await createBlock(client, cb);
    const detail = await client.call<any>("GET", `/api/pipelines/${pipeline}`, {
      query: { includes_content: "false", includes_outputs: "false" },
    });
    expect(detail.pipeline.blocks.find((b: any) => b.uuid === mainUuid).callback_blocks).toEqual([cbUuid]);
    expect(await readBlock(client, pipeline, cbUuid)).toEqual(cb);
    await deleteBlock(client, pipeline, cbUuid, "callback");
    await deleteBlock(client, pipeline, mainUuid, "custom");
  });

  it("attaches conditional and extension blocks to the blocks they serve", async () => {
    const main = normalizeBlock({ pipeline, name: uniqueName("gate me"), type: "transformer", code: "x = 1\n" });
    const mainUuid = await createBlock(client, main);
    const cond = normalizeBlock({
      pipeline,
      name: uniqueName("only weekdays"),
      type: "conditional",
      code: "@condition\ndef ok(*a, **k):\n    return True\n",
      upstream: [mainUuid],
    });
    const condUuid = await createBlock(client, cond);
    const ext = normalizeBlock({
      pipeline,
      name: uniqueName("expect rows"),
      type: "extension",
      extensionUuid: "great_expectations",
      code: "@extension('great_expectations')\ndef rows(validator, *a, **k):\n    pass\n",
      upstream: [mainUuid],
    });
    const extUuid = await createBlock(client, ext);
    const detail = await client.call<any>("GET", `/api/pipelines/${pipeline}`, {
      query: { includes_content: "false", includes_outputs: "false" },
    });
    expect(detail.pipeline.blocks.find((b: any) => b.uuid === mainUuid).conditional_blocks).toEqual([condUuid]);
    expect(detail.pipeline.extensions.great_expectations.blocks.map((b: any) => [b.uuid, b.upstream_blocks])).toEqual([
      [extUuid, [mainUuid]],
    ]);
    expect(await readBlock(client, pipeline, condUuid)).toEqual(cond);
    expect(await readBlock(client, pipeline, extUuid, "great_expectations")).toEqual(ext);
    await deleteBlock(client, pipeline, extUuid, "extension", "great_expectations");
    await deleteBlock(client, pipeline, condUuid, "conditional");
    await deleteBlock(client, pipeline, mainUuid, "transformer");
    expect(await readBlock(client, pipeline, extUuid, "great_expectations")).toBeUndefined();
    expect(await readBlock(client, pipeline, condUuid)).toBeUndefined();
  });

  it("an extension block's configuration change reaches the server, which Mage's own update never writes", async () => {
    const mainUuid = await createBlock(
      client,
      normalizeBlock({ pipeline, name: uniqueName("checked"), type: "transformer", code: "x = 1\n" }),
    );
    const ext = normalizeBlock({
      pipeline,
      name: uniqueName("expect cols"),
      type: "extension",
      extensionUuid: "great_expectations",
      code: "@extension('great_expectations')\ndef cols(validator, *a, **k):\n    pass\n",
      upstream: [mainUuid],
      configuration: { threshold: 1 },
    });
    const extUuid = await createBlock(client, ext);
    const stored = async () =>
      (
        await client.call<any>("GET", `/api/pipelines/${pipeline}`, { query: { includes_content: "false" } })
      ).pipeline.extensions.great_expectations.blocks.find((b: any) => b.uuid === extUuid).configuration;
    // The engine fact the provider works around: the PUT answers with the new value, the server keeps the old one.
    const put = await client.call<any>("PUT", `/api/pipelines/${pipeline}/blocks/${extUuid}`, {
      query: { block_type: "extension", extension_uuid: "great_expectations" },
      body: { block: { configuration: { threshold: 2 } } },
    });
    expect(put.block.configuration).toEqual({ threshold: 2 });
    expect(await stored()).toEqual({ threshold: 1 });
    const next = { ...ext, configuration: { threshold: 3 } };
    await updateBlock(client, extUuid, ext, next);
    expect(await stored()).toEqual({ threshold: 3 });
    expect(await readBlock(client, pipeline, extUuid, "great_expectations")).toEqual(next);
    await deleteBlock(client, pipeline, extUuid, "extension", "great_expectations");
    await deleteBlock(client, pipeline, mainUuid, "transformer");
  });

  it("refuses to delete a block other blocks still depend on, rather than rewiring them", async () => {
    const up = normalizeBlock({ pipeline, name: uniqueName("up"), type: "data_loader", code: "" });
    const upUuid = await createBlock(client, up);
    const down = normalizeBlock({
      pipeline,
      name: uniqueName("down"),
      type: "transformer",
      code: "",
      upstream: [upUuid],
    });
    const downUuid = await createBlock(client, down);
    await expect(deleteBlock(client, pipeline, upUuid, "data_loader")).rejects.toThrow(/depending on block/);
    expect(await readBlock(client, pipeline, downUuid)).toEqual(down);
    await deleteBlock(client, pipeline, downUuid, "transformer");
    await deleteBlock(client, pipeline, upUuid, "data_loader");
  });

  it("a block in a missing pipeline reads as gone", async () => {
    expect(await readBlock(client, "no_such_pipeline_y", "b")).toBeUndefined();
  });
});
