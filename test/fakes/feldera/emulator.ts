// A local Feldera pipeline-manager emulator, written from the engine's source
// (crates/pipeline-manager: pipeline_management.rs, db/operations/pipeline.rs,
// db/error.rs; crates/feldera-types/src/config.rs) and checked against
// Feldera's OpenAPI (test/fixtures/feldera/openapi.json): every response is
// validated before it is sent, and any mismatch is recorded in `violations`.
//
// What it reproduces: defaults filled into runtime_config/program_config and
// unknown keys dropped; compilation Pending → CompilingSql → SqlCompiled →
// CompilingRust → Success, or SqlError with line/column for a statement it
// cannot parse; the lifecycle (start/pause/resume/stop?force/clear); updates
// refused while running or, for storage-bound fields, while storage is in
// use; delete only when stopped and cleared; {message, error_code, details}.
// Deployment errors (db/operations/pipeline.rs, storage_postgres.rs): a
// failure sets the desired status to Stopped and keeps `deployment_error`
// until `/dismiss_error` or a `/start` (dismiss_error defaults to true).
// Bootstrapping (adapters/src/controller.rs): an Enterprise pipeline with fault
// tolerance checkpoints while running; started again from a checkpoint whose
// program differs, it bootstraps the changed views as its bootstrap_policy says
// (await_approval, the default: AwaitingApproval until `/approve`; allow;
// reject: a deployment error). The Open source edition has no checkpoints.
import { randomUUID } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { checkComponent, FelderaResponseValidator } from "./openapi";

export interface FelderaEmulatorOptions {
  /** Require `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** Reported by /v0/config. */
  version?: string;
  /** Milliseconds per state-machine step (compile phases, provisioning, stopping, clearing). */
  stepMs?: number;
  /** "Enterprise" accepts fault tolerance and checkpoints (and so bootstraps); the default is "Open source". */
  edition?: "Open source" | "Enterprise";
}

export interface FelderaEmulator {
  url: string;
  /** Responses that did not match the OpenAPI document (must stay empty). */
  violations: string[];
  requests: { method: string; path: string }[];
  /** Direct access for tests that change things "out of band". */
  pipelines: Map<string, Pipeline>;
  /** A running pipeline fails as a crashed container does: stopped, with a deployment error. */
  crash(name: string, reason?: string): void;
  /**
   * Compiler trouble while set: a SystemError (the compiler itself failed) or
   * a compile that never leaves CompilingRust. A Rust UDF holding
   * `compile_error!("…")` fails with RustError without it.
   */
  faults: { compile?: { status: "SystemError"; message: string } | { status: "hang" } };
  close(): Promise<void>;
}

const NAME = /^([A-Za-z0-9][-A-Za-z0-9_]*)?[A-Za-z0-9]$/;
const PROGRAM_WAIT = ["Pending", "CompilingSql", "SqlCompiled", "CompilingRust"];
const STORAGE_BOUND_RUNTIME = ["workers", "hosts", "fault_tolerance", "clock_timezone_offset"];
const STORAGE_BOUND_RESOURCES = ["storage_mb_max", "namespace", "storage_class"];

const RUNTIME_DEFAULTS = () => ({
  workers: 8,
  max_rss_mb: null,
  datafusion_memory_mb: null,
  hosts: 1,
  storage: storageDefaults(),
  fault_tolerance: { model: "none", checkpoint_interval_secs: 60 },
  cpu_profiler: true,
  tracing: false,
  tracing_endpoint_jaeger: "127.0.0.1:6831",
  min_batch_size_records: 0,
  max_buffering_delay_usecs: 0,
  resources: {
    cpu_cores_min: null,
    cpu_cores_max: null,
    memory_mb_min: null,
    memory_mb_max: null,
    storage_mb_max: null,
    storage_class: null,
    service_account_name: null,
    namespace: null,
  },
  clock_resolution_usecs: 1000000,
  clock_timezone_offset: null,
  pin_cpus: [],
  provisioning_timeout_secs: null,
  max_parallel_connector_init: null,
  init_containers: null,
  checkpoint_during_suspend: true,
  http_workers: null,
  io_workers: null,
  env: {},
  dev_tweaks: {},
  logging: null,
  pipeline_template_configmap: null,
});
const storageDefaults = () => ({
  backend: { name: "default" },
  min_storage_bytes: null,
  min_step_storage_bytes: null,
  compression: "default",
  cache_mib: null,
});
const PROGRAM_DEFAULTS = () => ({ profile: null, cache: true, runtime_version: null, use_platform_compiler: false });

export interface Pipeline {
  id: string;
  name: string;
  description: string;
  tags: string[];
  created_at: string;
  version: number;
  platform_version: string;
  runtime_config: Record<string, any>;
  program_code: string;
  udf_rust: string;
  udf_toml: string;
  program_config: Record<string, any>;
  program_version: number;
  program_status: string;
  program_status_since: string;
  program_error: { sql_compilation: any; rust_compilation: any; system_error: any };
  program_info: any;
  refresh_version: number;
  storage_status: "Cleared" | "InUse" | "Clearing";
  deployment_error: any;
  deployment_initial: "running" | "paused" | null;
  /** The start's bootstrap policy, kept until the pipeline is stopped (it cannot change meanwhile). */
  bootstrap_policy: "allow" | "reject" | "await_approval" | null;
  /** The program the last checkpoint was made with (Enterprise, fault tolerance on); null with none. */
  checkpoint: string | null;
  /** What the user asked for (Stopped | Running | Paused) and where the resources are. */
  desired: "Stopped" | "Running" | "Paused";
  resources: "Stopped" | "Provisioning" | "Provisioned" | "Stopping";
  runtime: "Initializing" | "AwaitingApproval" | "Bootstrapping" | "Running" | "Paused" | null;
  since: Record<string, string>;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = null,
  ) {
    super(message);
  }
}

