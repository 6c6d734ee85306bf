// pulumi-pipelines init [dir] [--engine mage|feldera|ionworks] [--name <project>] [--stacks <a,b,…>]
//
// Writes a GitOps repository ready to deploy: a Pulumi project whose program
// is the package's own (`pulumi-pipelines/program`), a package.json, one
// sample declaration with its code files, the GitHub Actions workflows (the
// stacks they promote through, in order) and a .gitignore. It never overwrites: if any
// file it would write exists, it writes nothing and says which. The steps it
// prints are the whole way to a first deploy from CI; the workflow run test
// executes them as printed.
import * as fs from "node:fs";
import * as path from "node:path";
import { isMap, isScalar, Pair, parseDocument, Scalar, type YAMLMap } from "yaml";
import { ENGINES, type Engine } from "../declarations/types";
import { FAMILIES, type Family, isFamily } from "../resources/families";
import { EXIT, type Out, PACKAGE_ROOT, type Parsed, parseCommand, strictParse, usageError } from "./args";

/** The sample of each engine: an example of this package, and the folders its declaration refers to. */
const SAMPLES: Record<Engine, { example: string; folders: string[] }> = {
  mage: { example: "mage-etl", folders: ["pipelines", "blocks"] },
  feldera: { example: "feldera-fraud", folders: ["pipelines", "sql"] },
  ionworks: { example: "ionworks-fit", folders: ["pipelines"] },
};

/** The stack config each engine's target needs, as `pulumi config set` lines. */
const CONFIG: Record<Engine, string[]> = {
  mage: [
    "pulumi config set --path pipelines:mage.url http://127.0.0.1:6789",
    "pulumi config set --path pipelines:mage.email you@example.com",
    "pulumi config set --path --secret pipelines:mage.password '…'",
  ],
  feldera: [
    "pulumi config set --path pipelines:feldera.url http://127.0.0.1:8080",
    "pulumi config set --path --secret pipelines:feldera.apiKey '…'   # when the server requires one",
  ],
  ionworks: [
    "pulumi config set --path pipelines:ionworks.project '<project id>'",
    "pulumi config set --path --secret pipelines:ionworks.apiKey '…'",
  ],
};

export const SCHEMA_LINE =
  "# yaml-language-server: $schema=../node_modules/pulumi-pipelines/schemas/pipelines.schema.json";

export interface InitOptions {
  dir: string;
  engine: Engine;
  name: string;
  /** The stacks the repository deploys, in the order a change is promoted through them. */
  stacks: string[];
  /** The resource family its stacks register the declarations in (Pulumi.yaml's pipelines:family). */
  family: Family;
}

export const DEFAULT_STACK = "dev";

/** The workflows init writes, from examples/github-actions (written there for stacks dev, staging and prod). */
export const WORKFLOWS = ["pipelines.yml", "pipelines-comment.yml", "drift.yml"];

/** Stack names as Pulumi takes them: `name`, or `org/project/name` on Pulumi Cloud. */
const STACK_NAME = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+){0,2}$/;

/** The sentence the printed steps, the README and the workflows give for the lockfile `npm ci` installs from. */
export const LOCKFILE_STEP = "run 'npm install' and commit package-lock.json (the workflows install with 'npm ci')";

export const INIT = {
  name: "init",
  usage: `init [dir] [--engine mage|feldera|ionworks] [--name <project>] [--stacks <a,b,…>] [--family plugin|dynamic]
                 write a GitOps repository: Pulumi project, package.json, a sample declaration,
                 the GitHub Actions workflows deploying its stacks (default ${DEFAULT_STACK}) in the order
                 given, each after the one before and in the GitHub environment of its name; pull
                 requests run their pipelines on review stacks beside the last but one; never overwrites.
                 --stack <stack>: one stack
                 --family: the resources' family: plugin (the package's provider plugin, from
                 node_modules) or dynamic (Pulumi dynamic resources, as TypeScript programs have them)`,
  options: {
    engine: { type: "string", default: "mage" },
    name: { type: "string" },
    stacks: { type: "string" },
    stack: { type: "string" },
    family: { type: "string", default: "plugin" },
  },
  positionals: 1,
} as const;

/** The options of `init`, or what is wrong with its arguments (a usage error). */
export function parseInitArgs(args: string[], cwd = process.cwd()): InitOptions | string {
  try {
    return initOptions(strictParse(INIT, args), cwd);
  } catch (e) {
    return (e as Error).message;
  }
}

