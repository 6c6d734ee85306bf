#!/usr/bin/env node
// pulumi-pipelines: the project's command line (usage below).

import { diffCommand } from "./diff";
import { exportCommand } from "./export";
import { graphCommand } from "./graph";
import { initCommand } from "./init";
import { startMage } from "./mageSandbox";
import { describeBuild, ensurePulumiCli } from "./pulumiCli";
import { validateCommand } from "./validate";

const USAGE = `usage: pulumi-pipelines <command>

commands:
  init [dir] [--engine mage|feldera|ionworks] [--name <project>] [--stack <stack>]
                 write a GitOps repository: Pulumi project, package.json, a sample declaration,
                 the GitHub Actions workflows deploying <stack> (default dev); never overwrites
  bootstrap      build or find the Pulumi CLI for this SDK; prints its directory
                   export PATH="$(npx pulumi-pipelines bootstrap):$PATH"
  sandbox mage   start a local Mage server on 127.0.0.1 and keep it running until Ctrl-C
  validate [paths…] [--format text|json]
                 check YAML declarations (default folder: pipelines/) without any network;
                 exit 0 when valid, 1 with every error as file:line:col
  graph [paths…] [--pipeline <name>…] [--format markdown|mermaid|json] [--budget <nodes>]
                 the declared pipelines as Mermaid flowcharts (Markdown with one diagram per pipeline),
                 for docs and READMEs; reads the declarations only
  diff --preview <file|-> | --base <git-ref> [paths…]
                 a review of what a change does to the pipelines (Markdown for a PR comment);
                 --format markdown|json|text, --fail-on replace|delete (exit 2), --title <text>,
                 --no-graph (no Mermaid graph of each changed pipeline),
                 --drift with --preview of 'pulumi preview --refresh --json --show-sames': a drift
                 report of what differs on the servers (exit 2 when anything does)
  export --target <name> [--engine mage|feldera|ionworks] [--stack <stack> [--config-file <file>]]
         [--pipeline <name>…] --out <dir>
                 write the live server's pipelines as declarations (adopt: true) and code files;
                 the connection comes from the stack's config (pipelines:targets.<name>) with --stack,
                 else from the engine's environment (MAGE_URL…, FELDERA_HOST…, IONWORKS_API_KEY…)
`;

export async function main(argv: string[]): Promise<number> {
  const [command, sub] = argv;
  switch (command) {
    case "bootstrap":
      return bootstrap();
    case "diff":
      return diffCommand(argv.slice(1), process.stdout);
    case "graph":
      return graphCommand(argv.slice(1), process.stdout, process.stderr);
    case "init":
      return initCommand(argv.slice(1), process.stdout, process.stderr);
    case "export":
      return exportCommand(argv.slice(1), process.stdout, process.stderr);
    case "validate":
      return validateCommand(argv.slice(1), process.stdout);
    case "sandbox":
      if (sub !== "mage") break;
      return sandboxMage();
    case "help":
    case "--help":
    case "-h":
      process.stdout.write(USAGE);
      return 0;
  }
  process.stderr.write(USAGE);
  return 2;
}

async function sandboxMage(): Promise<number> {
  const mage = await startMage();
  process.stdout.write(
    [
      `Mage is running at ${mage.url}`,
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

/** Builds or finds the CLI; says on stderr what it is (stdout stays the directory, for PATH). */
async function bootstrap(): Promise<number> {
  const bin = await ensurePulumiCli();
  process.stderr.write(`${describeBuild(bin)}\n`);
  process.stdout.write(`${bin}\n`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`pulumi-pipelines: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