/**
 * A body actix's `web::Json<T>` extractor cannot deserialize into the request's struct (a missing field, a wrong
 * type): the pipeline manager sets no JsonConfig error handler, so actix answers 400 with its own plain text, not
 * a Feldera error body.
 */
class JsonDeserializeError extends Error {
  constructor(reason: string) {
    super(`Json deserialize error: ${reason}`);
  }
}

/** actix's answer to a body it cannot read as JSON or deserialize. */
function sendDeserializeError(res: http.ServerResponse, message: string): void {
  res.writeHead(400, { "content-type": "text/plain; charset=utf-8" });
  res.end(message);
}

export async function startFelderaEmulator(opts: FelderaEmulatorOptions = {}): Promise<FelderaEmulator> {
  const validator = new FelderaResponseValidator();
  const pipelines = new Map<string, Pipeline>();
  const violations: string[] = [];
  const requests: { method: string; path: string }[] = [];
  const stepMs = opts.stepMs ?? 20;
  const faults: FelderaEmulator["faults"] = {};
  const now = () => new Date().toISOString();

  const tick = setInterval(() => pipelines.forEach(advance), stepMs);
  tick.unref();

  function advance(p: Pipeline): void {
    // Compilation, one phase per step.
    const next: Record<string, string> = {
      Pending: "CompilingSql",
      CompilingSql: "SqlCompiled",
      SqlCompiled: "CompilingRust",
      CompilingRust: "Success",
    };
    if (p.program_status === "CompilingSql") {
      const messages = sqlErrors(p.program_code);
      if (messages.length) {
        setProgram(p, "SqlError");
        p.program_error = { sql_compilation: { exit_code: 1, messages }, rust_compilation: null, system_error: null };
        return;
      }
    }
    if (p.program_status === "CompilingRust" && rustFails(p)) return;
    if (next[p.program_status]) {
      setProgram(p, next[p.program_status]);
      if (p.program_status === "SqlCompiled")
        p.program_error = {
          sql_compilation: { exit_code: 0, messages: [] },
          rust_compilation: null,
          system_error: null,
        };
      if (p.program_status === "Success") {
        p.program_error.rust_compilation = { exit_code: 0, stdout: "", stderr: "" };
        p.program_info = programInfo(p.program_code);
      }
    }
    // Resources and runtime (runner/pipeline_automata.rs).
    if (p.desired !== "Stopped") {
      if (p.resources === "Stopped") {
        // Provisioning waits for a successful compile; a failed one stops the start with an error.
        if (p.program_status === "Success") set(p, "resources", "Provisioning");
        else if (!PROGRAM_WAIT.includes(p.program_status))
          fail(p, {
            message: "Not possible to start the pipeline because the program failed to compile",
            error_code: "StartFailedDueToFailedCompilation",
            details: { compiler_error: `${p.program_status} occurred (see \`program_error\` for more information)` },
          });
      } else if (p.resources === "Provisioning") {
        set(p, "resources", "Provisioned");
        p.runtime = "Initializing";
        p.storage_status = "InUse";
      } else if (p.resources === "Provisioned") initialize(p);
    } else if (p.resources === "Provisioning" || p.resources === "Provisioned") {
      set(p, "resources", "Stopping");
    } else if (p.resources === "Stopping") {
      set(p, "resources", "Stopped");
      p.runtime = null;
      p.deployment_initial = null;
      p.bootstrap_policy = null;
    }
    if (p.storage_status === "Clearing") {
      p.storage_status = "Cleared";
      p.checkpoint = null;
    }
  }

  /** A provisioned pipeline: from a checkpoint of another program it bootstraps as its policy says, then runs. */
  function initialize(p: Pipeline): void {
    if (p.runtime === "Initializing" && p.checkpoint !== null && p.checkpoint !== programOf(p)) {
      if (p.bootstrap_policy === "reject")
        fail(p, {
          message: "Bootstrapping of the modified pipeline was rejected by the user.",
          error_code: "BootstrapRejected",
          details: null,
        });
      else p.runtime = p.bootstrap_policy === "allow" ? "Bootstrapping" : "AwaitingApproval";
      return;
    }
    if (p.runtime === "AwaitingApproval") {
      if (p.bootstrap_policy === "allow") p.runtime = "Bootstrapping";
      return;
    }
    p.runtime = p.desired as "Running" | "Paused";
    // The periodic checkpointer (fault tolerance, Enterprise only) records the running program.
    const ft = p.runtime_config.fault_tolerance;
    if (opts.edition === "Enterprise" && ft && ft.model !== "none") p.checkpoint = programOf(p);
  }

  /** What the runner does with a failure: desired Stopped, the error kept, resources wound down. */
  function fail(p: Pipeline, error: { message: string; error_code: string; details: unknown }): void {
    p.deployment_error = error;
    p.desired = "Stopped";
    p.since.desired = now();
    if (p.resources === "Provisioning" || p.resources === "Provisioned") set(p, "resources", "Stopping");
    else {
      p.deployment_initial = null;
      p.bootstrap_policy = null;
    }
  }

  /** The Rust phase's failures; true when the program stays where it is or failed. */
  function rustFails(p: Pipeline): boolean {
    const fault = faults.compile;
    if (fault?.status === "hang") return true;
    if (fault?.status === "SystemError") {
      setProgram(p, "SystemError");
      p.program_error.system_error = fault.message;
      return true;
    }
    const udf = /compile_error!\("([^"]*)"\)/.exec(p.udf_rust);
    if (!udf) return false;
    setProgram(p, "RustError");
    p.program_error.rust_compilation = {
      exit_code: 101,
      stdout: "",
      stderr: `error: ${udf[1]}\n --> udf/src/udf.rs\n\nerror: could not compile \`feldera_pipe_${p.id.replace(/-/g, "_")}\` due to 1 previous error\n`,
    };
    return true;
  }

  function set(p: Pipeline, key: "resources", value: Pipeline["resources"]) {
    p[key] = value;
    p.since.resources = now();
  }

  function setProgram(p: Pipeline, status: string) {
    p.program_status = status;
    p.program_status_since = now();
  }

  function combinedStatus(p: Pipeline): string {
    if (p.resources === "Stopped") return "Stopped";
    if (p.resources === "Stopping") return "Stopping";
    if (p.resources === "Provisioning") return "Provisioning";
    return p.runtime ?? "Initializing";
  }

  function present(p: Pipeline, selector = "all") {
    const stopped = p.resources === "Stopped";
    const base: Record<string, unknown> = {
      id: p.id,
      name: p.name,
      description: p.description,
      tags: p.tags,
      created_at: p.created_at,
      version: p.version,
      platform_version: p.platform_version,
      program_config: p.program_config,
      program_version: p.program_version,
      program_status: p.program_status,
      program_status_since: p.program_status_since,
      refresh_version: p.refresh_version,
      storage_status: p.storage_status,
      storage_status_details: null,
      deployment_id: stopped ? null : p.id,
      deployment_initial:
        stopped || !p.deployment_initial ? null : p.deployment_initial === "paused" ? "Paused" : "Running",
      deployment_error: p.deployment_error,
      deployment_status: combinedStatus(p),
      deployment_status_since: p.since.resources,
      deployment_desired_status: p.desired,
      deployment_desired_status_since: p.since.desired,
      deployment_resources_status: p.resources,
      deployment_resources_status_details: null,
      deployment_resources_status_since: p.since.resources,
      deployment_resources_desired_status: p.desired === "Stopped" ? "Stopped" : "Provisioned",
      deployment_resources_desired_status_since: p.since.desired,
      deployment_runtime_status: p.runtime,
      deployment_runtime_status_details: null,
      deployment_runtime_status_since: p.runtime ? p.since.resources : null,
      deployment_runtime_desired_status: p.runtime && p.desired !== "Stopped" ? p.desired : null,
      deployment_runtime_desired_status_since: p.runtime && p.desired !== "Stopped" ? p.since.desired : null,
    };
    if (selector === "status") return base;
    return {
      ...base,
      runtime_config: p.runtime_config,
      program_code: p.program_code,
      udf_rust: p.udf_rust,
      udf_toml: p.udf_toml,
      program_error: p.program_error,
      program_info: p.program_info,
    };
  }

  function find(name: string): Pipeline {
    const p = pipelines.get(name);
    if (!p) throw new ApiError(404, "UnknownPipelineName", `Unknown pipeline name '${name}'`, { pipeline_name: name });
    return p;
  }

  /** Actions forwarded to the pipeline process need it provisioned (runner/interaction.rs). */
  function requireProvisioned(p: Pipeline, name: string): void {
    if (p.resources !== "Provisioned")
      throw new ApiError(
        503,
        "PipelineInteractionNotDeployed",
        `Unable to interact with pipeline because the deployment status (${combinedStatus(p).toLowerCase()}) indicates it is not (yet) fully provisioned pipeline-id=N/A pipeline-name="${name}"`,
        { pipeline_name: name, status: combinedStatus(p), desired_status: "Provisioned" },
      );
  }

  function fullyStopped(p: Pipeline) {
    return p.resources === "Stopped" && p.desired === "Stopped";
  }

  function create(body: any): Pipeline {
    if (typeof body?.name !== "string" || typeof body?.program_code !== "string")
      throw new JsonDeserializeError("missing field `name` or `program_code`");
    if (!NAME.test(body.name) || body.name.length > 63) {
      throw new ApiError(
        400,
        "NameDoesNotMatchPattern",
        `Name '${body.name}' should be non-empty and only contain lowercase (a-z), uppercase (A-Z), number (0-9), underscore (_) or hyphen (-) characters, but cannot start or end with hyphen or underscore (pattern: '${NAME.source}')`,
        {
          name: body.name,
          pattern: NAME.source,
          pattern_description:
            "be non-empty and only contain lowercase (a-z), uppercase (A-Z), number (0-9), underscore (_) or hyphen (-) characters, but cannot start or end with hyphen or underscore",
        },
      );
    }
    validateTags(body.tags ?? []);
    if (pipelines.has(body.name)) throw new ApiError(409, "DuplicateName", "An entity with this name already exists");
    const t = now();
    const p: Pipeline = {
      id: randomUUID(),
      name: body.name,
      description: body.description ?? "",
      tags: body.tags ?? [],
      created_at: t,
      version: 1,
      platform_version: opts.version ?? "0.337.0",
      runtime_config: fillRuntime(body.runtime_config ?? {}, opts.edition),
      program_code: body.program_code,
      udf_rust: body.udf_rust ?? "",
      udf_toml: body.udf_toml ?? "",
      program_config: fillProgram(body.program_config ?? {}),
      program_version: 1,
      program_status: "Pending",
      program_status_since: t,
      program_error: { sql_compilation: null, rust_compilation: null, system_error: null },
      program_info: null,
      refresh_version: 1,
      storage_status: "Cleared",
      deployment_error: null,
      deployment_initial: null,
      bootstrap_policy: null,
      checkpoint: null,
      desired: "Stopped",
      resources: "Stopped",
      runtime: null,
      since: { resources: t, desired: t },
    };
    pipelines.set(p.name, p);
    return p;
  }

  function update(p: Pipeline, body: any, replace: boolean): Pipeline {
    if (body.tags != null) validateTags(body.tags);
    const next = {
      name: body.name ?? p.name,
      description: body.description ?? (replace ? "" : p.description),
      tags: body.tags ?? (replace ? [] : p.tags),
      program_code: body.program_code ?? p.program_code,
      udf_rust: body.udf_rust ?? (replace ? "" : p.udf_rust),
      udf_toml: body.udf_toml ?? (replace ? "" : p.udf_toml),
      program_config:
        body.program_config != null ? fillProgram(body.program_config) : replace ? fillProgram({}) : p.program_config,
      runtime_config:
        body.runtime_config != null
          ? fillRuntime(body.runtime_config, opts.edition)
          : replace
            ? fillRuntime({}, opts.edition)
            : p.runtime_config,
    };
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => !same(next[k], p[k]));
    // PUT moves the pipeline to the server's platform version: a recompile only when that differs
    // (update_pipeline in db/operations/pipeline.rs); an identical PUT changes nothing.
    const bump = replace && p.platform_version !== (opts.version ?? "0.337.0");
    const core = changed.filter((k) => k !== "description" && k !== "tags");
    if ((core.length || bump) && !fullyStopped(p)) {
      throw new ApiError(
        400,
        "UpdateRestrictedToStopped",
        "Pipeline can only be updated while stopped. Stop it first by invoking '/stop'.",
      );
    }
    const notAllowed: string[] = [];
    if (changed.includes("name")) notAllowed.push("`name`");
    for (const k of STORAGE_BOUND_RUNTIME)
      if (!same(next.runtime_config[k], p.runtime_config[k])) notAllowed.push(`\`runtime_config.${k}\``);
    for (const k of STORAGE_BOUND_RESOURCES)
      if (!same(next.runtime_config.resources?.[k], p.runtime_config.resources?.[k]))
        notAllowed.push(`\`runtime_config.resources.${k}\``);
    if (notAllowed.length && p.storage_status !== "Cleared") {
      throw new ApiError(
        400,
        "EditRestrictedToClearedStorage",
        `The following pipeline edits are not allowed while storage is not cleared: ${notAllowed.join(", ")}`,
        { not_allowed: notAllowed },
      );
    }
    if (next.name !== p.name && pipelines.has(next.name))
      throw new ApiError(409, "DuplicateName", "An entity with this name already exists");
    const programChanged =
      bump || changed.some((k) => ["program_code", "udf_rust", "udf_toml", "program_config"].includes(k));
    pipelines.delete(p.name);
    Object.assign(p, next);
    pipelines.set(p.name, p);
    if (core.length) {
      p.version++;
      p.refresh_version++;
    }
    if (programChanged) {
      p.program_version++;
      setProgram(p, "Pending");
      p.program_error = { sql_compilation: null, rust_compilation: null, system_error: null };
      p.program_info = null;
    }
    return p;
  }

  /**
   * GET /v0/pipelines/{name}/query (ad-hoc SQL, forwarded to the pipeline process): the emulator runs no SQL, so it
   * answers the one statement shape a reader of a view sends, `SELECT * FROM <relation> LIMIT n`, with that
   * relation's rows, which are none (nothing is ever ingested here); Feldera queries only tables and materialized
   * views. Anything else is refused as the emulator's limit, never answered wrongly.
   */
  function adHocQuery(p: Pipeline, name: string, url: URL): string {
    const format = url.searchParams.get("format");
    const sql = url.searchParams.get("sql");
    if (sql === null || !["text", "json", "parquet", "arrow_ipc", "hash"].includes(format ?? ""))
      throw new ApiError(400, "InvalidQuery", "Query deserialize error: missing field `sql` or an unknown `format`");
    requireProvisioned(p, name);
    const m = /^\s*select\s+\*\s+from\s+("?)([A-Za-z_][\w]*)\1\s+limit\s+\d+\s*;?\s*$/i.exec(sql);
    if (!m)
      throw new ApiError(400, "EmulatorUnsupportedQuery", `the emulator answers SELECT * FROM <relation> LIMIT n only`);
    const relation = m[2].toLowerCase();
    const queryable = [...p.program_code.matchAll(/CREATE\s+(?:TABLE|MATERIALIZED\s+VIEW)\s+([A-Za-z_][\w]*)/gi)].map(
      (x) => x[1].toLowerCase(),
    );
    if (!queryable.includes(relation))
      throw new ApiError(
        400,
        "SqlError",
        `Error during planning: table '${relation}' not found (ad-hoc queries see tables and materialized views)`,
      );
    return "";
  }

  function route(
    method: string,
    url: URL,
    body: any,
  ): { status: number; body?: unknown; route: string; text?: string } {
    const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    if (parts[0] !== "v0") throw new ApiError(404, "NotFound", `no route ${url.pathname}`);
    if (parts[1] === "config" && method === "GET" && parts.length === 2) {
      return {
        route: "/v0/config",
        status: 200,
        body: configuration(opts.version ?? "0.337.0", opts.edition ?? "Open source"),
      };
    }
    if (parts[1] === "validate_program" && method === "POST") {
      const messages = sqlErrors(String(body?.program_code ?? ""));
      return {
        route: "/v0/validate_program",
        status: 200,
        body: messages.length
          ? { SqlError: { info: { exit_code: 1, messages } } }
          : { Success: { program_info: programInfo(body.program_code) } },
      };
    }
    if (parts[1] !== "pipelines") throw new ApiError(404, "NotFound", `no route ${url.pathname}`);
    const selector = url.searchParams.get("selector") ?? "all";
    if (parts.length === 2) {
      if (method === "GET")
        return { route: "/v0/pipelines", status: 200, body: [...pipelines.values()].map((p) => present(p, selector)) };
      if (method === "POST") return { route: "/v0/pipelines", status: 201, body: present(create(body)) };
    }
    const name = parts[2];
    if (parts.length === 3) {
      const r = "/v0/pipelines/{pipeline_name}";
      if (method === "GET") return { route: r, status: 200, body: present(find(name), selector) };
      if (method === "PATCH") return { route: r, status: 200, body: present(update(find(name), body ?? {}, false)) };
      if (method === "PUT") {
        const existing = pipelines.get(name);
        if (!existing && body?.name !== undefined && body.name !== name)
          throw new ApiError(
            400,
            "CannotRenameNonExistingPipeline",
            "The pipeline name in the request body does not match the one provided in the URL path. This is not allowed when no pipeline with the name provided in the URL path exists.",
          );
        if (!existing) return { route: r, status: 201, body: present(create({ ...body, name })) };
        return { route: r, status: 200, body: present(update(existing, body ?? {}, true)) };
      }
      if (method === "DELETE") {
        const p = find(name);
        if (!fullyStopped(p))
          throw new ApiError(
            400,
            "DeleteRestrictedToFullyStopped",
            "Cannot delete a pipeline which is not fully stopped. Stop the pipeline first fully by invoking the '/stop' endpoint.",
          );
        if (p.storage_status !== "Cleared")
          throw new ApiError(
            400,
            "DeleteRestrictedToClearedStorage",
            "Cannot delete pipeline unless its storage is cleared. Clear storage first using `/clear`.",
          );
        pipelines.delete(name);
        return { route: r, status: 200 };
      }
    }
    if (parts.length === 4 && method === "GET" && parts[3] === "query")
      return { route: "/v0/pipelines/{pipeline_name}/query", status: 200, text: adHocQuery(find(name), name, url) };
    if (parts.length === 4 && method === "POST") {
      const action = parts[3];
      const r = `/v0/pipelines/{pipeline_name}/${action}`;
      const p = find(name);
      switch (action) {
        case "start": {
          // set_deployment_resources_desired_status (db/operations/pipeline.rs) and its transition rules.
          const initial = url.searchParams.get("initial") ?? "running";
          if (initial !== "running" && initial !== "paused")
            throw new ApiError(
              400,
              initial === "standby" ? "InitialStandbyNotAllowed" : "UnsupportedPipelineAction",
              initial === "standby"
                ? "Initial desired runtime status can only be standby if the storage backend is a file backend with sync configured."
                : `Action '/start?initial=${initial}' is not supported: unknown initial runtime desired status: ${initial}`,
            );
          const policy = (url.searchParams.get("bootstrap_policy") ?? "await_approval") as Pipeline["bootstrap_policy"];
          if (!["allow", "reject", "await_approval"].includes(policy!))
            throw new ApiError(400, "InvalidQueryParameter", `Query deserialize error: unknown variant \`${policy}\``);
          const error = url.searchParams.get("dismiss_error") === "false" ? p.deployment_error : null;
          if (p.desired === "Stopped" && p.resources !== "Stopped") {
            throw new ApiError(
              400,
              "IllegalPipelineAction",
              "Deployment resources status (current: 'Stopping', desired: 'Stopped') cannot have desired changed to 'Provisioned'. Cannot restart the pipeline while it is stopping. Wait until it is stopped before starting the pipeline again.",
              {
                status: "Stopping",
                current_desired_status: "Stopped",
                new_desired_status: "Provisioned",
                hint: "Cannot restart the pipeline while it is stopping. Wait until it is stopped before starting the pipeline again.",
              },
            );
          }
          if (error)
            throw new ApiError(
              400,
              "CannotStartWithUndismissedError",
              "Cannot process `/start?dismiss_error=false` if the `deployment_error` is set. You can dismiss the error by calling `/start?dismiss_error=true`, or alternatively first call `/dismiss_error`, after which `/start?dismiss_error=false` is again possible.",
            );
          if (p.storage_status === "Clearing")
            throw new ApiError(
              400,
              "CannotStartWhileClearingStorage",
              "Cannot process `/start` if the `storage_status` is `Clearing`. Wait for the storage to become cleared before trying again.",
            );
          if (["SqlError", "RustError", "SystemError"].includes(p.program_status))
            throw new ApiError(
              400,
              "CannotStartWithCompilationError",
              "Cannot process `/start` if the `program_status` is `SqlError`, `RustError` or `SystemError`. Make changes to fix the error, which will trigger recompilation.",
            );
          if (p.deployment_initial && p.deployment_initial !== initial)
            throw new ApiError(
              400,
              "InitialImmutableUnlessStopped",
              "Initial desired runtime status cannot be changed unless the pipeline is desired to become Stopped.",
            );
          if (p.bootstrap_policy && p.bootstrap_policy !== policy)
            throw new ApiError(
              400,
              "BootstrapPolicyImmutableUnlessStopped",
              "Bootstrap policy cannot be changed unless the pipeline is desired to become Stopped.",
            );
          p.deployment_error = error;
          p.deployment_initial = initial;
          p.bootstrap_policy = policy;
          if (p.desired === "Stopped") {
            p.desired = initial === "paused" ? "Paused" : "Running";
            p.since.desired = now();
          }
          return { route: r, status: 202, body: "Pipeline is starting" };
        }
        case "dismiss_error":
          if (p.deployment_error && !fullyStopped(p))
            throw new ApiError(
              400,
              "DismissErrorRestrictedToFullyStopped",
              "The pipeline must have both status `Stopped` and desired status `Stopped` to dismiss the `deployment_error` if it is set.",
            );
          p.deployment_error = null;
          return { route: r, status: 200, body: "Pipeline deployment error has been dismissed" };
        case "approve":
          // Forwarded to the pipeline process (adapters/src/server.rs `approve`): it allows bootstrapping.
          requireProvisioned(p, name);
          p.bootstrap_policy = "allow";
          if (p.runtime === "AwaitingApproval") p.runtime = "Bootstrapping";
          return { route: r, status: 200, body: "Bootstrap approved" };
        case "stop":
          if (url.searchParams.get("force") !== "true" && opts.edition === "Enterprise") {
            // Checkpoint, then stop (the Suspending phase is not modelled).
            if (p.resources === "Provisioned") p.checkpoint = programOf(p);
          } else if (url.searchParams.get("force") !== "true") {
            throw new ApiError(
              501,
              "EnterpriseFeature",
              "Cannot use enterprise-only feature (stop?force=false) in Feldera community edition.",
              { feature: "stop?force=false" },
            );
          }
          if (p.desired !== "Stopped") {
            p.desired = "Stopped";
            p.since.desired = now();
          }
          return { route: r, status: 202, body: "Pipeline is forcefully stopping" };
        case "pause":
        case "resume":
          requireProvisioned(p, name);
          p.desired = action === "pause" ? "Paused" : "Running";
          p.since.desired = now();
          return { route: r, status: 202, body: action === "pause" ? "Pipeline is pausing" : "Pipeline is resuming" };
        case "clear":
          if (!fullyStopped(p))
            throw new ApiError(
              400,
              "StorageStatusImmutableUnlessStopped",
              "Storage can only be cleared while the pipeline is stopped",
            );
          if (p.storage_status === "InUse") p.storage_status = "Clearing";
          return { route: r, status: 202, body: "Pipeline storage is being cleared" };
      }
    }
    throw new ApiError(404, "NotFound", `no route ${method} ${url.pathname}`);
  }

  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://emulator");
      requests.push({ method: req.method ?? "GET", path: url.pathname + url.search });
      const send = (status: number, body: unknown, routeName?: string, method = req.method ?? "GET") => {
        if (routeName && status !== 401) {
          const problem = validator.check(method, routeName, status, body);
          if (problem) violations.push(problem);
        }
        if (body === undefined) {
          res.writeHead(status);
          return res.end();
        }
        res.writeHead(status, {
          "content-type": "application/json",
          ...(status === 503 ? { "retry-after": "1" } : {}),
        });
        res.end(JSON.stringify(body));
      };
      if (opts.apiKey && req.headers.authorization !== `Bearer ${opts.apiKey}`) {
        return send(401, {
          message: "Unauthorized: a valid API key or token is required",
          error_code: "AuthenticationFailed",
          details: null,
        });
      }
      let body: any;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        return sendDeserializeError(res, "Json deserialize error: expected value");
      }
      let routeName: string | undefined;
      try {
        const out = route(req.method ?? "GET", url, body);
        routeName = out.route;
        if (out.text !== undefined) {
          const problem = validator.check(req.method ?? "GET", out.route, out.status, out.text);
          if (problem) violations.push(problem);
          res.writeHead(out.status, { "content-type": "text/plain" });
          return res.end(out.text);
        }
        send(out.status, out.body, out.route);
      } catch (e) {
        if (e instanceof JsonDeserializeError) return sendDeserializeError(res, e.message);
        if (!(e instanceof ApiError)) throw e;
        routeName = routeFor(url.pathname);
        send(
          e.status,
          { message: e.message, error_code: e.code, details: e.details },
          e.status === 404 && e.code === "NotFound" ? undefined : routeName,
        );
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    violations,
    requests,
    pipelines,
    faults,
    crash(name, reason = "the pipeline process exited unexpectedly") {
      const p = find(name);
      if (p.resources !== "Provisioned") throw new Error(`crash: pipeline '${name}' is not running`);
      fail(p, {
        message: `Pipeline check failed: compute and/or storage resources encountered a fatal error.\n\n${reason}`,
        error_code: "RunnerCheckError",
        details: { error: reason },
      });
    },
    close: () => {
      clearInterval(tick);
      return new Promise((r) => server.close(() => r()));
    },
  };
}

