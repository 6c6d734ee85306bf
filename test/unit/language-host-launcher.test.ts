// The launcher in front of the fallback Node language host: it finds the
// project's Pulumi.yaml from the host's working directory up and passes its
// runtime options as the flags that host reads, then the engine's arguments.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { FALLBACK_HOST_BINARY, installHostLauncher } from "../../provider/cli/languageHostShim";

/** A bin folder whose "host" prints the arguments it was started with, one per line. */
function binWithEchoHost(): string {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), "pp-launcher-"));
  fs.writeFileSync(path.join(bin, "pulumi-language-nodejs"), '#!/usr/bin/env bash\nprintf "%s\\n" "$@"\n', {
    mode: 0o755,
  });
  installHostLauncher(bin);
  return bin;
}

function project(pulumiYaml: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pp-project-"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), pulumiYaml);
  // A YAML parser the launcher can find from the project, as every Pulumi Node project has one.
  fs.symlinkSync(path.resolve("node_modules"), path.join(dir, "node_modules"));
  fs.mkdirSync(path.join(dir, "dist", "program"), { recursive: true });
  return dir;
}

const hostArgs = (bin: string, cwd: string) =>
  execFileSync(path.join(bin, "pulumi-language-nodejs"), ["127.0.0.1:1234"], { cwd, encoding: "utf8" })
    .trim()
    .split("\n");

describe("fallback language host launcher", () => {
  it("passes typescript, tsconfig and nodeargs from Pulumi.yaml, found from main's folder up", () => {
    const bin = binWithEchoHost();
    expect(fs.existsSync(path.join(bin, FALLBACK_HOST_BINARY))).toBe(true);
    const dir = project(
      [
        "name: p",
        "runtime:",
        "  name: nodejs",
        "  options:",
        "    typescript: false",
        "    tsconfig: tsconfig.build.json",
        "    nodeargs: --max-old-space-size=4096 --no-warnings",
        "main: dist/program/index.js",
        "",
      ].join("\n"),
    );
    expect(hostArgs(bin, path.join(dir, "dist", "program"))).toEqual([
      "-typescript=false",
      "-tsconfig=tsconfig.build.json",
      "-nodeargs=--max-old-space-size=4096 --no-warnings",
      "127.0.0.1:1234",
    ]);
  });

  it("passes nothing when the project sets no options, or there is no project file", () => {
    const bin = binWithEchoHost();
    expect(hostArgs(bin, project("name: p\nruntime: nodejs\n"))).toEqual(["127.0.0.1:1234"]);
    expect(hostArgs(bin, fs.mkdtempSync(path.join(os.tmpdir(), "pp-none-")))).toEqual(["127.0.0.1:1234"]);
  });

  it("installs once: a second install keeps the host and the launcher as they are", () => {
    const bin = binWithEchoHost();
    const host = fs.readFileSync(path.join(bin, FALLBACK_HOST_BINARY), "utf8");
    installHostLauncher(bin);
    expect(fs.readFileSync(path.join(bin, FALLBACK_HOST_BINARY), "utf8")).toBe(host);
    expect(fs.readFileSync(path.join(bin, "pulumi-language-nodejs"), "utf8")).toMatch(/^#!\/usr\/bin\/env bash/);
  });
});
