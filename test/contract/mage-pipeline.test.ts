import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { isNotFound } from "../../provider/backends/mage/errors";
import { pipelineUuid } from "../../provider/backends/mage/names";
import {
  copyPipeline,
  createPipeline,
  deletePipeline,
  normalizePipeline,
  readPipeline,
  updatePipeline,
} from "../../provider/backends/mage/pipeline";
import { mageAtLeast, mageProjectDir, testClient, uniqueName } from "../helpers/mage";

describe("Mage pipelines (real server)", () => {
  const client = testClient();

  it("create → read → update → delete", async () => {
    const spec = normalizePipeline({
      name: uniqueName("Orders-ETL"),
      description: "v1",
      tags: ["b", "a"],
      variables: { env: "dev", n: 3 },
    });
    const uuid = await createPipeline(client, spec);
    expect(uuid).toBe(pipelineUuid(spec.name));
    expect(await readPipeline(client, uuid)).toEqual(spec);

    const next = normalizePipeline({
      name: spec.name,
      description: "v2",
      tags: ["c"],
      variables: { env: "prod", flag: true },
    });
    await updatePipeline(client, uuid, spec, next);
    expect(await readPipeline(client, uuid)).toEqual(next);

    await deletePipeline(client, uuid);
    expect(await readPipeline(client, uuid)).toBeUndefined();
    await deletePipeline(client, uuid); // already gone: no error
  });

  it("run settings: created, changed and reset, as Mage's own GET shows them, and the metadata file holds them", async () => {
    const raw = async (uuid: string) => (await client.call<any>("GET", `/api/pipelines/${uuid}`)).pipeline;
    const concurrency = mageAtLeast("0.9.71");
    const spec = normalizePipeline({
      name: uniqueName("settings"),
      retryConfig: { retries: 2, delay: 10, exponential_backoff: false },
      // Mage writes it from 0.9.71 (see MAGE_FEATURES; on older servers check() refuses it, mage-features.test.ts).
      ...(concurrency ? { concurrencyConfig: { block_run_limit: 3, on_pipeline_run_limit_reached: "skip" } } : {}),
      executorType: "local_python",
      runPipelineInOneProcess: true,
      settings: { triggers: { save_in_code_automatically: true } },
    });
    const uuid = await createPipeline(client, spec);
    expect(await raw(uuid)).toMatchObject({
      retry_config: { retries: 2, delay: 10, exponential_backoff: false },
      concurrency_config: concurrency ? { block_run_limit: 3, on_pipeline_run_limit_reached: "skip" } : {},
      executor_type: "local_python",
      run_pipeline_in_one_process: true,
      cache_block_output_in_memory: false,
      settings: { triggers: { save_in_code_automatically: true } },
    });
    expect(await readPipeline(client, uuid)).toEqual(spec);
    // Mage keeps them in the pipeline's metadata.yaml: a server restart reads them back from there.
    const metadata = fs.readFileSync(path.join(mageProjectDir(), "pipelines", uuid, "metadata.yaml"), "utf8");
    expect(metadata).toMatch(/retry_config:\n\s+delay: 10/);

    const next = normalizePipeline({ name: spec.name, cacheBlockOutputInMemory: true, retryConfig: { retries: 1 } });
    await updatePipeline(client, uuid, spec, next);
    expect(await raw(uuid)).toMatchObject({
      retry_config: { retries: 1 },
      concurrency_config: {},
      executor_type: null,
      run_pipeline_in_one_process: false,
      cache_block_output_in_memory: true,
      settings: { triggers: null },
    });
    expect(await readPipeline(client, uuid)).toEqual(next);
    await deletePipeline(client, uuid);
  });

  it("a name collision fails clearly and leaves the existing pipeline as it was", async () => {
    const spec = normalizePipeline({ name: uniqueName("taken"), description: "theirs" });
    const uuid = await createPipeline(client, spec);
    const mine = normalizePipeline({ name: spec.name, description: "mine" });
    await expect(createPipeline(client, mine)).rejects.toThrow(
      `Mage pipeline '${uuid}' already exists on ${client.url}; set adopt: true`,
    );
    expect((await readPipeline(client, uuid))?.description).toBe("theirs");

    await createPipeline(client, mine, { adopt: true });
    expect((await readPipeline(client, uuid))?.description).toBe("mine");
    await deletePipeline(client, uuid);
  });

  it("cloneFrom: Mage's copy keeps the source's blocks, the declared fields go over it, the source stays as it was", async () => {
    const raw = async (uuid: string) =>
      (await client.call<any>("GET", `/api/pipelines/${uuid}`, { query: { includes_content: "true" } })).pipeline;
    const source = normalizePipeline({
      name: uniqueName("Template"),
      description: "the template",
      tags: ["template"],
      variables: { env: "dev", only_here: 1 },
      retryConfig: { retries: 3 },
    });
    const from = await createPipeline(client, source);
    await client.call("POST", `/api/pipelines/${from}/blocks`, {
      body: { block: { name: `${from}_load`, type: "data_loader", language: "python", content: "x = 1\n" } },
    });

    const copy = normalizePipeline({
      name: pipelineUuid(uniqueName("copy")),
      description: "mine",
      variables: { env: "prod" },
    });
    const uuid = await createPipeline(client, copy, { cloneFrom: source.name });
    expect(uuid).toBe(copy.name);
    // Converged in one create: undeclared settings are Mage's defaults, as for any pipeline.
    expect(await readPipeline(client, uuid)).toEqual(copy);
    const made = await raw(uuid);
    expect(made.blocks.map((b: any) => [b.uuid, b.content])).toEqual([[`${from}_load`, "x = 1\n"]]);
    expect(made.retry_config).toEqual({});
    expect(await readPipeline(client, from)).toEqual(source);
    expect((await raw(from)).blocks.map((b: any) => b.uuid)).toEqual([`${from}_load`]);

    // The name is taken: Mage would copy under a name of its own; that copy does not stay.
    const before = (await client.call<any>("GET", "/api/pipelines")).pipelines.map((p: any) => p.uuid).sort();
    await expect(copyPipeline(client, from, copy.name)).rejects.toThrow(
      `Pipeline ${copy.name} already exists (Mage made the copy as '${from}_copy`,
    );
    const another = { ...copy, description: "another" };
    await expect(createPipeline(client, another, { cloneFrom: from })).rejects.toThrow(
      `Mage pipeline '${uuid}' already exists on ${client.url}; set adopt: true`,
    );
    const after = (await client.call<any>("GET", "/api/pipelines")).pipelines.map((p: any) => p.uuid).sort();
    expect(after).toEqual(before);

    // A source that is not there: said before anything is made.
    const orphan = pipelineUuid(uniqueName("orphan"));
    await expect(
      createPipeline(client, normalizePipeline({ name: orphan }), { cloneFrom: "no_such_template" }),
    ).rejects.toThrow(`cannot copy Mage pipeline 'no_such_template' on ${client.url}: it does not exist (cloneFrom)`);
    expect(await readPipeline(client, orphan)).toBeUndefined();

    await deletePipeline(client, uuid);
    expect((await raw(from)).blocks.map((b: any) => b.uuid)).toEqual([`${from}_load`]);
    await deletePipeline(client, from);
  });

  it("an update never touches blocks the stack does not declare", async () => {
    const spec = normalizePipeline({ name: uniqueName("shared") });
    const uuid = await createPipeline(client, spec);
    await client.call<any>("POST", `/api/pipelines/${uuid}/blocks`, {
      body: { block: { name: `${uuid}_foreign`, type: "custom", content: "x = 1\n" } },
    });
    await updatePipeline(client, uuid, spec, { ...spec, description: "changed", tags: ["t"] });
    const detail = await client.call<any>("GET", `/api/pipelines/${uuid}`, { query: { includes_content: "false" } });
    expect(detail.pipeline.blocks.map((b: any) => b.uuid)).toEqual([`${uuid}_foreign`]);
    await deletePipeline(client, uuid);
  });

  it("maps Mage's 200-with-error bodies to a not-found error", async () => {
    const err = await client
      .call<any>("PUT", "/api/pipelines/no_such_pipeline_x", { body: { pipeline: { description: "x" } } })
      .catch((e) => e);
    expect(isNotFound(err)).toBe(true);
    expect(err.message).toBe(
      "mage PUT /api/pipelines/no_such_pipeline_x → 500 [500]: Pipeline no_such_pipeline_x does not exist.",
    );
  });
});
