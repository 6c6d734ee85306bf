// pulumi-pipelines validate [paths…] [--format text|json]: the same loader the
// Pulumi program uses, without Pulumi and without any network.
import { formatError } from "../declarations/errors";
import { loadPaths } from "../declarations/loader";
import { EXIT, type Out, parseCommand, usageError } from "./args";

export const VALIDATE = {
  name: "validate",
  usage: `validate [paths…] [--format text|json]
                 check YAML declarations (default folder: pipelines/) without any network;
                 exit 0 when valid, 1 with every error as file:line:col`,
  options: { format: { type: "string", default: "text" } },
  positionals: Number.POSITIVE_INFINITY,
} as const;

export function validateCommand(args: string[], out: Out, err: Out = process.stderr): number {
  const parsed = parseCommand(VALIDATE, args, out, err);
  if (typeof parsed === "number") return parsed;
  const { format } = parsed.values;
  if (format !== "text" && format !== "json")
    return usageError(VALIDATE, `unknown --format '${format}'; use text or json`, err);
  const paths = parsed.positionals;
  const result = loadPaths(paths.length ? paths : ["pipelines"]);
  const valid = result.errors.length === 0;
  if (format === "json") {
    out.write(
      `${JSON.stringify({ valid, files: result.files, pipelines: result.pipelines.length, errors: result.errors }, null, 2)}\n`,
    );
  } else if (valid) {
    out.write(
      `${result.files.length} file${result.files.length === 1 ? "" : "s"}, ${result.pipelines.length} pipeline${result.pipelines.length === 1 ? "" : "s"}: valid\n`,
    );
  } else {
    // The findings are the command's answer (stdout); a CI log shows both streams.
    for (const e of result.errors) out.write(`${formatError(e)}\n`);
    out.write(
      `${result.errors.length} error${result.errors.length === 1 ? "" : "s"} in ${new Set(result.errors.map((e) => e.file)).size} file(s)\n`,
    );
  }
  return valid ? EXIT.ok : EXIT.failed;
}
