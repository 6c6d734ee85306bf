// A local Ionworks pipelines API emulator, written from the vendor's API
// reference (docs.ionworks.com/api-reference) and its Python SDK
// (ionworks-api: ionworks/pipeline.py, client.py). A pipeline is a run: POST /pipelines
// submits ordered elements that execute in series; only name and description
// can change afterwards.
//
// - `X-API-Key` auth (401 without it); a submitted pipeline is validated by
//   Ionworks' own schema package (schemaCheck.ts), answering FastAPI's 422
//   {"detail":[{type,loc,msg,input}]} with the package's messages;
// - elements kept in the key order of the JSON text, as the Python server
//   parses it (JavaScript would move integer-like keys first);
// - statuses pending → running → completed | failed (with is_terminal and
//   is_failed), advanced by `advance()` or on an automatic clock;
// - an element whose `source` is "emulator:fail:<ERROR_CODE>:<message>"
//   fails with that code, and one whose source is "emulator:hold" runs until
//   canceled, so failure and cancel paths are testable without racing a clock;
// - an entry with `pipeline_id` takes the parameters of that completed run.
import { randomUUID } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { SchemaChecker, type SchemaVerdict } from "./schemaCheck";

export interface IonworksEmulatorOptions {
  apiKey: string;
  /** Advance every run by one step this often (ms); without it, only advance() moves runs. */
  autoAdvanceMs?: number;
}

export interface Run {
  id: string;
  project_id: string;
  name: string;
  description: string | null;
  options: Record<string, unknown>;
  status: "pending" | "running" | "completed" | "failed" | "canceled";
  error: string | null;
  error_code: string | null;
  created_at: string;
  updated_at: string;
  elements: Element[];
}

interface Element {
  id: string;
  name: string;
  element_order: number;
  type: string;
  job_config: Record<string, unknown>;
  status: "pending" | "running" | "completed" | "failed" | "canceled" | "skipped";
  result: Record<string, unknown> | null;
  error: string | null;
  error_code: string | null;
  error_detail: Record<string, unknown> | null;
}

export interface IonworksEmulator {
  url: string;
  projectId: string;
  runs: Map<string, Run>;
  requests: { method: string; path: string }[];
  /** Moves every non-terminal run one step (pending → running → each element → terminal). */
  advance(steps?: number): void;
  close(): Promise<void>;
}

/** Display labels the elements listing shows for each canonical element_type. */
const TYPES: Record<string, string> = {
  entry: "Direct Entry",
  data_fit: "Data Fit",
  array_data_fit: "Array Data Fit",
  calculation: "Calculation",
  validation: "Validation",
  linear_confidence_interval: "Linear Confidence Interval",
  sobol_sensitivity: "Sobol Sensitivity",
};
const TERMINAL = ["completed", "failed", "canceled"];

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(JSON.stringify(body));
  }
}

const validation = (errors: { loc: (string | number)[]; msg: string; type: string }[]) =>
  new HttpError(422, { detail: errors });
const notFound = (what: string) =>
  new HttpError(404, { error_code: "NOT_FOUND", message: `${what} not found`, detail: null });

