// The package as users install it: `npm pack`, installed from the tarball into
// projects outside this repository, and every entry point a user has, run from
// there — the TypeScript API (strict type-check), `init`, the GitOps program
// through the real Pulumi CLI against a Mage started by the installed
// `sandbox mage`, `validate`, `diff --base` and `--preview`, `export`,
// `bootstrap`, and the `$schema` path the declarations carry.
import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mageClient } from "../../provider/backends/mage/client";
import { SCHEMA_LINE } from "../../provider/cli/init";
import { createStack, ops, type TestStack } from "../helpers/pulumi";
import { type Ran, sh } from "../helpers/spawn";
import { until } from "../helpers/until";

const REPO = path.resolve(__dirname, "..", "..");
const PKG = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8"));
const SDK = PKG.devDependencies["@pulumi/pulumi"];

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  return sh(cmd, args, cwd, { ...process.env, ...env });
}

async function must(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  const r = await run(cmd, args, cwd, env);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(" ")} (in ${cwd}) exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
  return r;
}

const npm = (args: string[], cwd: string) => must("npm", [...args, "--no-audit", "--no-fund", "--prefer-offline"], cwd);

/** The tarball `npm pack` makes of this repository (built by `npm test`'s set-up). */
async function pack(into: string): Promise<string> {
  const r = await must("npm", ["pack", "--json", "--pack-destination", into], REPO);
  return path.join(into, JSON.parse(r.stdout)[0].filename);
}

describe("the published tarball", () => {
  let files: string[];

  beforeAll(async () => {
    const r = await must("npm", ["pack", "--dry-run", "--json"], REPO);
    files = JSON.parse(r.stdout)[0].files.map((f: { path: string }) => f.path);
  }, 120_000);

  it("holds the Apache-2.0 licence its package.json names, and the changelog", () => {
    expect(files).toEqual(expect.arrayContaining(["LICENSE", "CHANGELOG.md"]));
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8"));
    expect(pkg.license).toBe("Apache-2.0");
    const licence = fs.readFileSync(path.join(REPO, "LICENSE"), "utf8");
    expect(licence).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004/);
    expect(fs.readFileSync(path.join(REPO, "CHANGELOG.md"), "utf8")).toContain(`## [${pkg.version}]`);
  });

  it("holds what users run and read, and no tests, fixtures, sources, maps or dev tools", () => {
    const allowed = [
      /^package\.json$/,
      /^README\.md$/,
      /^LICENSE$/,
      /^CHANGELOG\.md$/,
      // The policy pack the package is (pulumi preview --policy-pack node_modules/pulumi-pipelines).
      /^PulumiPolicy\.yaml$/,
      /^dist\/provider\/.+\.(js|d\.ts)$/,
      /^dist\/schemas\/pipelines\.schema\.json$/,
      // The schema's validators, compiled at build time (scripts/validators.ts).
      /^dist\/schemas\/validators\.js$/,
      /^schemas\/pipelines\.schema\.json$/,
      // The Pulumi package schema the provider plugin serves (scripts/pulumiSchema.ts).
      /^schemas\/pulumi\.schema\.json$/,
      // The Python SDK generated from it (npm run sdks), installed with pip from node_modules.
      /^sdk\/python\/.+$/,
      /^examples\/github-actions\/(pipelines|pipelines-comment|drift)\.yml$/,
      /^examples\/(mage-etl|feldera-fraud|ionworks-fit)\/(pipelines|blocks|sql)\/[^/]+$/,
    ];
    expect(files.filter((f) => !allowed.some((a) => a.test(f)))).toEqual([]);
    expect(files.filter((f) => /(^|\/)(test|fixtures|scripts)\/|\.map$|\.ts$(?<!\.d\.ts)|tsbuildinfo/.test(f))).toEqual(
      [],
    );
  });

  it("holds every file the code loads at run time: relative requires, runtime providers, the bin", () => {
    const packed = new Set(files);
    const missing: string[] = [];
    const resolveIn = (base: string) =>
      [base, `${base}.js`, `${base}.json`, `${base}/index.js`].find((c) => packed.has(c)) ?? base;
    for (const file of files.filter((f) => f.endsWith(".js"))) {
      const text = fs.readFileSync(path.join(REPO, file), "utf8");
      for (const m of text.matchAll(/require\("(\.{1,2}\/[^"]+)"\)/g)) {
        const target = resolveIn(path.posix.normalize(path.posix.join(path.posix.dirname(file), m[1])));
        if (!packed.has(target)) missing.push(`${file} → ${m[1]}`);
      }
      // Module ids the serialized providers load from the program's node_modules (package.json "exports").
      for (const m of text.matchAll(/"pulumi-pipelines\/runtime\/([^"]+)"/g)) {
        if (!packed.has(`dist/provider/resources/${m[1]}.js`)) missing.push(`${file} → runtime/${m[1]}`);
      }
    }
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8"));
    for (const bin of Object.values(pkg.bin as Record<string, string>)) if (!packed.has(bin)) missing.push(bin);
    expect(missing).toEqual([]);
    expect(files.filter((f) => f.includes("/runtime/") || f.endsWith("Provider.js")).length).toBeGreaterThan(0);
  });
});