/** The options from parsed arguments, or what is wrong with them. */
function initOptions(parsed: Parsed<typeof INIT.options>, cwd: string): InitOptions | string {
  const { engine } = parsed.values;
  if (parsed.values.stack !== undefined && parsed.values.stacks !== undefined)
    return "give --stack <stack> or --stacks <a,b,…>, not both";
  const stacks = (parsed.values.stacks ?? parsed.values.stack ?? DEFAULT_STACK).split(",").map((x) => x.trim());
  if (!(ENGINES as readonly string[]).includes(engine))
    return `unknown --engine '${engine}'; use ${ENGINES.join(", ")}`;
  const { family } = parsed.values;
  if (!isFamily(family)) return `unknown --family '${family}'; use ${FAMILIES.join(" or ")}`;
  const target = path.resolve(cwd, parsed.positionals[0] ?? ".");
  const project = parsed.values.name ?? path.basename(target).replace(/[^A-Za-z0-9_.-]+/g, "-");
  if (!/^[A-Za-z0-9_.-]+$/.test(project)) return `'${project}' cannot be a Pulumi project name; give one with --name`;
  for (const stack of stacks)
    if (!STACK_NAME.test(stack)) return `'${stack}' cannot be a Pulumi stack name; use letters, digits, '_', '.', '-'`;
  const short = stacks.map(environmentName);
  const twice = short.find((x, i) => short.indexOf(x) !== i);
  if (twice) return `two stacks named ${twice}: each deploys in a GitHub environment of its name`;
  return { dir: target, engine: engine as Engine, name: project, stacks, family };
}

/** Every file init writes: path relative to the new repository → content. */
export function initFiles(opts: InitOptions): Map<string, string> {
  const files = new Map<string, string>();
  const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8"));
  // A range from the SDK this version is built and tested with: the package takes the user's SDK as a peer.
  const pulumiVersion = `^${pkg.devDependencies["@pulumi/pulumi"].replace(/^[\^~]/, "")}`;
  files.set(
    "Pulumi.yaml",
    [
      `name: ${opts.name}`,
      "description: Pipelines declared in pipelines/*.yaml, deployed by pulumi-pipelines.",
      ...programSettings(opts.family),
      ...familySettings(opts.family),
      "",
    ].join("\n"),
  );
  if (opts.family === "dynamic")
    files.set(
      "index.js",
      [
        "// The GitOps program: deploys every declaration under the folder named by stack",
        "// config pipelines:path (default pipelines/). It is the package's own program.",
        'require("pulumi-pipelines/program");',
        "",
      ].join("\n"),
    );
  files.set(
    "package.json",
    `${JSON.stringify(
      {
        name: opts.name.toLowerCase(),
        private: true,
        description: "Pipeline declarations deployed with pulumi-pipelines",
        scripts: { validate: "pulumi-pipelines validate pipelines/" },
        dependencies: {
          "@pulumi/policy": pkg.peerDependencies["@pulumi/policy"],
          "@pulumi/pulumi": pulumiVersion,
          "pulumi-pipelines": installedFrom(PACKAGE_ROOT, pkg.version),
        },
      },
      null,
      2,
    )}\n`,
  );
  files.set(".gitignore", "node_modules/\n");
  for (const workflow of WORKFLOWS)
    files.set(`.github/workflows/${workflow}`, forStacks(readExample("github-actions", workflow), opts.stacks));
  const sample = SAMPLES[opts.engine];
  const exampleDir = path.join(PACKAGE_ROOT, "examples", sample.example);
  for (const folder of sample.folders) {
    for (const file of fs.readdirSync(path.join(exampleDir, folder))) {
      const text = fs.readFileSync(path.join(exampleDir, folder, file), "utf8");
      files.set(`${folder}/${file}`, folder === "pipelines" ? asSample(text) : text);
    }
  }
  return files;
}

/**
 * The dependency that installs this package again from where it came: the registry's range, or the git URL
 * (at its commit), tarball or folder npm installed it from, as npm's lockfile in node_modules records it. A
 * checkout that is no dependency at all is named by its folder.
 */
export function installedFrom(root: string, version: string): string {
  const modules = path.dirname(root);
  if (path.basename(modules) !== "node_modules") return `file:${root}`;
  const project = path.dirname(modules);
  for (const lock of [path.join(modules, ".package-lock.json"), path.join(project, "package-lock.json")]) {
    if (!fs.existsSync(lock)) continue;
    const packages = (JSON.parse(fs.readFileSync(lock, "utf8")) as { packages?: Record<string, { resolved?: string }> })
      .packages;
    const entry = packages?.[`node_modules/${path.basename(root)}`];
    if (entry) return specOf(entry.resolved, version, project);
  }
  return `^${version}`;
}

