// The Ionworks backend against the emulator (test/fakes/ionworks), whose runs
// advance only when the test moves its clock.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type IonworksClient, ionworksClient } from "../../provider/backends/ionworks/client";
import {
  adoptIonworks,
  createIonworks,
  deleteIonworks,
  elementsJson,
  normalizeIonworks,
  readIonworks,
  updateIonworks,
  type WaitOptions,
} from "../../provider/backends/ionworks/pipeline";
import { type IonworksEmulator, keyOrder, startIonworksEmulator } from "../fakes/ionworks/emulator";
import { until } from "../helpers/until";

const KEY = "iw-test-key-5521";
const wait = (w: Partial<WaitOptions> = {}): WaitOptions => ({
  waitFor: "completed",
  timeoutMs: 5_000,
  pollMs: 5,
  maxPollMs: 20,
  ...w,
});
const entry = {
  name: "known",
  type: "entry" as const,
  config: { values: { "Positive electrode thickness [m]": 7.56e-5 } },
};
const fit = {
  name: "fit_ocp",
  type: "data_fit" as const,
  config: {
    objectives: { ocp: { type: "MSMRHalfCell", data: "db:measurement-1" } },
    parameters: { "Positive electrode capacity [A.h]": { initial_value: 5.0, bounds: [4.0, 6.0] } },
  },
};

