// pulumi-pipelines init [dir] [--engine mage|feldera|ionworks] [--name <project>] [--stack <stack>]
//
// Writes a GitOps repository ready to deploy: a Pulumi project whose program
// is the package's own (`pulumi-pipelines/program`), a package.json, one
// sample declaration with its code files, the GitHub Actions workflows (with
// the one stack they deploy) and a .gitignore. It never overwrites: if any
// file it would write exists, it writes nothing and says which. The steps it
// prints are the whole way to a first deploy from CI; the workflow run test
// executes them as printed.
import * as fs from "node:fs";
import * as path from "node:path";
import { ENGINES, type Engine } from "../declarations/types";
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
  /** The one stack the repository deploys: the printed steps and both workflows name it. */
  stack: string;
}

export const DEFAULT_STACK = "dev";

/** The workflows' line naming their stack (examples/github-actions/*.yml): init writes the chosen one. */
const STACK_LINE = /^ {2}PULUMI_STACK: \S+/m;

/** Stack names as Pulumi takes them: `name`, or `org/project/name` on Pulumi Cloud. */
const STACK_NAME = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+){0,2}$/;

/** The sentence the printed steps, the README and the workflows give for the lockfile `npm ci` installs from. */
export const LOCKFILE_STEP = "run 'npm install' and commit package-lock.json (the workflows install with 'npm ci')";

export const INIT = {
  name: "init",
  usage: `init [dir] [--engine mage|feldera|ionworks] [--name <project>] [--stack <stack>]
                 write a GitOps repository: Pulumi project, package.json, a sample declaration,
                 the GitHub Actions workflows deploying <stack> (default ${DEFAULT_STACK}); never overwrites`,
  options: {
    engine: { type: "string", default: "mage" },
    name: { type: "string" },
    stack: { type: "string", default: DEFAULT_STACK },
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
  const { engine, stack } = parsed.values;
  if (!(ENGINES as readonly string[]).includes(engine))
    return `unknown --engine '${engine}'; use ${ENGINES.join(", ")}`;
  const target = path.resolve(cwd, parsed.positionals[0] ?? ".");
  const project = parsed.values.name ?? path.basename(target).replace(/[^A-Za-z0-9_.-]+/g, "-");
  if (!/^[A-Za-z0-9_.-]+$/.test(project)) return `'${project}' cannot be a Pulumi project name; give one with --name`;
  if (!STACK_NAME.test(stack)) return `'${stack}' cannot be a Pulumi stack name; use letters, digits, '_', '.', '-'`;
  return { dir: target, engine: engine as Engine, name: project, stack };
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
      "runtime:",
      "  name: nodejs",
      "  options:",
      "    typescript: false",
      "main: index.js",
      "",
    ].join("\n"),
  );
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
        dependencies: { "@pulumi/pulumi": pulumiVersion, "pulumi-pipelines": `^${pkg.version}` },
      },
      null,
      2,
    )}\n`,
  );
  files.set(".gitignore", "node_modules/\n");
  for (const workflow of ["pipelines.yml", "drift.yml"])
    files.set(`.github/workflows/${workflow}`, withStack(readExample("github-actions", workflow), opts.stack));
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

function readExample(...parts: string[]): string {
  return fs.readFileSync(path.join(PACKAGE_ROOT, "examples", ...parts), "utf8");
}

/** A workflow with `stack` as the one it deploys (its `env.PULUMI_STACK`; every step reads that). */
export function withStack(workflow: string, stack: string): string {
  if (!STACK_LINE.test(workflow)) throw new Error("a workflow template without its PULUMI_STACK line");
  return workflow.replace(STACK_LINE, `  PULUMI_STACK: ${stack}`);
}

/** The steps from a fresh repository to a first deploy from CI, as shell lines (comments after #). */
export function nextSteps(opts: InitOptions, cd: string): string[] {
  const file = `Pulumi.${opts.stack.split("/").pop()}.yaml`;
  return [
    ...(cd ? [`cd ${cd}`] : []),
    `npm install   # ${LOCKFILE_STEP}`,
    "npx pulumi-pipelines validate pipelines/",
    "export PULUMI_BACKEND_URL='postgres://…'   # the backend the team shares (README: Running in CI with a team)",
    "export PULUMI_CONFIG_PASSPHRASE='…'   # encrypts the stack's secrets; not needed on Pulumi Cloud",
    `pulumi stack init ${opts.stack}`,
    ...CONFIG[opts.engine],
    "pulumi preview",
    `git init -b main && git add . && git commit -m 'Pipelines'   # ${file} and package-lock.json included`,
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
      `an environment named production. Pull requests get a review; a merge to main deploys stack ${opts.stack}.`,
      "",
    ].join("\n"),
  );
  return EXIT.ok;
}
