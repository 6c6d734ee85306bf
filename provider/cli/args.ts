// The command line's one convention: every command's arguments are parsed
// strictly by Node's util.parseArgs from a spec (an unknown flag or a missing
// value is a usage error that prints the command's usage), `--help` prints it
// on stdout, and one set of exit codes holds for every command.
import * as fs from "node:fs";
import * as path from "node:path";
import { type ParseArgsConfig, parseArgs } from "node:util";

/** Exit codes, the same for every command (documented in --help and the README). */
export const EXIT = {
  /** It did what was asked, and found nothing to fail on. */
  ok: 0,
  /** Invalid input (declarations, files, a server's refusal) or an operation that failed. */
  failed: 1,
  /** A finding the user asked to fail on: `diff --drift` found drift, `diff --fail-on` matched, a review run failed. */
  finding: 2,
  /** The command line itself is wrong: an unknown flag, a missing or bad value (sysexits' EX_USAGE). */
  usage: 64,
} as const;

export const EXIT_CODES_HELP = `exit codes:
  0   success
  1   invalid input, or an operation that failed
  2   a finding asked to fail on (diff --drift found drift, diff --fail-on matched,
      review-stack up: a pipeline's run failed)
  64  usage error (unknown flag, missing or bad value)
`;

export interface Out {
  write(s: string): unknown;
}

export interface CommandSpec<O extends NonNullable<ParseArgsConfig["options"]>> {
  name: string;
  /** The usage text: its first line is the synopsis, the rest says what it does. */
  usage: string;
  options: O;
  /** How many positional arguments it takes (0 when none). */
  positionals: number;
}

export type Parsed<O extends NonNullable<ParseArgsConfig["options"]>> = ReturnType<
  typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>
>;

/** The usage text and the options' defaults, from the same table the parser applies them from. */
export function fullUsage(spec: {
  usage: string;
  options: Record<string, { type: string; default?: unknown }>;
}): string {
  const given = Object.entries(spec.options).filter(
    ([, o]) => o.type === "string" && typeof o.default === "string" && o.default !== "",
  );
  if (!given.length) return spec.usage;
  return `${spec.usage}\n                 defaults: ${given.map(([name, o]) => `--${name} ${String(o.default)}`).join(", ")}`;
}

/**
 * The command's arguments, or the exit code when nothing is left to do:
 * `--help` printed the usage on `out` (0), or a usage error was printed on `err` (64).
 */
export function parseCommand<O extends NonNullable<ParseArgsConfig["options"]>>(
  spec: CommandSpec<O>,
  args: string[],
  out: Out,
  err: Out,
): Parsed<O> | number {
  if (args.includes("--help") || args.includes("-h")) {
    out.write(`usage: pulumi-pipelines ${fullUsage(spec)}\n${EXIT_CODES_HELP}`);
    return EXIT.ok;
  }
  try {
    return strictParse(spec, args);
  } catch (e) {
    return usageError(spec, (e as Error).message, err);
  }
}

/** The command's arguments parsed strictly by its spec; throws what is wrong with them. */
export function strictParse<O extends NonNullable<ParseArgsConfig["options"]>>(
  spec: CommandSpec<O>,
  args: string[],
): Parsed<O> {
  const parsed = parseArgs({ args, options: spec.options, allowPositionals: true, strict: true });
  if (parsed.positionals.length > spec.positionals)
    throw new UsageError(
      spec.positionals === 0
        ? `takes no arguments (got '${parsed.positionals[0]}')`
        : `takes at most ${spec.positionals} argument${spec.positionals === 1 ? "" : "s"} (got ${parsed.positionals.map((p) => `'${p}'`).join(", ")})`,
    );
  return parsed;
}

/** A problem with the command line, found after parsing (a bad value, a missing option). */
export class UsageError extends Error {}

export function usageError(spec: { name: string; usage: string }, problem: string, err: Out): number {
  // util.parseArgs' messages end with a hint on `--` that does not apply here.
  const message = problem.replace(/\. To specify a positional argument starting with a '-'.*$/s, "");
  err.write(`pulumi-pipelines ${spec.name}: ${message}\nusage: pulumi-pipelines ${spec.usage.split("\n")[0]}\n`);
  return EXIT.usage;
}

/** The package's root folder: the nearest one up with a package.json (from dist/ or from the sources). */
export const PACKAGE_ROOT = (() => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, "package.json")) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
})();

export function packageVersion(): string {
  return JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")).version;
}

/**
 * Exits with the command's code once what it wrote has gone: a pipe takes 64 KiB at a time and process.exit()
 * drops the rest, which cut a compiled program or a long review off when Pulumi or a workflow read it.
 */
export function finish(run: Promise<number>): void {
  const exit = (code: number) => process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
  run.then(exit, (err) => {
    process.stderr.write(`pulumi-pipelines: ${err instanceof Error ? err.message : String(err)}\n`);
    exit(EXIT.failed);
  });
}
