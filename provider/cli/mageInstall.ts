// Installing Mage: mage-ai from PyPI in a cached virtualenv (with dbt for dbt blocks, psycopg2 for PostgreSQL
// metadata). Any supported version installs with its dependencies as of its release (uv's --exclude-newer):
// today's dependencies break older Mages (click 8.5, NumPy 2, scikit-learn's __sklearn_tags__).
import * as fs from "node:fs";
import * as path from "node:path";
import { compareVersions } from "../backends/mage/features";
import { cacheRoot, isComplete, markComplete } from "./cache";
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

/** uv from PyPI at UV_VERSION, in a virtualenv of its own (cached). */
export async function ensureUv(): Promise<string> {
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
export async function ensurePsycopg2(venv: string): Promise<void> {
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
