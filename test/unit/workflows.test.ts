// The GitHub Actions workflows `init` writes: which events start them, by
// GitHub's filter-pattern rules (test/helpers/actions/triggers.ts, checked here
// against the examples in GitHub's own docs), and the stack they deploy. That
// they work when they run is test/e2e/workflows.test.ts.

import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  forStacks,
  type InitOptions,
  initCommand,
  initFiles,
  LOCKFILE_STEP,
  parseInitArgs,
  WORKFLOWS,
} from "../../provider/cli/init";
import { ENGINES } from "../../provider/declarations/types";
import { filterPattern, fires, included } from "../helpers/actions/triggers";

describe("GitHub's filter patterns (examples from the docs' cheat sheet)", () => {
  it.each([
    ["feature/*", ["feature/my-branch", "feature/your-branch"], ["feature/your/branch"]],
    ["feature/**", ["feature/beta-a/my-branch", "feature/your-branch", "feature/mona/the/octocat"], ["main"]],
    ["*", ["main", "releases"], ["releases/v1"]],
    ["**", ["all/the/branches", "every/tag"], []],
    ["v2*", ["v2", "v2.0", "v2.9"], ["v1"]],
    ["v[12].[0-9]+.[0-9]+", ["v1.10.1", "v2.0.0"], ["v3.0.0", "v1.x.1"]],
    ["*.js", ["app.js", "index.js"], ["js/index.js"]],
    ["**.js", ["index.js", "js/index.js", "src/js/app.js"], ["index.ts"]],
    ["docs/*", ["docs/README.md", "docs/file.txt"], ["docs/sub/file.txt"]],
    ["docs/**", ["docs/README.md", "docs/mona/octocat.txt"], ["README.md"]],
    ["**/docs/**", ["docs/hello.md", "dir/docs/my-file.txt", "space/docs/plan/space.doc"], ["documents/x"]],
    ["**/README.md", ["README.md", "js/README.md"], ["README.txt"]],
    ["*.jsx?", ["page.js", "page.jsx"], ["page.jsxx"]],
  ])("%s", (pattern, yes, no) => {
    for (const v of yes) expect(filterPattern(pattern).test(v), `${pattern} matches ${v}`).toBe(true);
    for (const v of no) expect(filterPattern(pattern).test(v), `${pattern} does not match ${v}`).toBe(false);
  });

  it("applies patterns in order, a later ! excluding what an earlier one included", () => {
    const patterns = ["sub-project/**", "!sub-project/docs/**"];
    expect(included("sub-project/app.js", patterns)).toBe(true);
    expect(included("sub-project/docs/readme.md", patterns)).toBe(false);
    expect(included("sub-project/docs/readme.md", [...patterns, "**/*.md"])).toBe(true);
  });

  it("runs a paths-filtered workflow when any changed file is included, paths-ignore unless all are ignored", () => {
    const on = { push: { paths: ["pipelines/**"] }, pull_request: { "paths-ignore": ["docs/**"] } };
    expect(fires(on, { event: "push", branch: "main", changedFiles: ["README.md", "pipelines/a.yaml"] }).fires).toBe(
      true,
    );
    expect(fires(on, { event: "push", branch: "main", changedFiles: ["blocks/a.py"] }).fires).toBe(false);
    const pr = { event: "pull_request" as const, action: "opened", branch: "main" };
    expect(fires(on, { ...pr, changedFiles: ["docs/a.md"] }).fires).toBe(false);
    expect(fires(on, { ...pr, changedFiles: ["docs/a.md", "x"] }).fires).toBe(true);
    expect(fires(on, { ...pr, action: "labeled", changedFiles: ["x"] }).fires).toBe(false);
  });
});

describe("workflow_run", () => {
  it("starts a workflow for the runs of the workflows it names, and no other", () => {
    const on = { workflow_run: { workflows: ["pipelines"], types: ["completed"] } };
    const run = (workflow: string, action = "completed") => fires(on, { event: "workflow_run", action, workflow });
    expect(run("pipelines")).toEqual({ fires: true });
    expect(run("pipeline drift")).toEqual({ fires: false, why: "workflow pipeline drift not in workflows" });
    expect(run("pipelines", "requested").fires).toBe(false);
  });
});

