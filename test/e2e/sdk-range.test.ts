// The SDK a user already has: the packed tarball installed beside the lowest
// @pulumi/pulumi its peer range admits and beside the newest the registry
// serves (with the Node that one needs), and each entry point run there by
// the real CLI against the sandbox Mage: a TypeScript program of the user's
// own, and the GitOps program on a YAML declaration. Mage is read back after
// each up; a second preview changes nothing; destroy leaves nothing.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { mageTarget, testClient, uniqueName } from "../helpers/mage";
import { ensureNode } from "../helpers/node";
import { sh } from "../helpers/spawn";

const REPO = path.resolve(__dirname, "..", "..");
const PKG = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8"));
const RANGE: string = PKG.peerDependencies["@pulumi/pulumi"];
const LOWEST = RANGE.replace(/^\^/, "");

/** The newest version in the peer range the registry serves, and the Node major its engines ask for. */
function newest(): { version: string; node: string } {
  const view = (spec: string, field: string) =>
    JSON.parse(execFileSync("npm", ["view", spec, field, "--json"], { encoding: "utf8" }) || "null");
  const matching = view(`@pulumi/pulumi@${RANGE}`, "version");
  const version: string = Array.isArray(matching) ? matching[matching.length - 1] : matching;
  const engines: { node?: string } = view(`@pulumi/pulumi@${version}`, "engines") ?? {};
  return { version, node: /(\d+)/.exec(engines.node ?? ">=20")![1] };
}

let tarball: string;
const root = fs.mkdtempSync(path.join(os.tmpdir(), "pp-sdk-range-"));

beforeAll(() => {
  tarball = path.join(
    root,
    JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", root], { cwd: REPO, encoding: "utf8" }))[0]
      .filename,
  );
}, 300_000);

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe.each([
  ["the lowest SDK of the peer range", () => ({ version: LOWEST, node: "20" })],
  ["the newest SDK the registry serves", newest],
])("with %s", (_, which) => {
  const sdk = which();
  const dir = path.join(root, `sdk-${sdk.version}`);
  const prefix = uniqueName(`sdk ${sdk.version.replace(/\./g, "-")}`).replace(/ /g, "-");
  let env: NodeJS.ProcessEnv;
  const pulumi = (args: string[], cwd: string) =>
    sh("pulumi", [...args, "--non-interactive", "--stack", "e2e"], cwd, env);
  const mage = () => testClient();
  const live = async (uuid: string) =>
    (
      await mage().call<any>("GET", `/api/pipelines/${uuid}`, {
        query: { includes_content: "true", includes_outputs: "false" },
      })
    ).pipeline;
  const exists = async (uuid: string) =>
    (await mage().call<any>("GET", "/api/pipelines", { query: { _limit: "1000" } })).pipelines.some(
      (p: any) => p.uuid === uuid,
    );

  beforeAll(async () => {
    const node = await ensureNode(sdk.node);
    const t = mageTarget();
    env = {
      ...process.env,
      PATH: [node, inject("pulumiBin"), process.env.PATH].join(path.delimiter),
      PULUMI_BACKEND_URL: `file://${path.join(dir, ".state")}`,
      PULUMI_HOME: path.join(dir, ".home"),
      PULUMI_CONFIG_PASSPHRASE: "",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      MAGE_URL: t.url,
      MAGE_EMAIL: t.email,
      MAGE_PASSWORD: t.password,
    };
    fs.mkdirSync(path.join(dir, ".state"), { recursive: true });
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "sdk-range", private: true }));
    const install = await sh(
      "npm",
      ["install", tarball, `@pulumi/pulumi@${sdk.version}`, "--no-audit", "--no-fund", "--prefer-offline"],
      dir,
      env,
    );
    if (install.code !== 0) throw new Error(install.output);
    const installed = JSON.parse(fs.readFileSync(path.join(dir, "node_modules/@pulumi/pulumi/package.json"), "utf8"));
    expect(installed.version).toBe(sdk.version);
    // One copy of the SDK in the tree: the package takes the user's, as a peer.
    expect(fs.existsSync(path.join(dir, "node_modules/pulumi-pipelines/node_modules/@pulumi/pulumi"))).toBe(false);
  }, 600_000);

  async function deploy(program: string, uuid: string, check: (p: any) => void) {
    expect((await pulumi(["stack", "init"], program)).code).toBe(0);
    const up = await pulumi(["up", "--yes", "--skip-preview"], program);
    expect(up.code, up.output).toBe(0);
    check(await live(uuid));
    const again = await pulumi(["preview", "--json"], program);
    expect(again.code, again.output).toBe(0);
    expect(JSON.parse(again.stdout).changeSummary).toEqual({ same: 4 });
    const destroy = await pulumi(["destroy", "--yes", "--skip-preview"], program);
    expect(destroy.code, destroy.output).toBe(0);
    expect(await exists(uuid)).toBe(false);
    await pulumi(["stack", "rm", "--yes"], program);
  }

  it("runs a TypeScript program of the user's own", async () => {
    const program = path.join(dir, "ts");
    fs.mkdirSync(program);
    fs.writeFileSync(path.join(program, "Pulumi.yaml"), "name: sdk-ts\nruntime: nodejs\nmain: index.ts\n");
    fs.writeFileSync(
      path.join(program, "index.ts"),
      [
        'import { mage } from "pulumi-pipelines";',
        `const pipeline = new mage.Pipeline("p", { name: "${prefix}-ts" });`,
        'const load = new mage.Block("load", { pipeline, name: "load", type: "data_loader", code: "x = 1\\n" });',
        'new mage.Block("clean", { pipeline, name: "clean", type: "transformer", code: "y = 2\\n", upstream: [load] });',
        "",
      ].join("\n"),
    );
    await deploy(program, `${prefix}_ts`.replace(/-/g, "_"), (p) => {
      expect(p.blocks.map((b: any) => [b.uuid, b.content, b.upstream_blocks])).toEqual([
        ["load", "x = 1\n", []],
        ["clean", "y = 2\n", ["load"]],
      ]);
    });
  }, 600_000);

  it("runs the GitOps program on a YAML declaration", async () => {
    const program = path.join(dir, "gitops");
    fs.mkdirSync(path.join(program, "pipelines"), { recursive: true });
    fs.writeFileSync(
      path.join(program, "Pulumi.yaml"),
      "name: sdk-gitops\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: index.js\n",
    );
    fs.writeFileSync(path.join(program, "index.js"), 'require("pulumi-pipelines/program");\n');
    fs.writeFileSync(
      path.join(program, "pipelines", "p.yaml"),
      [
        "pipelines:",
        "  - engine: mage",
        "    target: mage",
        `    name: ${prefix}-yaml`,
        "    blocks:",
        "      - { name: load, type: data_loader, code: 'x = 1' }",
        "    schedules:",
        "      - { name: hourly, type: time, interval: '@hourly' }",
        "",
      ].join("\n"),
    );
    await deploy(program, `${prefix}_yaml`.replace(/-/g, "_"), (p) => {
      expect(p.blocks.map((b: any) => b.uuid)).toEqual(["load"]);
    });
  }, 600_000);
});