function routeFor(pathname: string): string {
  const parts = pathname.split("/").filter(Boolean);
  if (parts[1] === "pipelines" && parts.length === 3) return "/v0/pipelines/{pipeline_name}";
  if (parts[1] === "pipelines" && parts.length === 4) return `/v0/pipelines/{pipeline_name}/${parts[3]}`;
  return `/${parts.join("/")}`;
}

/** Defaults filled, unknown keys dropped, as the server's serde round trip does. */
export function fillRuntime(given: Record<string, any>, edition = "Open source"): Record<string, any> {
  deserializes("runtime_config", "RuntimeConfig", "InvalidRuntimeConfig", given);
  const out = RUNTIME_DEFAULTS() as Record<string, any>;
  for (const [k, v] of Object.entries(given)) {
    if (!(k in out)) continue;
    if (k === "storage")
      out.storage =
        v === true
          ? storageDefaults()
          : v === false || v === null
            ? null
            : { ...storageDefaults(), ...pick(v, Object.keys(storageDefaults())) };
    else if (k === "resources") out.resources = { ...out.resources, ...pick(v ?? {}, Object.keys(out.resources)) };
    else if (k === "fault_tolerance") {
      const enabled = v && (v.model === undefined || v.model === "exactly_once" || v.model === "at_least_once");
      if (enabled && edition !== "Enterprise") {
        throw new ApiError(
          400,
          "InvalidRuntimeConfig",
          `JSON for 'runtime_config' field:\n${JSON.stringify(given, null, 2)}\n\n... is not valid due to: enterprise feature: fault tolerance`,
          { value: given, error: { EnterpriseFeature: "fault tolerance" } },
        );
      }
      out.fault_tolerance =
        v === null
          ? null
          : {
              model: enabled ? "exactly_once" : "none",
              checkpoint_interval_secs: 60,
              ...pick(v, ["model", "checkpoint_interval_secs"]),
            };
    } else out[k] = v;
  }
  return out;
}