describe("the Pulumi project init writes", () => {
  const project = (...args: string[]) => {
    const parsed = parseInitArgs(["/tmp/x", ...args]);
    if (typeof parsed === "string") throw new Error(parsed);
    return parse(initFiles(parsed).get("Pulumi.yaml")!);
  };

  const files = (...args: string[]) => {
    const parsed = parseInitArgs(["/tmp/x", ...args]);
    if (typeof parsed === "string") throw new Error(parsed);
    return initFiles(parsed);
  };

  it("runs on the plugin by default: the family for every stack, and the plugin from the installed package", () => {
    expect(project()).toMatchObject({
      config: { "pipelines:family": "plugin" },
      plugins: {
        providers: [{ name: "pipelines", path: "./node_modules/.bin" }],
        analyzers: [{ name: "policy-pipelines", path: "./node_modules/.bin" }],
      },
    });
  });

  it("by default, the program is the declarations compiled to Pulumi YAML, with no Node program", () => {
    expect(project().runtime).toEqual({
      name: "yaml",
      options: { compiler: "./node_modules/.bin/pulumi-pipelines compile" },
    });
    expect(project().main).toBeUndefined();
    expect(files().has("index.js")).toBe(false);
  });

  it("with --family dynamic, says so, names no plugin but the analyzer, and runs the package's Node program", () => {
    const p = project("--family", "dynamic");
    expect(p.config).toEqual({ "pipelines:family": "dynamic" });
    expect(p.plugins).toEqual({ analyzers: [{ name: "policy-pipelines", path: "./node_modules/.bin" }] });
    expect(p.runtime).toEqual({ name: "nodejs", options: { typescript: false } });
    expect(p.main).toBe("index.js");
    expect(files("--family", "dynamic").get("index.js")).toContain('require("pulumi-pipelines/program");');
  });

  it("refuses a family that does not exist, naming both", () => {
    expect(parseInitArgs(["/tmp/x", "--family", "native"])).toBe("unknown --family 'native'; use plugin or dynamic");
  });
});

