// A real Mage server on loopback for tests, the demo and
// `pulumi-pipelines sandbox mage`: a throw-away project in the installed
// virtualenv (mageInstall.ts), telemetry off, user authentication on (Mage's
// default since 0.9.78) with the default owner account and a fresh password.
// Metadata lives in SQLite, or in a throw-away PostgreSQL as production
// servers keep it.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { MAGE_DEFAULT_API_KEY, rawToken } from "../backends/mage/client";
import { ensureMageVenv, ensurePsycopg2, MAGE_VERSION } from "./mageInstall";
import { type PostgresSandbox, startPostgres } from "./postgres";
import { freePort } from "./process";

export const MAGE_OWNER_EMAIL = "admin@admin.com";

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
    headers: { "content-type": "application/json", "x-api-key": MAGE_DEFAULT_API_KEY },
    body: JSON.stringify({ session: account }),
  });
  const jwt = ((await res.json()) as { session?: { token?: string } })?.session?.token;
  return jwt ? rawToken(jwt) : undefined;
}

/** PUT /api/users/{id} with the current password, as Mage's account page does. */
async function setPassword(url: string, token: string, password: string): Promise<void> {
  const headers = { "content-type": "application/json", "x-api-key": MAGE_DEFAULT_API_KEY, "oauth-token": token };
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

function tail(file: string): string {
  try {
    return fs.readFileSync(file, "utf8").split("\n").slice(-30).join("\n");
  } catch {
    return "";
  }
}