export function fillProgram(given: Record<string, any>): Record<string, any> {
  deserializes("program_config", "ProgramConfig", "InvalidProgramConfig", given);
  return { ...PROGRAM_DEFAULTS(), ...pick(given, Object.keys(PROGRAM_DEFAULTS())) };
}

/**
 * The server's serde round trip (validate_runtime_config / _program_config in
 * db/types/utils.rs): a value of the wrong type is a 400 before anything is
 * stored. Types come from the OpenAPI document; the two fields with their own
 * deserializers in feldera-types config.rs accept more than it says: `storage`
 * a boolean, `fault_tolerance` null or "initial_state"/"latest_checkpoint".
 * serde's wording is approximated; its variant and the field are not.
 */
function deserializes(field: string, schema: string, code: string, given: unknown): void {
  let problem: { path: string; message: string } | undefined;
  if (given === null || typeof given !== "object" || Array.isArray(given))
    problem = { path: "", message: "must be object" };
  else {
    const { storage, fault_tolerance, ...rest } = given as Record<string, unknown>;
    problem = checkComponent(schema, rest);
    if (!problem && storage !== undefined && typeof storage !== "boolean" && storage !== null)
      problem = checkComponent("StorageOptions", storage) && { path: "storage", message: "must be boolean or object" };
    const ftWord = fault_tolerance === "initial_state" || fault_tolerance === "latest_checkpoint";
    if (!problem && fault_tolerance !== undefined && fault_tolerance !== null && !ftWord)
      problem = checkComponent("FtConfig", fault_tolerance) && { path: "fault_tolerance", message: "must be FtConfig" };
  }
  if (!problem) return;
  const reason = `could not deserialize due to: invalid value at ${problem.path || field}: ${problem.message}`;
  throw new ApiError(
    400,
    code,
    `JSON for '${field}' field:\n${JSON.stringify(given, null, 2)}\n\n... is not valid due to: ${reason}`,
    { value: given, error: { DeserializationFailed: reason.replace("could not deserialize due to: ", "") } },
  );
}

