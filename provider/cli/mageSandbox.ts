// A real Mage server on loopback for tests, the demo and
// `pulumi-pipelines sandbox mage`: mage-ai from PyPI in a cached virtualenv,
// a throw-away project, telemetry off, user authentication on (Mage's default
// since 0.9.78) with the default owner account and a fresh password.
// Any supported version installs with its dependencies as of its release
// (uv's --exclude-newer): today's dependencies break older Mages (click 8.5,
// NumPy 2, scikit-learn's __sklearn_tags__). Metadata lives in SQLite, or in a
// throw-away PostgreSQL as production servers keep it.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { rawToken } from "../backends/mage/client";
import { compareVersions } from "../backends/mage/features";
import { cacheRoot, isComplete, markComplete } from "./cache";
import { type PostgresSandbox, startPostgres } from "./postgres";
import { progress, run, which } from "./process";

/** The Mage the demo and `npm test` run. */
export const MAGE_VERSION = "0.9.80";
/** The supported range, tested at both ends (npm run test:mage-versions). */
export const OLDEST_MAGE_VERSION = "0.9.70";

/**
 * Release days on PyPI (upload_time of each mage-ai release): an older version installs with nothing newer than
 * the day after. Versions not listed are looked up on the package index.
 */
const RELEASED: Record<string, string> = {
  "0.9.70": "2024-04-26",
  "0.9.71": "2024-05-30",
  "0.9.72": "2024-06-21",
  "0.9.73": "2024-08-01",
  "0.9.74": "2024-09-19",
  "0.9.75": "2024-12-04",
  "0.9.76": "2025-03-31",
  "0.9.77": "2025-09-03",
  "0.9.78": "2025-09-18",
  "0.9.79": "2026-01-21",
};
/** uv, to install with --exclude-newer; pinned so a cached virtualenv is reproducible. */
const UV_VERSION = "0.13.9";
/** The PostgreSQL driver Mage's own queries work with: SQLAlchemy 2.1 would pick psycopg 3 for postgresql:// */
const PSYCOPG2 = "psycopg2-binary";
/**
 * dbt for Mage's dbt blocks, pinned as mage-ai 0.9.80's own `dbt` extra pins
 * it, with only the DuckDB adapter (a local file, no database server).
 */
const DBT_PACKAGES = ["dbt-core==1.10.20", "dbt-adapters==1.22.5", "dbt-duckdb==1.10.1"];
export const MAGE_OWNER_EMAIL = "admin@admin.com";
const API_KEY = "zkWlN0PkIKSN0C11CfUHUj84OT5XOJ6tDZ6bDRO2";

export interface MageSandbox {
  url: string;
  email: string;
  password: string;
  projectDir: string;
  version: string;
  /** Where Mage keeps its metadata: its SQLite file, or the PostgreSQL URL (without the password). */
  metadata: string;
  stop(): Promise<void>;
}

export interface MageOptions {
  /** A mage-ai version (default MAGE_VERSION). */
  version?: string;
  /** Mage's metadata database: SQLite in the project (default) or a throw-away PostgreSQL. */
  metadata?: "sqlite" | "postgres";
  timeoutMs?: number;
}

/** The cached virtualenv's directory for `version`, installing mage-ai on first use. */
export async function ensureMageVenv(version: string = MAGE_VERSION): Promise<string> {
  if (version !== MAGE_VERSION) return ensureReleasedMageVenv(version);
  const venv = path.join(cacheRoot(), `mage-${MAGE_VERSION}-${DBT_PACKAGES[0].replace("==", "-")}`);
  if (isComplete(venv)) return venv;
  const python = await findPython();
  fs.rmSync(venv, { recursive: true, force: true });
  const started = Date.now();
  progress(`installing mage-ai ${MAGE_VERSION} and dbt into ${venv} (first run only)…`);
  await run(python, ["-m", "venv", venv]);
  await run(path.join(venv, "bin", "pip"), [
    "install",
    "--quiet",
    "--disable-pip-version-check",
    `mage-ai==${MAGE_VERSION}`,
    ...DBT_PACKAGES,
  ]);
  markComplete(venv);
  progress(`Mage virtualenv ready in ${Math.round((Date.now() - started) / 1000)} s`);
  return venv;
}

