// The command line's conventions, for every command: an unknown flag and a
// missing argument are usage errors (exit 64, the command's usage on stderr,
// nothing on stdout), --help prints the usage on stdout (exit 0), and
// --version prints the package's version. In-process through main(), and once
// through the built bin as a shell sees it.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { MAGE_VERSION } from "../../provider/cli/mageInstall";
import { main } from "../../provider/cli/main";

const ROOT = path.resolve(__dirname, "..", "..");
const VERSION = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).version;

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { out: { write: (s) => (out += s) }, err: { write: (s) => (err += s) } });
  return { code, out, err };
}

/** Each command, and arguments that leave out something it needs. */
const COMMANDS: [string, string[]][] = [
  ["init", ["--engine"]],
  ["bootstrap", ["extra"]],
  ["sandbox", []],
  ["validate", ["--format"]],
  ["graph", ["--pipeline"]],
  ["diff", []],
  ["export", ["--out", "o"]],
];

describe.each(COMMANDS)("pulumi-pipelines %s", (command, missing) => {
  it("refuses an unknown flag with its usage on stderr, exit 64", async () => {
    const r = await cli(command, "--no-such-flag");
    expect([r.code, r.out]).toEqual([64, ""]);
    expect(r.err).toMatch(
      new RegExp(`^pulumi-pipelines ${command}: .*'--no-such-flag'.*\\nusage: pulumi-pipelines ${command}`),
    );
  });

  it("refuses a missing argument with its usage on stderr, exit 64", async () => {
    const r = await cli(command, ...missing);
    expect([r.code, r.out]).toEqual([64, ""]);
    expect(r.err).toMatch(new RegExp(`^pulumi-pipelines ${command}: .+\\nusage: pulumi-pipelines ${command}`));
  });

  it("prints its usage and the exit codes on stdout with --help, exit 0", async () => {
    const r = await cli(command, "--help");
    expect([r.code, r.err]).toEqual([0, ""]);
    expect(r.out).toMatch(new RegExp(`^usage: pulumi-pipelines ${command}`));
    expect(r.out).toContain("64  usage error");
  });
});

describe("pulumi-pipelines", () => {
  it("--help states the defaults a flag left out takes", async () => {
    expect((await cli("sandbox", "--help")).out).toContain(
      `defaults: --mage-version ${MAGE_VERSION}, --metadata sqlite`,
    );
    expect((await cli("init", "--help")).out).toContain("defaults: --engine mage");
    expect((await cli("--help")).out).toContain(`defaults: --mage-version ${MAGE_VERSION}`);
  });

  it("--version prints the package's version", async () => {
    expect(await cli("--version")).toEqual({ code: 0, out: `${VERSION}\n`, err: "" });
  });

  it("--help lists every command and the exit codes; no command or an unknown one is a usage error", async () => {
    const help = await cli("--help");
    expect(help.code).toBe(0);
    for (const [command] of COMMANDS) expect(help.out).toMatch(new RegExp(`^  ${command} `, "m"));
    expect(help.out).toContain("2   a finding asked to fail on");
    expect((await cli()).code).toBe(64);
    const unknown = await cli("deploy");
    expect([unknown.code, unknown.out]).toEqual([64, ""]);
    expect(unknown.err).toMatch(/^pulumi-pipelines: unknown command 'deploy'/);
  });

  it("as a shell runs it: exit codes and streams of the built bin", () => {
    const bin = path.join(ROOT, "dist", "provider", "cli", "main.js");
    const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: ROOT, encoding: "utf8" });
    const bad = run("graph", "--bogus");
    expect([bad.status, bad.stdout]).toEqual([64, ""]);
    expect(bad.stderr).toContain("Unknown option '--bogus'");
    expect(run("--version").stdout).toBe(`${VERSION}\n`);
    const invalid = run("diff", "--preview", path.join(ROOT, "README.md"));
    expect([invalid.status, invalid.stdout]).toEqual([1, ""]);
    expect(invalid.stderr).toContain("is not the JSON of 'pulumi preview --json'");
  });
});
