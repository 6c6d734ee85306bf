// Feldera fills every default into runtime_config and program_config and
// drops unknown keys, so whole objects never compare. Only the keys a user
// declared are compared: a declared value must equal the server's at the same
// path; everything else belongs to the server.

import { sameJson } from "../shared/json";
import type { Json } from "./api";

/** The server's values at exactly the paths the declaration has (objects recursed, lists whole). */
export function projectDeclared(
  declared: { [key: string]: Json },
  remote: { [key: string]: Json } | null | undefined,
): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const [k, v] of Object.entries(declared)) {
    const r = remote?.[k];
    if (isObject(v) && isObject(r)) out[k] = projectDeclared(v, r);
    else out[k] = r === undefined ? MISSING : r;
  }
  return out;
}

/** Marks a declared key the server does not have (unknown to it, so silently dropped). */
export const MISSING = "<absent on the server>";

/** Paths (a.b.c) whose declared value differs from the server's projection. */
export function declaredDrift(
  declared: { [key: string]: Json },
  projected: { [key: string]: Json },
  prefix = "",
): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(declared)) {
    const path = prefix ? `${prefix}.${k}` : k;
    const p = projected[k];
    if (isObject(v) && isObject(p)) out.push(...declaredDrift(v, p, path));
    else if (JSON.stringify(v) !== JSON.stringify(p)) out.push(path);
  }
  return out;
}

/** runtime_config keys Feldera only lets change while storage is cleared. */
export const STORAGE_BOUND = [
  "workers",
  "hosts",
  "fault_tolerance",
  "clock_timezone_offset",
  "resources.storage_mb_max",
  "resources.namespace",
  "resources.storage_class",
];

export function storageBoundChanges(before: { [key: string]: Json }, after: { [key: string]: Json }): string[] {
  return STORAGE_BOUND.filter((path) => JSON.stringify(at(before, path)) !== JSON.stringify(at(after, path)));
}

function at(obj: Json, path: string): Json | undefined {
  let cur: Json | undefined = obj;
  for (const part of path.split(".")) cur = isObject(cur) ? cur[part] : undefined;
  return cur;
}

function isObject(v: unknown): v is { [key: string]: Json } {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

// What Feldera fills into an empty runtime_config and program_config
// (crates/feldera-types/src/config.rs; checked against the 0.337 OpenAPI
// defaults by test/unit/feldera-export.test.ts). Keys it leaves null are null here.
export const RUNTIME_DEFAULTS: { [key: string]: Json } = {
  workers: 8,
  hosts: 1,
  storage: {
    backend: { name: "default" },
    min_storage_bytes: null,
    min_step_storage_bytes: null,
    compression: "default",
    cache_mib: null,
  },
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
  env: {},
  dev_tweaks: {},
  checkpoint_during_suspend: true,
  max_rss_mb: null,
  datafusion_memory_mb: null,
  provisioning_timeout_secs: null,
  max_parallel_connector_init: null,
  init_containers: null,
  http_workers: null,
  io_workers: null,
  logging: null,
  pipeline_template_configmap: null,
};

export const PROGRAM_DEFAULTS: { [key: string]: Json } = {
  profile: null,
  cache: true,
  runtime_version: null,
  use_platform_compiler: false,
};

/** Keys declared whole, never as a partial object (fault_tolerance without its model reads as Enterprise exactly_once). */
const WHOLE = new Set(["fault_tolerance"]);

/**
 * The part of a live config that differs from the defaults: what a
 * declaration must say so that it reads back as the live object. A key the
 * table does not know (a newer server) is kept unless it is null.
 */
export function overDefaults(
  live: { [key: string]: Json } | null | undefined,
  defaults: { [key: string]: Json },
): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const [k, v] of Object.entries(live ?? {})) {
    const d = defaults[k];
    if (!(k in defaults)) {
      if (v !== null) out[k] = v;
    } else if (isObject(v) && isObject(d) && !WHOLE.has(k)) {
      const inner = overDefaults(v, d);
      if (Object.keys(inner).length) out[k] = inner;
    } else if (!sameJson(v, d)) out[k] = v;
  }
  return out;
}
