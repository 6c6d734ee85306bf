// pulumi-pipelines validate [paths…] [--format text|json]: the same loader the
// Pulumi program uses, without Pulumi and without any network.
import { type DeclarationError, formatError } from "../declarations/errors";
import { type LoadResult, loadPaths } from "../declarations/loader";
import { EXIT, type Out, parseCommand, usageError } from "./args";

export const VALIDATE = {
  name: "validate",
  usage: `validate [paths…] [--stack <name>] [--format text|json]
                 check YAML declarations (default folder: pipelines/) without any network, as written and as
                 each stack their \`environments\` name sees them (--stack: that stack's view alone);
                 exit 0 when valid, 1 with every error as file:line:col (a stack's own errors say which)`,
  options: { format: { type: "string", default: "text" }, stack: { type: "string" } },
  positionals: Number.POSITIVE_INFINITY,
} as const;

/** An error, and the stack whose view alone has it (none: the declarations as written have it). */
type Finding = DeclarationError & { stack?: string };

export function validateCommand(args: string[], out: Out, err: Out = process.stderr): number {
  const parsed = parseCommand(VALIDATE, args, out, err);
  if (typeof parsed === "number") return parsed;
  const { format } = parsed.values;
  if (format !== "text" && format !== "json")
    return usageError(VALIDATE, `unknown --format '${format}'; use text or json`, err);
  const paths = parsed.positionals.length ? parsed.positionals : ["pipelines"];
  const { result, errors } = check(paths, parsed.values.stack);
  const valid = errors.length === 0;
  if (format === "json") {
    out.write(
      `${JSON.stringify({ valid, files: result.files, stacks: result.stacks, pipelines: result.pipelines.length, errors }, null, 2)}\n`,
    );
  } else if (valid) {
    out.write(
      `${result.files.length} file${result.files.length === 1 ? "" : "s"}, ${result.pipelines.length} pipeline${result.pipelines.length === 1 ? "" : "s"}: valid\n`,
    );
  } else {
    // The findings are the command's answer (stdout); a CI log shows both streams.
    for (const e of errors) out.write(`${formatError(e)}${e.stack ? ` (stack ${e.stack})` : ""}\n`);
    out.write(
      `${errors.length} error${errors.length === 1 ? "" : "s"} in ${new Set(errors.map((e) => e.file)).size} file(s)\n`,
    );
  }
  return valid ? EXIT.ok : EXIT.failed;
}

/**
 * The declarations as written, then as each stack sees them: a stack's error that the declarations as written do
 * not have is its own. With `stack`, that stack's view alone besides them.
 */
function check(paths: string[], stack: string | undefined): { result: LoadResult; errors: Finding[] } {
  const result = loadPaths(paths);
  const errors: Finding[] = [...result.errors];
  const said = new Set(result.errors.map((e) => formatError(e)));
  for (const name of stack !== undefined ? [stack] : result.stacks)
    for (const e of loadPaths(paths, { stack: name }).errors)
      if (!said.has(formatError(e))) errors.push({ ...e, stack: name });
  return { result, errors };
}