describe("installed from the tarball, outside the repository", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "pp-consumer-"));
  const app = path.join(root, "app"); // a TypeScript program of one's own
  const gitops = path.join(root, "gitops"); // a GitOps repository made by `init`
  const bin = (dir: string) => path.join(dir, "node_modules", ".bin", "pulumi-pipelines");
  let tarball: string;
  let sandbox: ChildProcess | undefined;
  let sandboxOut = "";
  let mage: { url: string; email: string; password: string };
  let stack: TestStack;

  beforeAll(async () => {
    tarball = await pack(root);
    fs.mkdirSync(app);
    await npm(["init", "-y"], app);
    await npm(["install", tarball, `@pulumi/pulumi@${SDK}`, "typescript@~5.9.3", "@types/node@^20"], app);
  }, 600_000);

  afterAll(async () => {
    await stack?.remove();
    if (sandbox && sandbox.exitCode === null) sandbox.kill("SIGTERM");
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("the TypeScript API of all three engines type-checks under strict settings", async () => {
    fs.writeFileSync(
      path.join(app, "index.ts"),
      [
        'import { feldera, ionworks, mage, PipelineApiError } from "pulumi-pipelines";',
        'const p = new mage.Pipeline("etl", { name: "etl", tags: ["a"] });',
        'const load = new mage.Block("load", { pipeline: p, name: "load", type: "data_loader", code: "x = 1" });',
        'new mage.Block("clean", { pipeline: p, name: "clean", type: "transformer", code: "y = 2", upstream: [load] });',
        'new mage.Schedule("daily", { pipeline: p, name: "daily", type: "time", interval: "@daily" });',
        'new feldera.Pipeline("f", { name: "f", blocks: [{ name: "t", sql: "CREATE TABLE t (x INT);" }] });',
        'new ionworks.Pipeline("i", { name: "i", blocks: [{ name: "e", type: "entry", config: { values: {} } }] });',
        'export const live = mage.Pipeline.get("live", "orders_etl", { target: "mage" }).uuid;',
        'export const liveRun = ionworks.Pipeline.get("run", "3f2a", { target: "lab" }).status;',
        "export const isApiError = (e: unknown): boolean => e instanceof PipelineApiError;",
        "",
      ].join("\n"),
    );
    const tsconfig = { compilerOptions: { strict: true, noEmit: true, module: "node16", target: "ES2022" } };
    fs.writeFileSync(path.join(app, "tsconfig.json"), JSON.stringify({ ...tsconfig, files: ["index.ts"] }));
    const r = await run(path.join(app, "node_modules", ".bin", "tsc"), ["-p", "."], app);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });

  it("bootstrap finds the CLI for the installed SDK and says what it is", async () => {
    const r = await run(bin(app), ["bootstrap"], app);
    expect(r.code, r.stderr).toBe(0);
    const dir = r.stdout.trim();
    expect(fs.existsSync(path.join(dir, "pulumi"))).toBe(true);
    expect((await must(path.join(dir, "pulumi"), ["version"], app)).stdout.trim()).toBe(`v${SDK}`);
    expect(r.stderr).toMatch(/Pulumi CLI/);
  });

  it("init writes a GitOps repository, and refuses to write over one", async () => {
    const r = await must(bin(app), ["init", gitops, "--engine", "mage"], app);
    expect(r.stdout).toContain("npm install");
    // The tarball is a file on this machine: init says CI cannot reach it.
    expect(r.stdout).toContain(`package.json installs pulumi-pipelines from ${tarball}, which CI cannot reach`);
    expect(
      fs
        .readdirSync(gitops, { recursive: true })
        .map(String)
        .filter((f) => fs.statSync(path.join(gitops, f)).isFile())
        .sort(),
    ).toEqual([
      ".github/workflows/drift.yml",
      ".github/workflows/pipelines-comment.yml",
      ".github/workflows/pipelines.yml",
      ".gitignore",
      "Pulumi.yaml",
      "blocks/clean_orders.py",
      "blocks/export_orders.py",
      "blocks/load_orders.py",
      "package.json",
      "pipelines/orders-etl.yaml",
    ]);
    const again = await run(bin(app), ["init", gitops], app);
    expect([again.code, again.stdout, again.stderr]).toEqual([
      1,
      "",
      `init: ${gitops} already has Pulumi.yaml, package.json, .gitignore, .github/workflows/pipelines.yml, .github/workflows/pipelines-comment.yml, .github/workflows/drift.yml, pipelines/orders-etl.yaml, blocks/clean_orders.py, blocks/export_orders.py, blocks/load_orders.py; nothing was written\n`,
    ]);
    // The package came from the tarball, so the new repository's dependency is that tarball, and the step init
    // prints, a plain `npm install`, installs it.
    const deps = JSON.parse(fs.readFileSync(path.join(gitops, "package.json"), "utf8")).dependencies;
    expect(deps).toEqual({
      // The policy SDK the guardrails' pack runs on, in the range the package takes it as a peer.
      "@pulumi/policy": PKG.peerDependencies["@pulumi/policy"],
      "@pulumi/pulumi": `^${SDK.replace(/^[\^~]/, "")}`,
      "pulumi-pipelines": `file:${tarball}`,
    });
    await npm(["install"], gitops);
    expect(fs.existsSync(path.join(gitops, "node_modules", "pulumi-pipelines", "dist", "provider", "program"))).toBe(
      true,
    );
  }, 600_000);

  it("the declarations' $schema line resolves to the schema inside the installed package", () => {
    const yaml = fs.readFileSync(path.join(gitops, "pipelines", "orders-etl.yaml"), "utf8");
    expect(yaml.split("\n")[0]).toBe(SCHEMA_LINE);
    const schemaPath = path.resolve(path.join(gitops, "pipelines"), SCHEMA_LINE.split("$schema=")[1]);
    const schema = JSON.parse(fs.readFileSync(schemaPath, "utf8"));
    expect(schema).toEqual(JSON.parse(fs.readFileSync(path.join(REPO, "schemas", "pipelines.schema.json"), "utf8")));
  });

  it("validate and diff --base run from the installed package", async () => {
    const v = await run(bin(gitops), ["validate", "pipelines/"], gitops);
    expect([v.code, v.stdout]).toEqual([0, "1 file, 1 pipeline: valid\n"]);

    const git = (...args: string[]) => must("git", args, gitops);
    await git("init", "-q");
    await git("-c", "user.email=t@example.com", "-c", "user.name=t", "add", ".");
    await git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "init");
    const file = path.join(gitops, "pipelines", "orders-etl.yaml");
    const original = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, original.replace('interval: "@daily"', 'interval: "@hourly"'));
    const d = await run(bin(gitops), ["diff", "--base", "HEAD", "pipelines/", "--format", "text"], gitops);
    fs.writeFileSync(file, original);
    expect(d.code, d.stderr).toBe(0);
    expect(d.stdout).toContain("@hourly");
  });

  it("sandbox mage starts a Mage from the installed package", async () => {
    sandbox = spawn(bin(gitops), ["sandbox", "mage"], { cwd: gitops, stdio: ["ignore", "pipe", "pipe"] });
    sandbox.stdout!.on("data", (c) => (sandboxOut += c));
    const pattern = /export MAGE_URL=(\S+) MAGE_EMAIL=(\S+) MAGE_PASSWORD=(\S+)/;
    await until("the sandbox to print its URL", () => pattern.test(sandboxOut) || sandbox!.exitCode !== null, 300_000);
    const [, url, email, password] = sandboxOut.match(pattern) ?? [];
    expect(url, sandboxOut).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    mage = { url, email, password };
  }, 320_000);

  it("the GitOps program deploys the sample through the real CLI, previews no change, and the review reads a preview", async () => {
    stack = await createStack(gitops);
    await stack.config("pipelines:mage.url", mage.url, { path: true });
    await stack.config("pipelines:mage.email", mage.email, { path: true });
    await stack.config("pipelines:mage.password", mage.password, { path: true, secret: true });
    const up = await stack.up();
    expect(up.code, up.stdout + up.stderr).toBe(0);

    const server = mageClient(mage);
    const detail = await server.call<any>("GET", "/api/pipelines/orders_etl", {
      query: { includes_content: "true", includes_outputs: "false" },
    });
    const blocks = detail.pipeline.blocks.map((b: any) => [b.uuid, b.type, b.upstream_blocks]);
    expect(blocks).toEqual([
      ["load_orders", "data_loader", []],
      ["clean_orders", "transformer", ["load_orders"]],
      ["export_orders", "data_exporter", ["clean_orders"]],
    ]);
    const load = detail.pipeline.blocks.find((b: any) => b.uuid === "load_orders");
    expect(load.content).toBe(fs.readFileSync(path.join(gitops, "blocks", "load_orders.py"), "utf8"));
    const triggers = await server.call<any>("GET", "/api/pipelines/orders_etl/pipeline_schedules");
    expect(triggers.pipeline_schedules.map((t: any) => [t.name, t.schedule_interval])).toEqual([["daily", "@daily"]]);

    expect(ops(await stack.preview())).toEqual({ same: 5 });
    // init wrote the plugin family: the package's own types, served by the plugin from node_modules.
    const types = (await stack.export()).deployment.resources.map((x: any) => x.type);
    expect(types.filter((t: string) => t.startsWith("pipelines:mage:")).sort()).toEqual([
      "pipelines:mage:Block",
      "pipelines:mage:Block",
      "pipelines:mage:Block",
      "pipelines:mage:Pipeline",
      "pipelines:mage:Schedule",
    ]);
    expect(types.filter((t: string) => t.startsWith("pulumi-nodejs:"))).toEqual([]);

    const file = path.join(gitops, "pipelines", "orders-etl.yaml");
    const original = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, original.replace('interval: "@daily"', 'interval: "@hourly"'));
    const preview = await stack.run(["preview", "--json"]);
    fs.writeFileSync(file, original);
    fs.writeFileSync(path.join(root, "preview.json"), preview.stdout);
    const review = await run(bin(gitops), ["diff", "--preview", path.join(root, "preview.json")], gitops);
    expect(review.code, review.stderr).toBe(0);
    expect(review.stdout).toContain("@hourly");
  }, 300_000);

  it("export writes the live pipeline as declarations that validate", async () => {
    const out = path.join(root, "exported");
    const env = { MAGE_URL: mage.url, MAGE_EMAIL: mage.email, MAGE_PASSWORD: mage.password };
    const r = await run(
      bin(gitops),
      ["export", "--target", "mage", "--pipeline", "orders_etl", "--out", out],
      gitops,
      env,
    );
    expect(r.code, r.stderr).toBe(0);
    const v = await run(bin(gitops), ["validate", path.join(out, "pipelines")], gitops);
    expect([v.code, v.stdout]).toEqual([0, "1 file, 1 pipeline: valid\n"]);
    expect(fs.readFileSync(path.join(out, "pipelines", "orders_etl.yaml"), "utf8")).not.toContain(mage.password);
  });

  /** `export` of one Mage pipeline, its declaration put in the repository's pipelines/ as a user copies it. */
  async function exportInto(uuid: string): Promise<string> {
    const out = path.join(root, `exported-${uuid}`);
    const env = { MAGE_URL: mage.url, MAGE_EMAIL: mage.email, MAGE_PASSWORD: mage.password };
    const exported = await run(
      bin(gitops),
      ["export", "--target", "mage", "--pipeline", uuid, "--out", out],
      gitops,
      env,
    );
    expect(exported.code, exported.stderr).toBe(0);
    const declaration = path.join(gitops, "pipelines", `${uuid}.yaml`);
    fs.copyFileSync(path.join(out, "pipelines", `${uuid}.yaml`), declaration);
    return declaration;
  }

  it("pulumi import takes a pipeline made in Mage into the GitOps stack; its exported declaration previews no change", async () => {
    const server = mageClient(mage);
    await server.call<any>("POST", "/api/pipelines", {
      body: { pipeline: { name: "legacy orders", type: "python", description: "Made in the UI" } },
    });
    // Named as the program names a pipeline's resource: <target>/<name>.
    const imported = await stack.run([
      "import",
      "pipelines:mage:Pipeline",
      "mage/legacy orders",
      "legacy_orders",
      "--yes",
      "--generate-code=false",
    ]);
    expect(imported.code, imported.stdout + imported.stderr).toBe(0);
    const declaration = await exportInto("legacy_orders");
    expect(ops(await stack.preview())).toEqual({ same: 6 });

    // Managed from here on: its declaration removed, the next up deletes it from Mage.
    await stack.must(["state", "unprotect", "--all", "--yes"]);
    fs.rmSync(declaration);
    const up = await stack.up();
    expect(up.code, up.stdout + up.stderr).toBe(0);
    const uuids = (await server.call<any>("GET", "/api/pipelines")).pipelines.map((p: { uuid: string }) => p.uuid);
    expect(uuids).not.toContain("legacy_orders");
  }, 300_000);

  it("export + adopt: true takes a pipeline made in Mage into the GitOps stack, changing nothing on Mage", async () => {
    const server = mageClient(mage);
    await server.call<any>("POST", "/api/pipelines", {
      body: { pipeline: { name: "ui orders", type: "python", description: "Made in the UI" } },
    });
    const live = async () =>
      (await server.call<any>("GET", "/api/pipelines/ui_orders", { query: { includes_content: "true" } })).pipeline;
    const before = await live();
    const declaration = await exportInto("ui_orders");
    expect(fs.readFileSync(declaration, "utf8")).toContain("adopt: true");

    const up = await stack.up();
    expect(up.code, up.stdout + up.stderr).toBe(0);
    const adopted = (await stack.export()).deployment.resources.find((r: any) => r.urn.endsWith("::mage/ui orders"));
    expect([adopted?.type, adopted?.id]).toEqual(["pipelines:mage:Pipeline", "ui_orders"]);
    expect(await live()).toEqual(before);
    expect(ops(await stack.preview())).toEqual({ same: 6 });

    // Managed from here on: its declaration removed, the next up deletes it from Mage.
    fs.rmSync(declaration);
    const removed = await stack.up();
    expect(removed.code, removed.stdout + removed.stderr).toBe(0);
    const uuids = (await server.call<any>("GET", "/api/pipelines")).pipelines.map((p: { uuid: string }) => p.uuid);
    expect(uuids).not.toContain("ui_orders");
  }, 300_000);

  it("destroy removes what the stack made, and the sandbox stops on SIGTERM", async () => {
    const names = async () =>
      (await mageClient(mage).call<any>("GET", "/api/pipelines")).pipelines.map((p: { uuid: string }) => p.uuid).sort();
    const before = await names();
    expect(before).toContain("orders_etl");
    await stack.destroy();
    // A new Mage project comes with its own example pipeline, which stays.
    expect(await names()).toEqual(before.filter((n: string) => n !== "orders_etl"));
    const exited = new Promise<number | null>((r) => sandbox!.on("close", (code) => r(code)));
    sandbox!.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(sandboxOut).toContain("Mage stopped.");
    await expect(fetch(`${mage.url}/api/status`)).rejects.toThrow();
  }, 120_000);
});