/** mage-ai `version` with its dependencies as they were the day after its release, in a virtualenv of its own. */
async function ensureReleasedMageVenv(version: string): Promise<string> {
  if (!/^\d+\.\d+\.\d+$/.test(version)) throw new Error(`--mage-version: '${version}' is not a version (e.g. 0.9.76)`);
  if (compareVersions(version, OLDEST_MAGE_VERSION) < 0)
    throw new Error(`Mage ${version} is older than the oldest supported, ${OLDEST_MAGE_VERSION}`);
  const day = RELEASED[version] ?? (await releaseDay(version));
  const venv = path.join(cacheRoot(), `mage-${version}-deps-${day}`);
  if (isComplete(venv)) return venv;
  const [uv, python] = [await ensureUv(), await findPython()];
  fs.rmSync(venv, { recursive: true, force: true });
  const started = Date.now();
  const until = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString();
  progress(`installing mage-ai ${version} with its dependencies as of ${day} into ${venv} (first run only)…`);
  await run(uv, ["venv", "--quiet", "--python", python, venv]);
  await run(uv, [
    "pip",
    "install",
    "--quiet",
    "--python",
    path.join(venv, "bin", "python"),
    "--exclude-newer",
    until,
    `mage-ai==${version}`,
    PSYCOPG2,
  ]);
  markComplete(venv);
  progress(`Mage ${version} virtualenv ready in ${Math.round((Date.now() - started) / 1000)} s`);
  return venv;
}

/** The day a mage-ai release was uploaded, from the package index's JSON API. */
async function releaseDay(version: string): Promise<string> {
  const index = (process.env.PIP_INDEX_URL ?? "https://pypi.org/simple").replace(/\/simple\/?$/, "");
  const res = await fetch(`${index}/pypi/mage-ai/${version}/json`).catch(() => undefined);
  const body = res?.ok ? ((await res.json()) as { urls?: { upload_time_iso_8601?: string }[] }) : undefined;
  const uploaded = body?.urls?.[0]?.upload_time_iso_8601;
  if (!uploaded) throw new Error(`mage-ai ${version} is not on the package index (${index})`);
  return uploaded.slice(0, 10);
}

async function ensureUv(): Promise<string> {
  const venv = path.join(cacheRoot(), `uv-${UV_VERSION}`);
  const uv = path.join(venv, "bin", "uv");
  if (isComplete(venv)) return uv;
  fs.rmSync(venv, { recursive: true, force: true });
  await run(await findPython(), ["-m", "venv", venv]);
  await run(path.join(venv, "bin", "pip"), ["install", "--quiet", "--disable-pip-version-check", `uv==${UV_VERSION}`]);
  markComplete(venv);
  return uv;
}

/** The driver for PostgreSQL metadata, added once to a virtualenv made without it. */
async function ensurePsycopg2(venv: string): Promise<void> {
  const python = path.join(venv, "bin", "python");
  if (
    await run(python, ["-c", "import psycopg2"]).then(
      () => true,
      () => false,
    )
  )
    return;
  await run(path.join(venv, "bin", "pip"), ["install", "--quiet", "--disable-pip-version-check", PSYCOPG2]);
}

