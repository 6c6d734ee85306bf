// `bootstrap` as a user runs it: reusing a matching pulumi on PATH, ignoring
// one of another version. (`sandbox mage` runs from the installed package in
// package.test.ts.)
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, inject, it } from "vitest";
import { type Ran, sh } from "../helpers/spawn";

const cli = path.join(__dirname, "..", "..", "dist", "provider", "cli", "main.js");

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<Ran> {
  return sh(process.execPath, [cli, ...args], process.cwd(), env);
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