describe("installed from a git URL, as the README says until it is on the registry", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "pp-git-install-"));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it("npm builds it with its prepare script, and the CLI and the API work from there", async () => {
    // A clone of this commit stands for the repository on GitHub.
    const origin = path.join(root, "origin");
    await must("git", ["clone", "-q", "--no-local", REPO, origin], root);
    const app = path.join(root, "app");
    fs.mkdirSync(app);
    await npm(["init", "-y"], app);
    await npm(["install", `git+file://${origin}`], app);
    const installed = path.join(app, "node_modules", "pulumi-pipelines");
    expect(JSON.parse(fs.readFileSync(path.join(installed, "package.json"), "utf8")).version).toBe(
      JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")).version,
    );
    expect(fs.existsSync(path.join(installed, "dist", "schemas", "validators.js"))).toBe(true);
    // The peer SDK came with it (npm installs peers), once.
    expect(fs.existsSync(path.join(app, "node_modules", "@pulumi", "pulumi", "package.json"))).toBe(true);
    const version = await must(path.join(app, "node_modules", ".bin", "pulumi-pipelines"), ["--version"], app);
    expect(version.stdout.trim()).toBe(JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")).version);
    const api = await must(
      process.execPath,
      ["-e", 'console.log(typeof require("pulumi-pipelines").mage.Pipeline)'],
      app,
    );
    expect(api.stdout.trim()).toBe("function");

    // init from there names the git URL at the commit npm built, and the new repository's `npm install` works.
    const gitops = path.join(root, "gitops");
    await must(path.join(app, "node_modules", ".bin", "pulumi-pipelines"), ["init", gitops], app);
    const commit = (await must("git", ["rev-parse", "HEAD"], origin)).stdout.trim();
    const deps = JSON.parse(fs.readFileSync(path.join(gitops, "package.json"), "utf8")).dependencies;
    expect(deps["pulumi-pipelines"]).toBe(`git+file://${origin}#${commit}`);
    await npm(["install"], gitops);
    const validated = await must(
      path.join(gitops, "node_modules", ".bin", "pulumi-pipelines"),
      ["validate", "pipelines/"],
      gitops,
    );
    expect(validated.stdout).toMatch(/valid/);
  }, 900_000);
});
