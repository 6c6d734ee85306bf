#!/usr/bin/env node
// pulumi-pipelines: the project's command line (usage below).

import { EXIT, EXIT_CODES_HELP, finish, fullUsage, type Out, packageVersion, parseCommand, usageError } from "./args";
import { COMPILE, compileCommand } from "./compile";
import { DIFF, diffCommand } from "./diff";
import { EXPORT, exportCommand } from "./export";
import { GRAPH, graphCommand } from "./graph";
import { INIT, initCommand } from "./init";
import { describeLanguageHosts, ensureLanguageHosts, ensureYamlHost, YAML_HOST } from "./languageHosts";
import { MAGE_VERSION } from "./mageInstall";
import { type MageOptions, startMage } from "./mageSandbox";
import { MIGRATE, migrateCommand } from "./migrate";
import { describeBuild, ensurePulumiCli } from "./pulumiCli";
import { REVIEW_STACK, reviewStackCommand } from "./reviewStack";
import { VALIDATE, validateCommand } from "./validate";

const BOOTSTRAP = {
  name: "bootstrap",
  usage: `bootstrap [--languages]   build or find the Pulumi CLI for this SDK, with the YAML language host the
                   GitOps program runs on; prints its directory
                   export PATH="$(npx pulumi-pipelines bootstrap):$PATH"
                   --languages: also the Python and Go language hosts, linked beside the CLI`,
  options: { languages: { type: "boolean", default: false } },
  positionals: 0,
} as const;

const SANDBOX = {
  name: "sandbox",
  usage:
    "sandbox mage [--mage-version <v>] [--metadata sqlite|postgres]   start a local Mage server on 127.0.0.1 until Ctrl-C",
  options: {
    "mage-version": { type: "string", default: MAGE_VERSION },
    metadata: { type: "string", default: "sqlite" },
  },
  positionals: 1,
} as const;

const COMMANDS = [INIT, BOOTSTRAP, SANDBOX, VALIDATE, GRAPH, DIFF, EXPORT, REVIEW_STACK, MIGRATE, COMPILE];

export const USAGE = `usage: pulumi-pipelines <command> [options]
       pulumi-pipelines <command> --help
       pulumi-pipelines --version

commands:
${COMMANDS.map((c) => `  ${fullUsage(c)}`).join("\n")}

${EXIT_CODES_HELP}`;

type Io = { out: Out; err: Out };

export async function main(argv: string[], io: Io = { out: process.stdout, err: process.stderr }): Promise<number> {
  const [command, ...args] = argv;
  const { out, err } = io;
  switch (command) {
    case "bootstrap": {
      const parsed = parseCommand(BOOTSTRAP, args, out, err);
      return typeof parsed === "number" ? parsed : bootstrap(parsed.values.languages === true);
    }
    case "diff":
      return diffCommand(args, out, undefined, err);
    case "graph":
      return graphCommand(args, out, err);
    case "review-stack":
      return reviewStackCommand(args, out, err);
    case "init":
      return initCommand(args, out, err);
    case "export":
      return exportCommand(args, out, err);
    case "migrate":
      return migrateCommand(args, out, err);
    case "compile":
      return compileCommand(args, out, err);
    case "validate":
      return validateCommand(args, out, err);
    case "sandbox": {
      const parsed = parseCommand(SANDBOX, args, out, err);
      if (typeof parsed === "number") return parsed;
      if (parsed.positionals[0] !== "mage")
        return usageError(SANDBOX, `sandbox runs 'mage' (got '${parsed.positionals[0] ?? ""}')`, err);
      const metadata = parsed.values.metadata;
      if (metadata !== "sqlite" && metadata !== "postgres")
        return usageError(SANDBOX, `--metadata: sqlite or postgres (got '${metadata}')`, err);
      return sandboxMage({ version: parsed.values["mage-version"], metadata });
    }
    case "--version":
    case "-V":
      out.write(`${packageVersion()}\n`);
      return EXIT.ok;
    case "help":
    case "--help":
    case "-h":
      out.write(USAGE);
      return EXIT.ok;
  }
  err.write(command === undefined ? USAGE : `pulumi-pipelines: unknown command '${command}'\n\n${USAGE}`);
  return EXIT.usage;
}

async function sandboxMage(opts: MageOptions): Promise<number> {
  const mage = await startMage(opts);
  process.stdout.write(
    [
      `Mage ${mage.version} is running at ${mage.url}`,
      `  metadata: ${mage.metadata}`,
      `  log in as ${mage.email} / ${mage.password}`,
      `  for the provider: export MAGE_URL=${mage.url} MAGE_EMAIL=${mage.email} MAGE_PASSWORD=${mage.password}`,
      `Ctrl-C stops it and removes its temporary project.`,
      "",
    ].join("\n"),
  );
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await mage.stop();
  process.stdout.write("Mage stopped.\n");
  return 0;
}

/** Builds or finds the CLI (and the language hosts); says on stderr what it is (stdout stays directories, for PATH). */
async function bootstrap(languages: boolean): Promise<number> {
  const bin = await ensurePulumiCli();
  process.stderr.write(`${describeBuild(bin)}\n`);
  // The GitOps program init writes runs on Pulumi YAML, whose host a Pulumi release bundles.
  await ensureYamlHost(bin);
  if (!languages) {
    process.stderr.write(`YAML language host built from github.com/pulumi/pulumi-yaml@${YAML_HOST}\n`);
    process.stdout.write(`${bin}\n`);
    return 0;
  }
  // The hosts are linked beside the CLI, where Pulumi looks for the ones it bundles: one directory for PATH.
  await ensureLanguageHosts(bin);
  process.stderr.write(`${describeLanguageHosts()}\n`);
  process.stdout.write(`${bin}\n`);
  return 0;
}

if (require.main === module) finish(main(process.argv.slice(2)));