describe("Ionworks backend (emulator)", () => {
  let emu: IonworksEmulator;
  let client: IonworksClient;

  beforeAll(async () => {
    emu = await startIonworksEmulator({ apiKey: KEY, autoAdvanceMs: 5 });
    client = ionworksClient({ url: emu.url, apiKey: KEY, project: emu.projectId });
  });
  afterAll(() => emu.close());

  it("submits the elements in declared order and waits for the run to complete", async () => {
    const spec = normalizeIonworks({ name: "cathode fit", blocks: [entry, fit] });
    const { id, live } = await createIonworks(client, spec, wait());
    expect(live.status).toBe("completed");
    expect(live.elementStatuses).toEqual({ known: "completed", fit_ocp: "completed" });
    expect(live.result).toEqual({
      "Positive electrode thickness [m]": 7.56e-5,
      "Positive electrode capacity [A.h]": 5.0,
    });
    const elements = await client.call<any>("GET", `/pipelines/${id}/elements`);
    expect(elements.map((e: any) => [e.element_order, e.name, e.element_type])).toEqual([
      [1, "known", "Direct Entry"],
      [2, "fit_ocp", "Data Fit"],
    ]);
    expect((await readIonworks(client, id))!.status).toBe("completed");
  });

  it("keeps the declared order in the JSON text, even where JavaScript would reorder keys", () => {
    const blocks = [
      { name: "b", type: "entry" as const, config: {} },
      { name: "10", type: "entry" as const, config: {} },
      { name: "2", type: "entry" as const, config: {} },
    ];
    expect(keyOrder(`{"elements":${elementsJson(blocks)}}`, "elements")).toEqual(["b", "10", "2"]);
    expect(Object.keys(JSON.parse(elementsJson(blocks)))).toEqual(["2", "10", "b"]); // what JS would have sent
  });

  it("waitFor: submitted returns at once, before the run finishes", async () => {
    const slow = await startIonworksEmulator({ apiKey: KEY });
    try {
      const c = ionworksClient({ url: slow.url, apiKey: KEY, project: slow.projectId });
      const { id, live } = await createIonworks(
        c,
        normalizeIonworks({ name: "async", blocks: [entry] }),
        wait({ waitFor: "submitted" }),
      );
      expect(live.status).toBe("pending");
      slow.advance(3);
      expect((await readIonworks(c, id))!.status).toBe("completed");
    } finally {
      await slow.close();
    }
  });

  it("a failing element fails the create with its error, and the failed run is removed", async () => {
    const bad = { ...fit, config: { ...fit.config, source: "emulator:fail:SOLVER_ERROR:optimizer diverged" } };
    const before = emu.runs.size;
    await expect(
      createIonworks(client, normalizeIonworks({ name: "will fail", blocks: [entry, bad] }), wait()),
    ).rejects.toThrow(
      "Ionworks pipeline 'will fail' failed: element 'fit_ocp' failed (SOLVER_ERROR): optimizer diverged",
    );
    expect(emu.runs.size).toBe(before);
  });

  it("maps a 422 (the schema package's messages) to the declaration's block and field", async () => {
    // The emulator validates with Ionworks' own schema package: these are its words.
    const typo = { name: "fit_ocp", type: "data_fit" as const, config: { objectivs: {} } };
    await expect(
      createIonworks(client, normalizeIonworks({ name: "typo", blocks: [entry, typo] }), wait()),
    ).rejects.toThrow(
      "Ionworks refused pipeline 'typo':\n  blocks[1] 'fit_ocp': Value error, Invalid 'data_fit' element config: DataFit.__init__() missing 1 required positional argument: 'objectives'",
    );
    const stray = { ...entry, name: "stray", config: { ...entry.config, valuez: 1 } };
    await expect(createIonworks(client, normalizeIonworks({ name: "stray", blocks: [stray] }), wait())).rejects.toThrow(
      "Ionworks refused pipeline 'stray':\n  blocks[0] 'stray' config.valuez: Extra inputs are not permitted",
    );
    expect([...emu.runs.values()].filter((r) => r.name === "typo" || r.name === "stray")).toEqual([]);
  });

  it("an interrupted create is taken over by the next one, never submitted twice", async () => {
    // The emulator keeps an element whose source is "emulator:hold" running: the first create times out.
    const held = { ...entry, name: "slow", config: { ...entry.config, source: "emulator:hold" } };
    const spec = normalizeIonworks({ name: "interrupted", blocks: [held] });
    const timedOut = await createIonworks(client, spec, wait({ timeoutMs: 200 })).catch((e) => e);
    expect(timedOut).toBeInstanceOf(Error);
    const posts = () => emu.requests.filter((r) => r.method === "POST" && r.path === "/pipelines").length;
    const [first] = [...emu.runs.values()].filter((r) => r.name === "interrupted");
    // The server may store a config as its schema normalizes it: added keys and another key order still match.
    first.elements[0].job_config = { source: "emulator:hold", values: { ...entry.config.values }, keep: null };
    const before = posts();
    const again = await createIonworks(client, spec, wait({ waitFor: "submitted" }));
    expect(again.id).toBe(first.id);
    expect(posts()).toBe(before);
    // Another configuration under the same name is a new run.
    const other = normalizeIonworks({
      name: "interrupted",
      blocks: [{ ...held, config: { ...held.config, values: { x: 1 } } }],
    });
    const fresh = await createIonworks(client, other, wait({ waitFor: "submitted" }));
    expect(fresh.id).not.toBe(first.id);
    expect(posts()).toBe(before + 1);
    for (const id of [first.id, fresh.id]) await deleteIonworks(client, id);
  });

  it("the emulator serves one element by its id, as the listing shows it", async () => {
    const { id } = await createIonworks(client, normalizeIonworks({ name: "by element", blocks: [entry] }), wait());
    const [listed] = await client.call<any[]>("GET", `/pipelines/${id}/elements`);
    expect(await client.call<any>("GET", `/pipelines/elements/${listed.id}`)).toEqual(listed);
    const gone = await client.call<any>("GET", "/pipelines/elements/no-such-element").catch((e) => e);
    expect(gone.status).toBe(404);
    await deleteIonworks(client, id);
  });

  it("an entry takes the parameters of another completed run", async () => {
    const first = await createIonworks(client, normalizeIonworks({ name: "upstream", blocks: [entry, fit] }), wait());
    const chained = await createIonworks(
      client,
      normalizeIonworks({
        name: "downstream",
        blocks: [{ name: "from_fit", type: "entry", config: { pipelineId: first.id } }],
      }),
      wait(),
    );
    expect(chained.live.result).toEqual(first.live.result);
    expect(emu.runs.get(chained.id)!.elements[0].job_config).toEqual({ pipeline_id: first.id });
  });

  it("name and description change in place with PATCH", async () => {
    const spec = normalizeIonworks({ name: "to rename", blocks: [entry] });
    const { id } = await createIonworks(client, spec, wait());
    emu.requests.splice(0);
    await updateIonworks(client, id, spec, { ...spec, name: "renamed", description: "now described" });
    expect(emu.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`PATCH /pipelines/${id}`]);
    expect(await readIonworks(client, id)).toMatchObject({ name: "renamed", description: "now described" });
  });

  it("delete cancels a run that is still going, then deletes; gone is gone", async () => {
    const slow = await startIonworksEmulator({ apiKey: KEY });
    try {
      const c = ionworksClient({ url: slow.url, apiKey: KEY, project: slow.projectId });
      const { id } = await createIonworks(
        c,
        normalizeIonworks({ name: "running", blocks: [entry, fit] }),
        wait({ waitFor: "submitted" }),
      );
      slow.advance(2);
      slow.requests.splice(0);
      await deleteIonworks(c, id);
      expect(slow.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
        `GET /pipelines/${id}`,
        `POST /pipelines/${id}/cancel`,
        `DELETE /pipelines/${id}`,
      ]);
      expect(slow.runs.has(id)).toBe(false);
      await deleteIonworks(c, id);
      expect(await readIonworks(c, id)).toBeUndefined();
    } finally {
      await slow.close();
    }
  });

  it("lists runs per project with limit/skip, and projects", async () => {
    const page = await client.call<any>("GET", "/pipelines", {
      query: { project_id: emu.projectId, limit: "2", skip: "1" },
    });
    expect(page.pipelines).toHaveLength(2);
    expect(page.total).toBe(emu.runs.size);
    expect((await client.call<any>("GET", "/projects")).items[0].id).toBe(emu.projectId);
  });

  it("a wrong key is a 401 that never echoes the key", async () => {
    const err = await ionworksClient({ url: emu.url, apiKey: "iw-wrong-key-0000" })
      .call<any>("GET", `/pipelines`, { query: { project_id: emu.projectId } })
      .catch((e) => e);
    expect([err.status, err.code]).toEqual([401, "UNAUTHORIZED"]);
    expect(err.message).not.toContain("iw-wrong-key-0000");
  });

  it("refuses to submit without a project", async () => {
    const noProject = ionworksClient({ url: emu.url, apiKey: KEY });
    await expect(createIonworks(noProject, normalizeIonworks({ name: "x", blocks: [entry] }), wait())).rejects.toThrow(
      "no project: set 'project', or the target's project (IONWORKS_PROJECT_ID)",
    );
  });
});