function pick(obj: Record<string, any>, keys: string[]): Record<string, any> {
  return Object.fromEntries(Object.entries(obj ?? {}).filter(([k]) => keys.includes(k)));
}

/**
 * The emulator's SQL check: every statement must start like a Feldera SQL
 * statement; anything else is a Calcite-style parse error at its first token
 * (tests use e.g. `SELEC` to provoke one).
 */
export function sqlErrors(sql: string): any[] {
  const errors: any[] = [];
  const statementStart =
    /^(CREATE\s+(OR\s+REPLACE\s+)?(TABLE|VIEW|MATERIALIZED\s+VIEW|LOCAL\s+VIEW|FUNCTION|AGGREGATE|TYPE|INDEX)|DECLARE|LATENESS)\b/i;
  let line = 1;
  let col = 1;
  let start: { line: number; col: number; text: string } | undefined;
  const flush = () => {
    if (start?.text.trim() && !statementStart.test(start.text.trim())) {
      const token = start.text.trim().split(/\s+/)[0];
      errors.push({
        start_line_number: start.line,
        start_column: start.col,
        end_line_number: start.line,
        end_column: start.col + token.length - 1,
        warning: false,
        error_type: "Error parsing SQL",
        message: `Encountered "${token}" at line ${start.line}, column ${start.col}.`,
        snippet: `    ${start.line}|${token}\n      ^${"^".repeat(Math.max(0, token.length - 1))}\n`,
      });
    }
    start = undefined;
  };
  let i = 0;
  /** Moves i, line and column over sql[i, stop) and returns stop. */
  const pass = (stop: number) => {
    for (; i < stop; i++) {
      if (sql[i] === "\n") {
        line++;
        col = 1;
      } else col++;
    }
    return stop;
  };
  for (; i < sql.length; i++) {
    const c = sql[i];
    if (c === "-" && sql[i + 1] === "-") {
      while (i < sql.length && sql[i] !== "\n") i++;
      line++;
      col = 1;
      continue;
    }
    if (c === "/" && sql[i + 1] === "*") {
      // Block comments are skipped like line comments (their newlines still count).
      const end = sql.indexOf("*/", i + 2);
      i = pass(end < 0 ? sql.length : end + 2) - 1;
      continue;
    }
    if ((c === "'" || c === '"') && start) {
      // A quoted string or name is part of its statement, `;` and all ('' is an escaped quote).
      const end = sql.indexOf(c, i + 1);
      const stop = end < 0 ? sql.length : end + 1;
      start.text += sql.slice(i, stop);
      i = pass(stop) - 1;
      continue;
    }
    if (c === ";") {
      flush();
    } else if (!start && !/\s/.test(c)) {
      start = { line, col, text: "" };
    }
    if (start) start.text += c;
    if (c === "\n") {
      line++;
      col = 1;
    } else col++;
  }
  flush();
  return errors;
}

