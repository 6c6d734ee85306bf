// `pulumi-pipelines compile`: the GitOps program as the Pulumi YAML template the YAML language host reads, with
// the environment that host gives it (PULUMI_STACK, PULUMI_CONFIG; pulumi-yaml v1.25.0 pkg/server/server.go). The
// template run by the real host against a real Mage is test/e2e/gitops-program.test.ts and test/e2e/package.test.ts.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compileCommand } from "../../provider/cli/compile";
import { stackEnv } from "../../provider/cli/process";
import { pulumiYamlTemplate, type Template } from "../../provider/program/template";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "pp-compile-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const ORDERS = `pipelines:
  - engine: mage
    target: local
    name: orders
    variables: { price: "\${{ not an expression }} costs $5" }
    blocks:
      - name: load
        type: data_loader
        codeFile: ../blocks/load.py
      - name: clean
        type: transformer
        code: "print('\${HOME}')"
        upstream: [load]
    schedules:
      - name: daily
        type: time
        interval: "@daily"
`;

function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(root, "p-"));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

async function compile(dir: string, env: Record<string, string | undefined>) {
  let out = "";
  let err = "";
  const code = await compileCommand(
    [],
    { write: (s) => (out += s) },
    { write: (s) => (err += s) },
    {
      PULUMI_ROOT_DIRECTORY: dir,
      ...env,
    },
  );
  return { code, out, err };
}

const plugin = (extra: Record<string, string> = {}) => JSON.stringify({ "pipelines:family": "plugin", ...extra });

describe("pulumi-pipelines compile", () => {
  const dir = project({ "pipelines/orders.yaml": ORDERS, "blocks/load.py": "x = 1\n" });

  it("prints each resource under a key of its own, named and typed as the Node program registers it", async () => {
    const r = await compile(dir, { PULUMI_STACK: "dev", PULUMI_CONFIG: plugin() });
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const t = JSON.parse(r.out) as Template;
    expect(Object.values(t.resources).map((x) => [x.type, x.name])).toEqual([
      ["pipelines:mage:Pipeline", "local/orders"],
      ["pipelines:mage:Block", "local/orders/load"],
      ["pipelines:mage:Block", "local/orders/clean"],
      ["pipelines:mage:Schedule", "local/orders/daily"],
    ]);
    // References are the referred resource's output, so the engine orders them; files are read by the plugin.
    expect(t.resources.r2.properties).toMatchObject({
      pipeline: "${r0.name}",
      upstream: ["${r1.name}"],
      target: "local",
    });
    expect(t.resources.r1.properties.codeFile).toBe("blocks/load.py");
    expect(t.outputs).toBeUndefined();
  });

  it("doubles every $ of a declared value, so Pulumi YAML reads none of it as an expression", async () => {
    const t = JSON.parse((await compile(dir, { PULUMI_STACK: "dev", PULUMI_CONFIG: plugin() })).out) as Template;
    expect(t.resources.r0.properties.variables).toEqual({ price: "$${{ not an expression }} costs $$5" });
    expect(t.resources.r2.properties.code).toBe("print('$${HOME}')");
  });

  it("names the file, line and field of a bad declaration, on stderr, and prints no template", async () => {
    const bad = project({
      "pipelines/orders.yaml": ORDERS.replace("type: transformer", "type: transformr"),
      "blocks/load.py": "x = 1\n",
    });
    const r = await compile(bad, { PULUMI_STACK: "dev", PULUMI_CONFIG: plugin() });
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toMatch(
      /^1 error\(s\) in the pipeline declarations:\npipelines\/orders\.yaml:11:15: pipelines\[0\]\.blocks\[1\]\.type: /,
    );
  });

  it("refuses a stack whose resources are dynamic: it would replace every one of them", async () => {
    for (const config of [JSON.stringify({ "pipelines:family": "dynamic" }), "{}"]) {
      const r = await compile(dir, { PULUMI_STACK: "dev", PULUMI_CONFIG: config });
      expect(r.code).toBe(1);
      expect(r.out).toBe("");
      expect(r.err).toContain("pipelines:family is 'dynamic': this program registers the package's own types");
      expect(r.err).toContain("pulumi-pipelines migrate --to plugin");
    }
  });

  it("reads pipelines:path from the config, and says so in a stack output when it holds no declarations", async () => {
    fs.mkdirSync(path.join(dir, "empty"), { recursive: true });
    const r = await compile(dir, { PULUMI_STACK: "dev", PULUMI_CONFIG: plugin({ "pipelines:path": "empty" }) });
    expect(JSON.parse(r.out)).toEqual({
      name: "pulumi-pipelines",
      resources: {},
      outputs: { warnings: ["no *.yaml declarations under empty"] },
    });
  });

  it("deploys a review stack's pipelines under its prefix, from pipelines:review as the host passes it (JSON)", async () => {
    const review = JSON.stringify({ from: "dev", prefix: "pr-7-", pipelines: ["orders"] });
    const r = await compile(dir, { PULUMI_STACK: "pr-7", PULUMI_CONFIG: plugin({ "pipelines:review": review }) });
    expect(r.err).toBe("");
    const names = Object.values((JSON.parse(r.out) as Template).resources).map((x) => x.name);
    // As every review stack has them (declarations/reviewStack.ts): blocks renamed, the one trigger it runs by.
    expect(names).toEqual([
      "local/pr-7-orders",
      "local/pr-7-orders/pr-7-load",
      "local/pr-7-orders/pr-7-clean",
      "local/pr-7-orders/pulumi-pipelines review",
    ]);
  });

  it("with no config (the host listing a program's packages) prints an empty template and reads nothing", async () => {
    // The environment may name a stack (PULUMI_STACK: dev, as a deploy job sets it); the host passes no config then.
    for (const env of [{}, { PULUMI_STACK: "dev" }]) {
      const r = await compile(path.join(root, "nowhere"), env);
      expect(r).toEqual({ code: 0, out: '{"name":"pulumi-pipelines","resources":{}}\n', err: "" });
    }
  });

  it("names the template after the project, so Pulumi YAML neither reads Pulumi.yaml again nor walks the folder", async () => {
    const r = await compile(dir, { PULUMI_STACK: "dev", PULUMI_CONFIG: plugin(), PULUMI_PROJECT: "orders-gitops" });
    expect((JSON.parse(r.out) as Template).name).toBe("orders-gitops");
  });

  it("reads a stack with no config at all (the host passes null)", async () => {
    const r = await compile(dir, { PULUMI_STACK: "dev", PULUMI_CONFIG: "null" });
    expect(r.err).toContain("pipelines:family is 'dynamic'");
  });
});

describe("the template", () => {
  it("refuses a mapping whose one key starts with fn::, which Pulumi YAML would call", () => {
    const resource = {
      type: "ionworks:Pipeline" as const,
      name: "iw/fit",
      args: { blocks: [{ config: { "Fn::Secret": "x" } }] },
      refs: [],
    };
    expect(() => pulumiYamlTemplate([resource])).toThrow(
      "iw/fit: blocks.0.config.Fn::Secret: a mapping whose only key starts with 'fn::' cannot be passed through Pulumi YAML",
    );
  });
});

describe("the environment of a pulumi command the command line runs", () => {
  it("has no PULUMI_STACK when the command names its stack, so the compiled program sees the stack named", () => {
    const env = { PULUMI_STACK: "dev", PATH: "/bin" };
    expect(stackEnv(["up", "--stack", "pr-7"], env)).toEqual({ PATH: "/bin" });
    expect(stackEnv(["stack", "ls"], env)).toBe(env);
  });
});