describe("Ionworks adoption (emulator)", () => {
  let emu: IonworksEmulator;
  let client: IonworksClient;
  const writes = () => emu.requests.filter((r) => r.method !== "GET");

  beforeAll(async () => {
    emu = await startIonworksEmulator({ apiKey: KEY, autoAdvanceMs: 5 });
    client = ionworksClient({ url: emu.url, apiKey: KEY, project: emu.projectId });
  });
  afterAll(() => emu.close());

  it("takes over the newest run of the name as it is, with its status and result, and writes nothing", async () => {
    const spec = normalizeIonworks({ name: "adopt me", blocks: [entry, fit] });
    await createIonworks(client, spec, wait());
    const newest = await createIonworks(client, spec, wait());
    emu.requests.splice(0);
    const adopted = await adoptIonworks(client, spec, wait());
    expect(adopted).toEqual(newest);
    expect(writes()).toEqual([]);
    // The server filters by name: one list request however many runs the project has.
    expect(emu.requests.filter((r) => r.path.startsWith("/pipelines?"))).toEqual([
      { method: "GET", path: `/pipelines?project_id=${emu.projectId}&name=eq.adopt+me&limit=100&skip=0` },
    ]);
  });

  it("a description differing is brought in line in place; no run is submitted", async () => {
    const spec = normalizeIonworks({ name: "described", blocks: [entry] });
    const { id } = await createIonworks(client, spec, wait());
    emu.requests.splice(0);
    expect((await adoptIonworks(client, { ...spec, description: "now documented" }, wait()))!.id).toBe(id);
    expect(writes().map((r) => `${r.method} ${r.path}`)).toEqual([`PATCH /pipelines/${id}`]);
    expect(emu.runs.get(id)!.description).toBe("now documented");
  });

  it("refuses a run made with another configuration, naming what differs, and submits nothing", async () => {
    const spec = normalizeIonworks({ name: "other config", blocks: [entry, fit] });
    const { id } = await createIonworks(client, spec, wait());
    const wider = {
      ...fit,
      config: {
        ...fit.config,
        parameters: { "Positive electrode capacity [A.h]": { initial_value: 5.0, bounds: [4.0, 7.0] } },
      },
    };
    emu.requests.splice(0);
    await expect(adoptIonworks(client, { ...spec, blocks: [entry, wider] }, wait())).rejects.toThrow(
      `Ionworks pipeline 'other config': adopt found run ${id}, made with another configuration (blocks[1] 'fit_ocp' config differs); a run cannot be changed: export it again to declare it as it is, or drop adopt to submit a new run`,
    );
    expect(writes()).toEqual([]);
  });

  it("refuses a run that failed, and leaves a name with no run to a normal submit", async () => {
    const failing = normalizeIonworks({
      name: "failed before",
      blocks: [{ ...entry, config: { ...entry.config, source: "emulator:fail:SOLVER_ERROR:diverged" } }],
    });
    const body = JSON.stringify({
      project_id: emu.projectId,
      name: failing.name,
      options: {},
      elements: { known: { element_type: "entry", ...failing.blocks[0].config } },
    });
    const res = await fetch(`${emu.url}/pipelines`, {
      method: "POST",
      headers: { "x-api-key": KEY, "content-type": "application/json" },
      body,
    });
    const failedId = ((await res.json()) as { id: string }).id;
    await until("the run to fail", () => emu.runs.get(failedId)!.status === "failed");
    await expect(adoptIonworks(client, failing, wait())).rejects.toThrow(
      /adopt found run .*, which failed; a run that did not succeed is not taken over: drop adopt to submit a new run/,
    );
    expect(
      await adoptIonworks(client, normalizeIonworks({ name: "never ran", blocks: [entry] }), wait()),
    ).toBeUndefined();
  });
});
