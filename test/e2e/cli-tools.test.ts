// The two tool commands as a user runs them: `bootstrap` (reusing a matching
// pulumi on PATH) and `sandbox mage` (up, usable, and gone after SIGTERM).
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, inject, it } from "vitest";
import { mageClient } from "../../provider/backends/mage/client";

const cli = path.join(__dirname, "..", "..", "dist", "provider", "cli", "main.js");

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderr += c));
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** A directory with the real CLI and its plugins, linked (not copied) from the cache. */
function cliCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-on-path-"));
  for (const f of ["pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"]) {
    const from = path.join(inject("pulumiBin"), f);
    try {
      fs.linkSync(from, path.join(dir, f));
    } catch {
      fs.copyFileSync(from, path.join(dir, f));
      fs.chmodSync(path.join(dir, f), 0o755);
    }
  }
  return dir;
}

describe("pulumi-pipelines bootstrap", () => {
  it("reuses a pulumi on PATH whose version matches the SDK, and prints its directory", async () => {
    const dir = cliCopy();
    const r = await runCli(["bootstrap"], { ...process.env, PATH: `${dir}${path.delimiter}${process.env.PATH}` });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(fs.realpathSync(dir));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("ignores a pulumi of another version and uses the cached build", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-old-"));
    fs.writeFileSync(path.join(dir, "pulumi"), "#!/bin/sh\necho v3.1.0\n", { mode: 0o755 });
    const r = await runCli(["bootstrap"], { ...process.env, PATH: `${dir}${path.delimiter}${process.env.PATH}` });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(inject("pulumiBin"));
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe("pulumi-pipelines sandbox mage", () => {
  it("starts a usable Mage on loopback, prints how to reach it, and stops cleanly on SIGTERM", async () => {
    const child = spawn(process.execPath, [cli, "sandbox", "mage"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (c) => (out += c));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed:\n${out}`)), 170_000);
      child.stdout.on("data", () => {
        const m = out.match(/export MAGE_URL=(\S+) MAGE_EMAIL=(\S+) MAGE_PASSWORD=(\S+)/);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const [, , email, password] = out.match(/export MAGE_URL=(\S+) MAGE_EMAIL=(\S+) MAGE_PASSWORD=(\S+)/)!;
    const status = await mageClient({ url, email, password }).call("GET", "/api/pipelines");
    expect(Array.isArray(status.pipelines)).toBe(true);

    const exited = new Promise<number | null>((r) => child.on("close", (code) => r(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(out).toContain("Mage stopped.");
    await expect(fetch(`${url}/api/status`)).rejects.toThrow();
  }, 200_000);
});