describe("the workflows init writes", () => {
  const options = (engine: (typeof ENGINES)[number], stack = "prod"): InitOptions => {
    const parsed = parseInitArgs(["/tmp/x", "--engine", engine, "--stack", stack]);
    if (typeof parsed === "string") throw new Error(parsed);
    return parsed;
  };

  // The path filter these workflows used to have: a change to a block's code started nothing.
  const FORMER = { pull_request: { paths: ["pipelines/**", "Pulumi.yaml", "package.json"] } };

  it.each(ENGINES)(
    "%s: a pull request or push changing any one file init writes starts the pipelines workflow",
    (engine) => {
      const files = initFiles(options(engine));
      const on = parse(files.get(".github/workflows/pipelines.yml")!).on;
      for (const file of [...files.keys(), "package-lock.json", "shared/helpers.py"]) {
        const pr = { event: "pull_request" as const, action: "opened", branch: "main", changedFiles: [file] };
        expect(fires(on, pr), file).toEqual({ fires: true });
        expect(fires(on, { event: "push", branch: "main", changedFiles: [file] }), file).toEqual({ fires: true });
        expect(fires(on, { event: "push", branch: "feature", changedFiles: [file] }).fires, file).toBe(false);
      }
      const code = [...files.keys()].find((f) => /^(blocks|sql)\//.test(f));
      if (code)
        expect(
          fires(FORMER, { event: "pull_request", action: "opened", branch: "main", changedFiles: [code] }),
        ).toEqual({
          fires: false,
          why: `no changed file in paths (${code})`,
        });
    },
  );

  const stacksOptions = (stacks: string): InitOptions => {
    const parsed = parseInitArgs(["/tmp/x", "--stacks", stacks]);
    if (typeof parsed === "string") throw new Error(parsed);
    return parsed;
  };
  const jobsOf = (files: Map<string, string>, name: string) =>
    parse(files.get(`.github/workflows/${name}`)!).jobs as Record<string, any>;

  it("are the examples in examples/github-actions, exactly, for stacks dev, staging and prod", () => {
    const files = initFiles(stacksOptions("dev,staging,prod"));
    for (const name of WORKFLOWS)
      expect(files.get(`.github/workflows/${name}`), name).toBe(
        fs.readFileSync(path.join(__dirname, "..", "..", "examples", "github-actions", name), "utf8"),
      );
  });

  it("deploy each stack in order, each after the one before and in the environment of its name, previews and drift in none", () => {
    const files = initFiles(stacksOptions("acme/pipelines/dev,acme/pipelines/qa,acme/pipelines/prod"));
    const environments = Object.fromEntries(
      ["pipelines.yml", "drift.yml", "pipelines-comment.yml"].flatMap((name) =>
        Object.entries(jobsOf(files, name)).map(([job, spec]) => [
          `${name} ${job}`,
          [spec.environment ?? null, spec.needs ?? null, spec.env?.PULUMI_STACK ?? null],
        ]),
      ),
    );
    expect(environments).toEqual({
      "pipelines.yml review": [null, null, null],
      "pipelines.yml preview": [null, "review", null],
      "pipelines.yml review-stack": [null, "review", null],
      "pipelines.yml review-stack-destroy": [null, null, null],
      "pipelines.yml deploy-dev": ["dev", null, "acme/pipelines/dev"],
      "pipelines.yml deploy-qa": ["qa", "deploy-dev", "acme/pipelines/qa"],
      "pipelines.yml deploy-prod": ["prod", "deploy-qa", "acme/pipelines/prod"],
      "drift.yml drift": [null, null, null],
      "drift.yml sweep": [null, null, null],
      "pipelines-comment.yml comment": [null, null, null],
    });
    for (const name of ["pipelines.yml", "drift.yml"])
      expect(parse(files.get(`.github/workflows/${name}`)!).env, name).toEqual({
        PULUMI_STACKS: "acme/pipelines/dev acme/pipelines/qa acme/pipelines/prod",
        // Review stacks beside the last but one.
        REVIEW_STACK_FROM: "acme/pipelines/qa",
      });
  });

  it("with one stack, deploy it alone and make no review stacks (nothing is pre-production)", () => {
    const files = initFiles(options("mage", "prod"));
    expect(Object.keys(jobsOf(files, "pipelines.yml"))).toEqual(["review", "preview", "deploy-prod"]);
    expect(Object.keys(jobsOf(files, "drift.yml"))).toEqual(["drift"]);
    expect(parse(files.get(".github/workflows/pipelines.yml")!).env).toEqual({ PULUMI_STACKS: "prod" });
    const text = files.get(".github/workflows/pipelines.yml")!;
    expect(text).not.toMatch(/REVIEW_STACK_FROM|review-stack|\bdev\b|staging/);
  });

  it("leave the pull request's workflow read-only: only the comment workflow, which runs no pull request code, writes", () => {
    const files = initFiles(stacksOptions("dev,prod"));
    // Reads only: the deploys read the labels of the pull request they merge.
    expect(parse(files.get(".github/workflows/pipelines.yml")!).permissions).toEqual({
      contents: "read",
      "pull-requests": "read",
    });
    const comment = parse(files.get(".github/workflows/pipelines-comment.yml")!);
    expect(comment.on).toEqual({ workflow_run: { workflows: ["pipelines"], types: ["completed"] } });
    expect(comment.permissions).toEqual({ actions: "read", "pull-requests": "write" });
    const steps = comment.jobs.comment.steps.map((s: any) => s.uses ?? s.run);
    expect(steps.filter((s: string) => /checkout|npm|npx/.test(s))).toEqual([]);
  });

  it("refuse two stacks that would share an environment, and --stack with --stacks", () => {
    expect(parseInitArgs(["/tmp/x", "--stacks", "a/p/dev,b/p/dev"])).toBe(
      "two stacks named dev: each deploys in a GitHub environment of its name",
    );
    expect(parseInitArgs(["/tmp/x", "--stack", "dev", "--stacks", "dev,prod"])).toBe(
      "give --stack <stack> or --stacks <a,b,…>, not both",
    );
  });

  it("keep the templates' comments when they write another list of stacks", () => {
    const template = fs.readFileSync(
      path.join(__dirname, "..", "..", "examples", "github-actions", "pipelines.yml"),
      "utf8",
    );
    const written = forStacks(template, ["dev", "prod"]);
    expect(written).toContain("environment: prod # its protection rules");
    expect(written).toContain("needs: deploy-dev # once the stack before it deployed");
  });

  it("refuses a stack name Pulumi would refuse, on stderr with the usage error's exit 64", () => {
    let out = "";
    let err = "";
    const code = initCommand(
      ["/tmp/never-written", "--stack", "prod stack"],
      { write: (s) => (out += s) },
      {
        write: (s) => (err += s),
      },
    );
    expect({ code, out, err }).toEqual({
      code: 64,
      out: "",
      err: expect.stringMatching(
        /^pulumi-pipelines init: 'prod stack' cannot be a Pulumi stack name; use letters, digits, '_', '\.', '-'\nusage: pulumi-pipelines init \[dir\]/,
      ),
    });
  });

  it("fail with the lockfile sentence in every job that installs, before npm ci", () => {
    const files = initFiles(options("feldera"));
    for (const name of ["pipelines.yml", "drift.yml"]) {
      const wf = parse(files.get(`.github/workflows/${name}`)!);
      for (const [id, job] of Object.entries<any>(wf.jobs)) {
        const install = job.steps.find((s: any) => /npm ci/.test(s.run ?? ""));
        expect(install.run, `${name} ${id}`).toContain(`package-lock.json is missing: ${LOCKFILE_STEP}`);
      }
    }
  });
});