export async function startIonworksEmulator(opts: IonworksEmulatorOptions): Promise<IonworksEmulator> {
  const runs = new Map<string, Run>();
  const requests: { method: string; path: string }[] = [];
  const projectId = "11111111-2222-3333-4444-555555555555";
  const now = () => new Date().toISOString();

  function step(run: Run): void {
    if (TERMINAL.includes(run.status)) return;
    run.updated_at = now();
    if (run.status === "pending") {
      run.status = "running";
      return;
    }
    const el = run.elements.find((e) => e.status === "pending" || e.status === "running");
    if (!el) return;
    if (el.status === "pending") {
      el.status = "running";
      return;
    }
    if (el.job_config.source === "emulator:hold") return; // runs until canceled
    const failure = failureOf(el, runs);
    if (failure) {
      Object.assign(el, {
        status: "failed",
        error: failure.message,
        error_code: failure.code,
        error_detail: { element: el.name },
      });
      for (const later of run.elements) if (later.status === "pending") later.status = "skipped";
      Object.assign(run, {
        status: "failed",
        error: `Element '${el.name}' failed: ${failure.message}`,
        error_code: failure.code,
      });
      return;
    }
    el.status = "completed";
    el.result = { parameter_values: parameterValues(el, runs) };
    if (run.elements.every((e) => e.status === "completed")) run.status = "completed";
  }

  function advance(steps = 1): void {
    for (let i = 0; i < steps; i++) runs.forEach(step);
  }

  const timer = opts.autoAdvanceMs ? setInterval(() => advance(), opts.autoAdvanceMs) : undefined;
  timer?.unref();

  function create(raw: string, body: any, verdict: SchemaVerdict): Run {
    if (verdict.errors.length) throw new HttpError(422, { detail: verdict.errors });
    const order = keyOrder(raw, "elements");
    if (body.project_id !== projectId)
      throw new HttpError(403, {
        error_code: "FORBIDDEN",
        message: `Project ${body.project_id} is not accessible with this API key`,
        detail: null,
      });
    const t = now();
    const run: Run = {
      id: randomUUID(),
      project_id: body.project_id,
      name: body.name ?? "Untitled pipeline",
      description: body.description ?? null,
      options: body.options,
      status: "pending",
      error: null,
      error_code: null,
      created_at: t,
      updated_at: t,
      elements: order.map((name, i) => {
        const { element_type: _, ...config } = body.elements[name];
        return {
          id: randomUUID(),
          name,
          element_order: i + 1,
          type: verdict.types[name],
          job_config: config,
          status: "pending",
          result: null,
          error: null,
          error_code: null,
          error_detail: null,
        };
      }),
    };
    runs.set(run.id, run);
    return run;
  }

  function get(id: string): Run {
    const run = runs.get(id);
    if (!run) throw notFound(`Pipeline ${id}`);
    return run;
  }

  function route(
    method: string,
    url: URL,
    raw: string,
    body: any,
    verdict?: SchemaVerdict,
  ): { status: number; body: unknown } {
    const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    if (parts[0] === "projects" && parts.length === 1 && method === "GET") {
      return {
        status: 200,
        body: {
          items: [
            {
              id: projectId,
              name: "Emulated project",
              organization_id: "org-1",
              created_at: now(),
              updated_at: now(),
              description: null,
            },
          ],
          count: 1,
          total: 1,
        },
      };
    }
    if (parts[0] !== "pipelines") throw notFound(url.pathname);
    if (parts.length === 1 && method === "POST") return { status: 201, body: detail(create(raw, body, verdict!)) };
    if (parts.length === 1 && method === "GET") {
      if (!url.searchParams.get("project_id"))
        throw validation([{ loc: ["query", "project_id"], msg: "Field required", type: "missing" }]);
      const limit = Number(url.searchParams.get("limit") ?? 100);
      const skip = Number(url.searchParams.get("skip") ?? 0);
      // Filters take PostgREST syntax (name=eq.Foo); a bare value is an exact match. Only eq is emulated.
      const name = url.searchParams.get("name");
      const wanted = name === null ? undefined : name.startsWith("eq.") ? name.slice(3) : name;
      const all = [...runs.values()]
        .filter(
          (r) => r.project_id === url.searchParams.get("project_id") && (wanted === undefined || r.name === wanted),
        )
        .sort((a, b) => b.created_at.localeCompare(a.created_at));
      return { status: 200, body: { pipelines: all.slice(skip, skip + limit).map(summary), total: all.length } };
    }
    if (parts[1] === "elements" && parts.length === 3 && method === "GET") {
      // One element by its id (the API reference's path shape: /pipelines/elements/{element_id}).
      for (const r of runs.values()) {
        const e = r.elements.find((x) => x.id === parts[2]);
        if (e) return { status: 200, body: element(r, e) };
      }
      throw notFound(`Element ${parts[2]}`);
    }
    const run = get(parts[1]);
    if (parts.length === 2 && method === "GET") return { status: 200, body: summary(run) };
    if (parts.length === 2 && method === "PATCH") {
      const extra = Object.keys(body ?? {}).filter((k) => k !== "name" && k !== "description");
      if (extra.length)
        throw validation(
          extra.map((k) => ({ loc: ["body", k], msg: "Extra inputs are not permitted", type: "extra_forbidden" })),
        );
      if (body.name !== undefined) run.name = body.name;
      if (body.description !== undefined) run.description = body.description;
      run.updated_at = now();
      return { status: 200, body: summary(run) };
    }
    if (parts.length === 2 && method === "DELETE") {
      runs.delete(run.id);
      return { status: 200, body: { id: run.id, deleted: true } };
    }
    if (parts[2] === "elements" && method === "GET")
      return { status: 200, body: run.elements.map((e) => element(run, e)) };
    if (parts[2] === "result" && method === "GET") {
      const element_results = Object.fromEntries(run.elements.filter((e) => e.result).map((e) => [e.name, e.result]));
      return {
        status: 200,
        // The SDK's PipelineResponse requires `result` to be a dict: an unfinished run's is empty, never null.
        body: { result: run.status === "completed" ? { parameter_values: mergedValues(run) } : {}, element_results },
      };
    }
    if (parts[2] === "cancel" && method === "POST") {
      if (!TERMINAL.includes(run.status)) {
        run.status = "canceled";
        for (const e of run.elements) if (!TERMINAL.includes(e.status) && e.status !== "skipped") e.status = "canceled";
      }
      return { status: 200, body: summary(run) };
    }
    throw notFound(url.pathname);
  }

  // The helper imports the schema package (pybamm: seconds); it answers one check before the emulator
  // serves, so no client's first submit waits on an import against its own timeout.
  const checker = new SchemaChecker();
  await checker.check({});
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", async () => {
      const url = new URL(req.url ?? "/", "http://emulator");
      requests.push({ method: req.method ?? "GET", path: url.pathname + url.search });
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json", "x-correlation-id": randomUUID() });
        res.end(JSON.stringify(body));
      };
      if (req.headers["x-api-key"] !== opts.apiKey)
        return reply(401, { error_code: "UNAUTHORIZED", message: "Invalid or missing API key", detail: null });
      try {
        const body = raw ? JSON.parse(raw) : undefined;
        const submits = req.method === "POST" && url.pathname.replace(/\/+$/, "") === "/pipelines";
        const verdict = submits ? await checker.check(body) : undefined;
        const out = route(req.method ?? "GET", url, raw, body, verdict);
        reply(out.status, out.body);
      } catch (e) {
        if (e instanceof HttpError) return reply(e.status, e.body);
        if (e instanceof SyntaxError)
          return reply(422, {
            detail: [{ type: "json_invalid", loc: ["body", 0], msg: "JSON decode error", input: {} }],
          });
        reply(500, { error_code: "INTERNAL_ERROR", message: (e as Error).message, detail: null });
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    projectId,
    runs,
    requests,
    advance,
    close: () => {
      if (timer) clearInterval(timer);
      checker.close();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

function summary(run: Run) {
  const { elements, ...rest } = run;
  return {
    ...rest,
    user_id: "user-1",
    organization_id: "org-1",
    created_by_email: "ci@example.com",
    is_terminal: TERMINAL.includes(run.status),
    is_failed: run.status === "failed",
  };
}

function detail(run: Run) {
  return { ...summary(run), elements: run.elements.map((e) => element(run, e)) };
}

function element(run: Run, e: Element) {
  return {
    id: e.id,
    pipeline_id: run.id,
    name: e.name,
    element_order: e.element_order,
    element_type: TYPES[e.type],
    job_config: e.job_config,
    job_id: e.status === "pending" ? null : `job-${e.id.slice(0, 8)}`,
    result: e.result,
    status: e.status,
    error: e.error,
    error_code: e.error_code,
    error_detail: e.error_detail,
    job_status: e.status === "running" ? "processing" : e.status === "pending" ? null : e.status,
    created_at: run.created_at,
    updated_at: run.updated_at,
    organization_id: "org-1",
  };
}

function failureOf(el: Element, runs: Map<string, Run>): { code: string; message: string } | undefined {
  const source = el.job_config.source;
  if (typeof source === "string" && source.startsWith("emulator:fail:")) {
    const [code, ...message] = source.slice("emulator:fail:".length).split(":");
    return { code, message: message.join(":") || "element failed" };
  }
  if (el.type === "entry" && el.job_config.pipeline_id !== undefined) {
    const other = runs.get(String(el.job_config.pipeline_id));
    if (other?.status !== "completed")
      return {
        code: "CONFIGURATION_ERROR",
        message: `Pipeline ${el.job_config.pipeline_id} is not a completed pipeline`,
      };
  }
  return undefined;
}

/** Entries echo their values (or another run's results); fits report each fitted parameter at the middle of its bounds. */
function parameterValues(el: Element, runs: Map<string, Run>): Record<string, unknown> {
  const c = el.job_config as Record<string, any>;
  if (el.type === "entry")
    return c.pipeline_id !== undefined ? mergedValues(runs.get(String(c.pipeline_id))!) : { ...(c.values ?? {}) };
  if (el.type === "data_fit" || el.type === "array_data_fit") {
    return Object.fromEntries(
      Object.entries(c.parameters ?? {}).map(([k, v]: [string, any]) => [
        k,
        v && typeof v === "object" && Array.isArray(v.bounds)
          ? (v.bounds[0] + v.bounds[1]) / 2
          : (v?.initial_value ?? v),
      ]),
    );
  }
  return {};
}

function mergedValues(run: Run): Record<string, unknown> {
  return Object.assign({}, ...run.elements.map((e) => (e.result as any)?.parameter_values ?? {}));
}

/** Keys of the object at top-level `key` in the order they appear in the JSON text. */
export function keyOrder(raw: string, key: string): string[] {
  let i = 0;
  const ws = () => {
    while (/\s/.test(raw[i] ?? "")) i++;
  };
  const str = (): string => {
    const start = i;
    i++;
    while (raw[i] !== '"') i += raw[i] === "\\" ? 2 : 1;
    i++;
    return JSON.parse(raw.slice(start, i));
  };
  const skipValue = (): void => {
    ws();
    const c = raw[i];
    if (c === '"') return void str();
    if (c === "{" || c === "[") {
      const close = c === "{" ? "}" : "]";
      i++;
      ws();
      if (raw[i] === close) return void i++;
      for (;;) {
        if (c === "{") {
          ws();
          str();
          ws();
          i++; // :
        }
        skipValue();
        ws();
        if (raw[i++] === close) return;
      }
    }
    while (i < raw.length && !/[,}\]\s]/.test(raw[i])) i++;
  };
  ws();
  if (raw[i] !== "{") return [];
  i++;
  for (;;) {
    ws();
    if (raw[i] === "}") return [];
    const k = str();
    ws();
    i++; // :
    ws();
    if (k === key && raw[i] === "{") {
      const keys: string[] = [];
      i++;
      for (;;) {
        ws();
        if (raw[i] === "}") return keys;
        keys.push(str());
        ws();
        i++; // :
        skipValue();
        ws();
        if (raw[i++] === "}") return keys;
      }
    }
    skipValue();
    ws();
    if (raw[i++] === "}") return [];
  }
}