/** Tags as validate_tags (db/types/utils.rs) accepts them; kept in the order sent. */
function validateTags(tags: unknown): void {
  if (!Array.isArray(tags)) throw new JsonDeserializeError("invalid type: expected a sequence");
  if (tags.length > 50)
    throw new ApiError(400, "TooManyTags", `Pipeline has more tags (${tags.length}) than the maximum allowed (50)`, {
      count: tags.length,
      maximum: 50,
    });
  for (const tag of tags) {
    const length = [...String(tag)].length;
    const reason =
      length === 0
        ? "it cannot be empty"
        : length > 50
          ? `it is ${length} characters long, but the maximum is 50`
          : !/^[a-zA-Z0-9 ._/|\\:=-]+$/.test(tag)
            ? "it may contain only ASCII letters (a-z, A-Z), numbers (0-9), or one of space, '.', '_', '/', '|', '\\', ':', '=' and '-'"
            : undefined;
    if (reason) throw new ApiError(400, "InvalidTag", `Tag '${tag}' is invalid: ${reason}`, { tag, reason });
  }
}

/** What a checkpoint is made from: a restart with anything else bootstraps. */
function programOf(p: Pipeline): string {
  return JSON.stringify([p.program_code, p.udf_rust, p.udf_toml]);
}

function programInfo(sql: string) {
  const names = (re: RegExp) =>
    [...sql.matchAll(re)].map((m) => ({
      name: m[1].toLowerCase(),
      case_sensitive: false,
      fields: [],
      materialized: false,
      properties: {},
    }));
  return {
    schema: {
      inputs: names(/CREATE\s+TABLE\s+([A-Za-z_][\w]*)/gi),
      outputs: names(/CREATE\s+(?:MATERIALIZED\s+)?VIEW\s+([A-Za-z_][\w]*)/gi),
    },
    input_connectors: {},
    output_connectors: {},
    udf_stubs: "",
  };
}

function configuration(version: string, edition: string) {
  return {
    posthog: "",
    conceptualhq: "",
    product_fruits: "",
    edition,
    version,
    revision: "emulator",
    runtime_revision: "emulator",
    changelog_url: `https://github.com/feldera/feldera/releases/tag/v${version}`,
    build_info: {
      build_timestamp: "2026-08-20T00:00:00Z",
      build_cpu: "x86_64",
      build_os: "linux",
      cargo_dependencies: "",
      cargo_features: "",
      cargo_debug: "false",
      cargo_opt_level: "3",
      cargo_target_triple: "x86_64-unknown-linux-gnu",
      rustc_version: "1.93.1",
    },
    build_source: "source",
  };
}