/** Mage (and the vendor SDKs the conformance tests drive) support CPython 3.10–3.12. */
export async function findPython(): Promise<string> {
  for (const candidate of [process.env.PYTHON, "python3.12", "python3.11", "python3.10", "python3"]) {
    if (!candidate) continue;
    const exe = path.isAbsolute(candidate) ? candidate : which(candidate);
    if (!exe) continue;
    const v = (await run(exe, ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"]).catch(() => "")).trim();
    const minor = Number(v.split(".")[1]);
    if (v.startsWith("3.") && minor >= 10 && minor <= 12) return exe;
  }
  throw new Error("Mage needs CPython 3.10–3.12 (set PYTHON to its path)");
}

export async function startMage(opts: MageOptions = {}): Promise<MageSandbox> {
  const version = opts.version ?? MAGE_VERSION;
  const venv = await ensureMageVenv(version);
  let postgres: PostgresSandbox | undefined;
  if (opts.metadata === "postgres") {
    await ensurePsycopg2(venv);
    postgres = await startPostgres({ database: "mage" });
  }
  // A fresh owner password per server, so nothing can depend on a well-known one.
  const owner = { email: MAGE_OWNER_EMAIL, password: randomBytes(12).toString("hex") };
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "mage-sandbox-"));
  const projectDir = path.join(root, "project");
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logFile = path.join(root, "mage.log");
  const out = fs.openSync(logFile, "a");
  const child = spawn(
    path.join(venv, "bin", "mage"),
    ["start", projectDir, "--host", "127.0.0.1", "--port", String(port)],
    {
      cwd: root,
      detached: true, // its own process group: Mage forks a scheduler and a kernel
      stdio: ["ignore", out, out],
      env: {
        ...process.env,
        MAGE_DATA_DIR: path.join(root, "data"),
        REQUIRE_USER_AUTHENTICATION: "1",
        DEFAULT_OWNER_EMAIL: owner.email,
        DEFAULT_OWNER_PASSWORD: owner.password,
        DISABLE_AUTO_BROWSER_OPEN: "1",
        // Applies when the project is created: no usage statistics leave the machine.
        INITIAL_METADATA: JSON.stringify({ help_improve_mage: false }),
        SCHEDULER_TRIGGER_INTERVAL: "10",
        ...(postgres ? { MAGE_DATABASE_CONNECTION_URL: metadataUrl(postgres) } : {}),
      },
    },
  );
  fs.closeSync(out);
  const stop = async () => {
    await stopProcessGroup(child);
    await postgres?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  };
  try {
    await waitReady(url, owner, child, logFile, opts.timeoutMs ?? 180_000);
  } catch (e) {
    await stop();
    throw e;
  }
  const metadata = postgres
    ? metadataUrl(postgres).replace(`:${postgres.password}@`, ":…@")
    : path.join(root, "data", path.basename(projectDir), "mage-ai.db");
  return { url, projectDir, ...owner, version, metadata, stop };
}

/** Mage's metadata URL: the psycopg2 dialect, the one Mage's own queries run on. */
function metadataUrl(pg: PostgresSandbox): string {
  return `postgresql+psycopg2://${pg.user}:${pg.password}@${pg.host}:${pg.port}/${pg.database}`;
}

/**
 * Ready = /api/status answers and the owner can log in (the user is made ~5 s after start). Mage before 0.9.76
 * ignores DEFAULT_OWNER_PASSWORD and makes the owner with the well-known password `admin`
 * (server/server.py, `initialize_user_authentication`): that owner is given the fresh password at once.
 */
async function waitReady(
  url: string,
  owner: { email: string; password: string },
  child: ChildProcess,
  logFile: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Mage exited with ${child.exitCode}:\n${tail(logFile)}`);
    try {
      if (await login(url, owner)) return;
      const token = await login(url, { email: owner.email, password: WELL_KNOWN_PASSWORD });
      if (token) {
        await setPassword(url, token, owner.password);
        if (await login(url, owner)) return;
      }
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`Mage did not become ready at ${url} within ${timeoutMs / 1000} s:\n${tail(logFile)}`);
}

const WELL_KNOWN_PASSWORD = "admin";

/** The API's OAuth token for this account (the session token is a JWT carrying it), or undefined. */
async function login(url: string, account: { email: string; password: string }): Promise<string | undefined> {
  const res = await fetch(`${url}/api/sessions`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": API_KEY },
    body: JSON.stringify({ session: account }),
  });
  const jwt = ((await res.json()) as { session?: { token?: string } })?.session?.token;
  return jwt ? rawToken(jwt) : undefined;
}

/** PUT /api/users/{id} with the current password, as Mage's account page does. */
async function setPassword(url: string, token: string, password: string): Promise<void> {
  const headers = { "content-type": "application/json", "x-api-key": API_KEY, "oauth-token": token };
  const users = (await (await fetch(`${url}/api/users`, { headers })).json()) as {
    users?: { id: number; owner?: boolean }[];
  };
  const owner = users.users?.find((u) => u.owner);
  if (!owner) throw new Error("Mage has no owner account to give a password");
  const body = { user: { password, password_confirmation: password, password_current: WELL_KNOWN_PASSWORD } };
  await fetch(`${url}/api/users/${owner.id}`, { method: "PUT", headers, body: JSON.stringify(body) });
}

async function stopProcessGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const kill = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      /* already gone */
    }
  };
  kill("SIGTERM");
  const timer = setTimeout(() => kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
  kill("SIGKILL"); // leftovers of the group (kernel, scheduler)
}

/** A port the OS says is free; Mage would silently move to the next one if it were taken. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function tail(file: string): string {
  try {
    return fs.readFileSync(file, "utf8").split("\n").slice(-30).join("\n");
  } catch {
    return "";
  }
}