/** A lockfile's `resolved` as a dependency spec; paths are made absolute, as the new repository is elsewhere. */
export function specOf(resolved: string | undefined, version: string, project: string): string {
  if (!resolved || /\/-\/[^/]+\.tgz$/.test(resolved)) return `^${version}`; // a registry's tarball
  if (resolved.startsWith("file:")) return `file:${path.resolve(project, resolved.slice("file:".length))}`;
  return resolved; // git+…#commit, or a tarball's URL
}

function readExample(...parts: string[]): string {
  return fs.readFileSync(path.join(PACKAGE_ROOT, "examples", ...parts), "utf8");
}

/** A stack's GitHub environment, and the last part of its deploy job's id: its name without org/project. */
export function environmentName(stack: string): string {
  return stack.split("/").pop()!;
}

/** The stack review stacks are made beside: the last but one (staging, or dev where there is no staging). */
export function reviewStackFrom(stacks: string[]): string | undefined {
  return stacks.length > 1 ? stacks[stacks.length - 2] : undefined;
}

/** Jobs and settings that exist for review stacks (none with one stack: nothing is pre-production). */
const REVIEW_STACK_JOBS = ["review-stack", "review-stack-destroy", "sweep"];

/**
 * A workflow template (written for dev, staging and prod) for `stacks`: the list every step reads
 * (env.PULUMI_STACKS), the review stacks' stack, and one deploy job per stack, each needing the one before. The
 * template's first deploy job is the first stack's, its second the form of every later one's.
 */
