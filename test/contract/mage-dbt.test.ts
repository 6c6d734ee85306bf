// dbt blocks on the real Mage with dbt installed (the sandbox's virtualenv
// carries dbt-core and the DuckDB adapter). The dbt project is written into
// Mage's project through Mage's own file API, as a user's repository holds it.
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBlock, deleteBlock, normalizeBlock, readBlock, updateBlock } from "../../provider/backends/mage/block";
import { blockUuid } from "../../provider/backends/mage/names";
import { createPipeline, deletePipeline, normalizePipeline } from "../../provider/backends/mage/pipeline";
import { testClient, uniqueName } from "../helpers/mage";

describe("Mage dbt blocks (real server, real dbt)", () => {
  const client = testClient();
  const project = blockUuid(uniqueName("pp_dbt"));
  const dir = `dbt/${project}`;
  let pipeline: string;
  const write = (file: string, content: string) =>
    client.call("PUT", `/api/file_contents/${encodeURIComponent(file)}`, { body: { file_content: { content } } });
  const read = async (file: string) =>
    (await client.call<any>("GET", `/api/file_contents/${encodeURIComponent(file)}`)).file_content.content;
  const raw = async (uuid: string) =>
    (
      await client.call<any>("GET", `/api/pipelines/${pipeline}/blocks/${encodeURIComponent(uuid)}`, {
        query: { block_type: "dbt" },
      })
    ).block;

  beforeAll(async () => {
    await write(
      `${dir}/dbt_project.yml`,
      `name: ${project}\nversion: '1.0'\nprofile: ${project}\nmodel-paths: ['models']\n`,
    );
    const db = path.join(os.tmpdir(), `${project}.duckdb`);
    await write(
      `${dir}/profiles.yml`,
      `${project}:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: ${db}\n`,
    );
    pipeline = await createPipeline(client, normalizePipeline({ name: uniqueName("dbt") }));
  });
  afterAll(() => deletePipeline(client, pipeline));

  it("models and a command: made, read back as declared (Mage's own keys left out), edited, made again over a kept file", async () => {
    const orders = normalizeBlock({
      pipeline,
      name: `${dir}/models/orders`,
      type: "dbt",
      language: "sql",
      code: "select 1 as id\n",
      configuration: { dbt_profile_target: "dev" },
    });
    const ordersUuid = await createBlock(client, orders);
    expect(ordersUuid).toBe(`${dir}/models/orders`);
    expect(await readBlock(client, pipeline, ordersUuid)).toEqual(orders);
    expect((await raw(ordersUuid)).configuration.file_path).toBe(`${dir}/models/orders.sql`);
    expect(await read(`${dir}/models/orders.sql`)).toBe("select 1 as id\n");

    // A model after a Python block: Mage drops the upstream on create; the update that follows sets it.
    const load = normalizeBlock({ pipeline, name: uniqueName("dbt load"), type: "data_loader", code: "x = 1\n" });
    await createBlock(client, load);
    const big = normalizeBlock({
      pipeline,
      name: `${dir}/models/big_orders`,
      type: "dbt",
      language: "sql",
      code: "select * from {{ ref('orders') }}\n",
      upstream: [orders.name, load.name],
    });
    const bigUuid = await createBlock(client, big);
    expect(await readBlock(client, pipeline, bigUuid)).toEqual(big);
    expect((await raw(bigUuid)).upstream_blocks.sort()).toEqual([ordersUuid, blockUuid(load.name)].sort());

    const build = normalizeBlock({
      pipeline,
      name: `${project}_build`,
      type: "dbt",
      language: "yaml",
      code: "--select orders\n",
      upstream: [big.name],
      configuration: { dbt_project_name: dir, dbt: { command: "build" } },
    });
    const buildUuid = await createBlock(client, build);
    expect(await readBlock(client, pipeline, buildUuid)).toEqual(build);
    expect((await raw(buildUuid)).configuration).toMatchObject({ dbt_project_name: dir, dbt: { command: "build" } });

    // Code and configuration changes reach the model's file and Mage's block.
    const edited = { ...orders, code: "select 2 as id\n", configuration: { dbt_profile_target: "prod" } };
    await updateBlock(client, ordersUuid, orders, edited);
    expect(await read(`${dir}/models/orders.sql`)).toBe("select 2 as id\n");
    expect(await readBlock(client, pipeline, ordersUuid)).toEqual(edited);
    expect((await raw(ordersUuid)).configuration).toEqual({
      dbt_profile_target: "prod",
      file_path: `${dir}/models/orders.sql`,
    });

    // Deleted, Mage keeps the model's file (it is the dbt project's); made again over it with the declared code.
    await deleteBlock(client, pipeline, buildUuid, "dbt");
    await deleteBlock(client, pipeline, bigUuid, "dbt");
    expect(await readBlock(client, pipeline, bigUuid)).toBeUndefined();
    expect(await read(`${dir}/models/big_orders.sql`)).toBe("select * from {{ ref('orders') }}\n");
    const again = { ...big, code: "select id from {{ ref('orders') }}\n" };
    await createBlock(client, again);
    expect(await readBlock(client, pipeline, bigUuid)).toEqual(again);
    expect(await read(`${dir}/models/big_orders.sql`)).toBe("select id from {{ ref('orders') }}\n");

    await deleteBlock(client, pipeline, bigUuid, "dbt");
    await deleteBlock(client, pipeline, ordersUuid, "dbt");
  });
});
