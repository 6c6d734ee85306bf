// A real Mage server on loopback for tests, the demo and
// `pulumi-pipelines sandbox mage`: mage-ai from PyPI in a cached virtualenv,
// a throw-away project, telemetry off, user authentication on (Mage's default
// since 0.9.78) with the default owner account.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { cacheRoot, isComplete, markComplete } from "./cache";
import { progress, run, which } from "./process";

export const MAGE_VERSION = "0.9.80";
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
  stop(): Promise<void>;
}

/** The cached virtualenv's directory, installing mage-ai on first use. */
export async function ensureMageVenv(): Promise<string> {
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

export async function startMage(opts: { timeoutMs?: number } = {}): Promise<MageSandbox> {
  const venv = await ensureMageVenv();
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
      },
    },
  );
  fs.closeSync(out);
  const stop = () => stopProcessGroup(child).then(() => fs.rmSync(root, { recursive: true, force: true }));
  try {
    await waitReady(url, owner, child, logFile, opts.timeoutMs ?? 180_000);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, projectDir, ...owner, stop };
}

/** Ready = /api/status answers and the owner can log in (the user is made ~5 s after start). */
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
      const res = await fetch(`${url}/api/sessions`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": API_KEY },
        body: JSON.stringify({ session: owner }),
      });
      const body = (await res.json()) as { session?: { token?: string } };
      if (body?.session?.token) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`Mage did not become ready at ${url} within ${timeoutMs / 1000} s:\n${tail(logFile)}`);
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