export function forStacks(workflow: string, stacks: string[]): string {
  const doc = parseDocument(workflow);
  const env = doc.get("env") as YAMLMap | undefined;
  const jobs = doc.get("jobs") as YAMLMap<Scalar<string>, YAMLMap>;
  if (!isMap(jobs)) throw new Error("a workflow template without jobs");
  // The comment workflow names no stack.
  if (!env) return workflow;
  setScalar(env, "PULUMI_STACKS", stacks.join(" "));
  const from = reviewStackFrom(stacks);
  if (env.has("REVIEW_STACK_FROM")) {
    if (from) setScalar(env, "REVIEW_STACK_FROM", from);
    else {
      env.delete("REVIEW_STACK_FROM");
      for (const job of REVIEW_STACK_JOBS) jobs.delete(job);
    }
  }
  const deploys = jobs.items.filter((p) => String(p.key.value).startsWith("deploy-"));
  if (deploys.length) {
    const at = jobs.items.indexOf(deploys[0]);
    const [first, later] = [deploys[0].value!, (deploys[1] ?? deploys[0]).value!];
    jobs.items = jobs.items.filter((p) => !deploys.includes(p));
    const made = stacks.map((stack, i) => {
      const job = (i === 0 ? first : later).clone() as YAMLMap;
      setScalar(job, "environment", environmentName(stack));
      setScalar(job.get("env") as YAMLMap, "PULUMI_STACK", stack);
      if (i > 0) setScalar(job, "needs", deployJob(stacks[i - 1]));
      const key = new Scalar(deployJob(stack));
      key.spaceBefore = true; // a blank line between jobs, as everywhere in the templates
      return new Pair(key, job);
    });
    jobs.items.splice(at, 0, ...(made as (typeof jobs.items)[number][]));
  }
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/** The id of a stack's deploy job. */
export function deployJob(stack: string): string {
  return `deploy-${environmentName(stack).replace(/[^A-Za-z0-9_-]/g, "-")}`;
}

/** Sets a scalar's value in place, so the comment beside it stays. */
function setScalar(map: YAMLMap, key: string, value: string): void {
  const node = map.get(key, true);
  if (!isScalar(node)) throw new Error(`a workflow template without ${key}`);
  node.value = value;
}

/** The steps from a fresh repository to a first deploy from CI, as shell lines (comments after #). */
export function nextSteps(opts: InitOptions, cd: string): string[] {
  const files = opts.stacks.map((s) => `Pulumi.${environmentName(s)}.yaml`).join(", ");
  return [
    ...(cd ? [`cd ${cd}`] : []),
    `npm install   # ${LOCKFILE_STEP}`,
    "npx pulumi-pipelines validate pipelines/",
    "export PULUMI_BACKEND_URL='postgres://…'   # the backend the team shares (docs/ci.md of pulumi-pipelines)",
    "export PULUMI_CONFIG_PASSPHRASE='…'   # encrypts the stack's secrets; not needed on Pulumi Cloud",
    // Each stack's config is set once it is created (and so selected).
    ...opts.stacks.flatMap((stack) => [`pulumi stack init ${stack}`, ...CONFIG[opts.engine]]),
    ...opts.stacks.map((stack) => `pulumi preview --stack ${stack}`),
    `git init -b main && git add . && git commit -m 'Pipelines'   # ${files} and package-lock.json included`,
  ];
}

/** An example's declaration, with the schema line of an installed package and without the example's own notes. */
function asSample(yaml: string): string {
  const lines = yaml.split("\n");
  const body = lines.slice(lines.findIndex((l) => !l.startsWith("#")));
  return [
    SCHEMA_LINE,
    "# A sample written by `pulumi-pipelines init`: edit it, or replace it with your own.",
    ...body,
  ].join("\n");
}

/**
 * Pulumi.yaml's runtime: for the plugin family, Pulumi YAML running `pulumi-pipelines compile` (no Node program,
 * the fastest way, docs/performance.md); the dynamic family's classes run in the package's Node program.
 */
function programSettings(family: Family): string[] {
  if (family === "dynamic")
    return ["runtime:", "  name: nodejs", "  options:", "    typescript: false", "main: index.js"];
  return [
    "runtime:",
    "  name: yaml",
    "  options:",
    "    # The GitOps program: the declarations under pipelines/ as a Pulumi YAML template.",
    "    compiler: ./node_modules/.bin/pulumi-pipelines compile",
  ];
}

/**
 * Pulumi.yaml's lines for the family: the setting the program reads, for every stack, and where Pulumi finds the
 * package's programs (its npm bins, run on the project's Node): the plugin, for that family, and the analyzer that
 * runs its policy pack (`--policy-pack node_modules/pulumi-pipelines`), for both.
 */
function familySettings(family: Family): string[] {
  const setting = [
    "config:",
    "  # The resources' family: plugin or dynamic (docs/gitops.md).",
    `  pipelines:family: ${family}`,
  ];
  const bin = "      path: ./node_modules/.bin";
  return [
    ...setting,
    "plugins:",
    ...(family === "plugin" ? ["  providers:", "    - name: pipelines", bin] : []),
    "  # Runs the guardrails of --policy-pack node_modules/pulumi-pipelines (docs/guardrails.md).",
    "  analyzers:",
    "    - name: policy-pipelines",
    bin,
  ];
}

/** When the package came from a file on this machine, CI cannot install it from there: say what to do. */
function localSourceNote(packageJson: string): string[] {
  const spec: string = JSON.parse(packageJson).dependencies["pulumi-pipelines"];
  if (!spec.startsWith("file:")) return [];
  return [
    `package.json installs pulumi-pipelines from ${spec.slice("file:".length)}, which CI cannot reach: copy it`,
    "into the repository (e.g. vendor/) and 'npm install ./vendor/<file>' before the first commit.",
  ];
}

export function initCommand(args: string[], out: Out, err: Out = process.stderr): number {
  const parsed = parseCommand(INIT, args, out, err);
  if (typeof parsed === "number") return parsed;
  const opts = initOptions(parsed, process.cwd());
  if (typeof opts === "string") return usageError(INIT, opts, err);
  const files = initFiles(opts);
  const existing = [...files.keys()].filter((f) => fs.existsSync(path.join(opts.dir, f)));
  if (existing.length) {
    err.write(`init: ${opts.dir} already has ${existing.join(", ")}; nothing was written\n`);
    return EXIT.failed;
  }
  for (const [file, content] of files) {
    fs.mkdirSync(path.dirname(path.join(opts.dir, file)), { recursive: true });
    fs.writeFileSync(path.join(opts.dir, file), content);
  }
  const cd = path.relative(process.cwd(), opts.dir);
  out.write(
    [
      `Wrote a GitOps repository for ${opts.engine} pipelines in ${opts.dir}:`,
      ...[...files.keys()].sort().map((f) => `  ${f}`),
      "",
      "Next:",
      ...nextSteps(opts, cd).map((l) => `  ${l}`),
      "",
      `Then push it to GitHub, and in the repository's settings give the workflows the same backend: the`,
      `variable PULUMI_BACKEND_URL, the secret PULUMI_CONFIG_PASSPHRASE (PULUMI_ACCESS_TOKEN on Pulumi Cloud),`,
      `and the environments ${opts.stacks.map(environmentName).join(", ")} (required reviewers on those that need them).`,
      `Pull requests get a review of each stack; a merge to main deploys ${opts.stacks.join(", then ")}.`,
      ...localSourceNote(files.get("package.json")!),
      "",
    ].join("\n"),
  );
  return EXIT.ok;
}
