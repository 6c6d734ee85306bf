// The limit the provider is measured against: for each benchmark step, the
// API calls that step needs and nothing else, sent directly with undici at
// the same parallelism as the Pulumi run. Each engine works on objects of its
// own (prefix "base") beside the stack's, on the same server.
import { request } from "undici";
import { MAGE_DEFAULT_API_KEY, rawToken } from "../../provider/backends/mage/client";
import { blockFilePath, pipelineUuid } from "../../provider/backends/mage/names";

export type Step = "create" | "noop" | "preview" | "refresh" | "one" | "ten" | "destroy";

export interface Baseline {
  run(step: Step): Promise<void>;
}

type Call = (method: string, path: string, body?: unknown, query?: Record<string, string>) => Promise<any>;

function caller(base: string, headers: () => Record<string, string>): Call {
  return async (method, path, body, query) => {
    const qs = query ? `?${new URLSearchParams(query)}` : "";
    const res = await request(`${base}${path}${qs}`, {
      method: method as any,
      headers: { ...headers(), ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.body.text();
    if (res.statusCode >= 400)
      throw new Error(`baseline ${method} ${path}: HTTP ${res.statusCode} ${text.slice(0, 200)}`);
    const json = text ? JSON.parse(text) : undefined;
    if (json?.error) throw new Error(`baseline ${method} ${path}: ${JSON.stringify(json.error).slice(0, 200)}`);
    return json;
  };
}

/** Runs fn over items with at most `parallel` in flight. */
export async function pool<T>(items: T[], parallel: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, worker));
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(
  get: () => Promise<any>,
  done: (v: any) => boolean,
  pollMs: number,
  maxPollMs = pollMs,
): Promise<any> {
  for (let delay = pollMs; ; delay = Math.min(delay * 2, maxPollMs)) {
    const v = await get();
    if (done(v)) return v;
    await sleep(delay);
  }
}

/** Per pipeline, Mage needs its writes in series (concurrent block writes race); pipelines run in parallel. */
export function mageBaseline(
  target: { url: string; email: string; password: string },
  n: number,
  parallel: number,
): Baseline {
  let token = "";
  const call = caller(target.url, () => ({
    "x-api-key": MAGE_DEFAULT_API_KEY,
    ...(token ? { "oauth-token": token } : {}),
  }));
  const name = (i: number) => `base-${i}`;
  const block = (i: number, j: number) => `base_${i}_b${j}`;
  const types = ["data_loader", "transformer", "transformer", "data_exporter"];
  const code = (i: number, j: number, edit = "") => `# block ${j} of pipeline ${i}\n${edit}value = ${i * 10 + j}\n`;
  const triggers = new Map<number, number>();
  const revised = (i: number) => i >= n - Math.ceil(n / 10);

  const steps: Record<Step, () => Promise<void>> = {
    create: () =>
      pool(range(n), parallel, async (i) => {
        const uuid = pipelineUuid(name(i));
        await call("POST", "/api/pipelines", {
          pipeline: { name: name(i), type: "python", description: "", tags: ["scale"] },
        });
        await call("POST", `/api/pipelines/${uuid}/variables`, { variable: { name: "index", value: i } });
        for (let j = 0; j < 4; j++) {
          await call("POST", `/api/pipelines/${uuid}/blocks`, {
            block: {
              name: block(i, j),
              type: types[j],
              language: "python",
              content: code(i, j),
              upstream_blocks: j ? [block(i, j - 1)] : [],
              configuration: {},
            },
          });
        }
        const t = await call("POST", `/api/pipelines/${uuid}/pipeline_schedules`, {
          pipeline_schedule: {
            name: "hourly",
            schedule_type: "time",
            schedule_interval: "@hourly",
            start_time: "2031-01-01 00:00:00",
            status: "inactive",
          },
        });
        triggers.set(i, t.pipeline_schedule.id);
        // Mage's create ignores tags.
        await call("PUT", `/api/pipeline_schedules/${t.pipeline_schedule.id}`, {
          pipeline_schedule: { tags: ["scale"] },
        });
      }),
    noop: async () => undefined,
    preview: async () => undefined,
    refresh: async () => {
      await pool(range(n), parallel, async (i) => {
        await call("GET", `/api/pipelines/${pipelineUuid(name(i))}`, undefined, {
          includes_content: "true",
          includes_outputs: "false",
        });
      });
      await call("GET", "/api/pipeline_schedules", undefined, { _limit: "10000" });
    },
    one: async () => {
      await call(
        "PUT",
        `/api/file_contents/${encodeURIComponent(blockFilePath("transformer", block(0, 1), "python"))}`,
        { file_content: { content: code(0, 1, "# touched\n") } },
      );
    },
    ten: () =>
      pool(range(n).filter(revised), parallel, async (i) => {
        await call("PUT", `/api/pipelines/${pipelineUuid(name(i))}`, { pipeline: { description: "revised" } });
        await call(
          "PUT",
          `/api/file_contents/${encodeURIComponent(blockFilePath("transformer", block(i, 2), "python"))}`,
          { file_content: { content: code(i, 2, "# revised\n") } },
        );
        await call("PUT", `/api/pipeline_schedules/${triggers.get(i)}`, {
          pipeline_schedule: { schedule_interval: "@daily" },
        });
      }),
    destroy: () =>
      pool(range(n), parallel, async (i) => {
        // Tags first: on SQLite a deleted trigger's tag rows outlive it (see backends/mage/schedule.ts).
        await call("PUT", `/api/pipeline_schedules/${triggers.get(i)}`, { pipeline_schedule: { tags: [] } });
        await call("DELETE", `/api/pipeline_schedules/${triggers.get(i)}`);
        await call("DELETE", `/api/pipelines/${pipelineUuid(name(i))}`);
      }),
  };
  return {
    async run(step) {
      if (!token)
        token = rawToken(
          (await call("POST", "/api/sessions", { session: { email: target.email, password: target.password } })).session
            .token,
        );
      await steps[step]();
    },
  };
}

/** Create compiles and starts; a SQL change stops, patches, recompiles and starts again; destroy stops, clears, deletes. */
export function felderaBaseline(url: string, n: number, parallel: number, pollMs: number): Baseline {
  const call = caller(url, () => ({}));
  const name = (i: number) => `base-${i}`;
  const sql = (i: number, column = "x INT") => `CREATE TABLE t${i} (${column});`;
  const get = (i: number) => () => call("GET", `/v0/pipelines/${name(i)}`);
  const compiled = (i: number) => until(get(i), (p) => p.program_status === "Success", pollMs);
  const status = (i: number, want: string) => until(get(i), (p) => p.deployment_status === want, pollMs);
  const start = async (i: number) => {
    await call("POST", `/v0/pipelines/${name(i)}/start`, undefined, { initial: "running" });
    await status(i, "Running");
  };
  const change = async (i: number) => {
    await call("POST", `/v0/pipelines/${name(i)}/stop`, undefined, { force: "true" });
    await status(i, "Stopped");
    await call("PATCH", `/v0/pipelines/${name(i)}`, { program_code: sql(i, "x BIGINT") });
    await compiled(i);
    await start(i);
  };
  const steps: Record<Step, () => Promise<void>> = {
    create: () =>
      pool(range(n), parallel, async (i) => {
        await call("POST", "/v0/pipelines", { name: name(i), program_code: sql(i), runtime_config: { workers: 2 } });
        await compiled(i);
        await start(i);
      }),
    noop: async () => undefined,
    preview: async () => undefined,
    refresh: () => pool(range(n), parallel, async (i) => void (await get(i)())),
    one: () => change(0),
    ten: () =>
      pool(
        range(n).filter((i) => i >= n - Math.ceil(n / 10)),
        parallel,
        change,
      ),
    destroy: () =>
      pool(range(n), parallel, async (i) => {
        await call("POST", `/v0/pipelines/${name(i)}/stop`, undefined, { force: "true" });
        await status(i, "Stopped");
        await call("POST", `/v0/pipelines/${name(i)}/clear`);
        await until(get(i), (p) => p.storage_status === "Cleared", pollMs);
        await call("DELETE", `/v0/pipelines/${name(i)}`);
      }),
  };
  return { run: (step) => steps[step]() };
}

/** A run is immutable: a config change submits a new run (and waits for its result) and deletes the old one. */
export function ionworksBaseline(
  target: { url: string; apiKey: string; project: string },
  n: number,
  parallel: number,
  pollMs: number,
): Baseline {
  const call = caller(target.url, () => ({ "x-api-key": target.apiKey }));
  const ids = new Map<number, string>();
  const submit = async (i: number, index: number) => {
    const run = await call("POST", "/pipelines", {
      project_id: target.project,
      name: `base-${i}`,
      description: null,
      options: {},
      elements: { params: { element_type: "entry", values: { index } } },
    });
    await until(
      () => call("GET", `/pipelines/${run.id}`),
      (p) => p.is_terminal,
      pollMs,
      pollMs * 4,
    );
    await call("GET", `/pipelines/${run.id}/result`);
    return run.id as string;
  };
  const rerun = async (i: number) => {
    const old = ids.get(i)!;
    ids.set(i, await submit(i, i + 1000));
    await call("DELETE", `/pipelines/${old}`);
  };
  const steps: Record<Step, () => Promise<void>> = {
    create: () => pool(range(n), parallel, async (i) => void ids.set(i, await submit(i, i))),
    noop: async () => undefined,
    preview: async () => undefined,
    refresh: () => pool(range(n), parallel, async (i) => void (await call("GET", `/pipelines/${ids.get(i)}`))),
    one: () => rerun(0),
    ten: () =>
      pool(
        range(n).filter((i) => i >= n - Math.ceil(n / 10)),
        parallel,
        rerun,
      ),
    destroy: () => pool(range(n), parallel, async (i) => void (await call("DELETE", `/pipelines/${ids.get(i)}`))),
  };
  return { run: (step) => steps[step]() };
}
