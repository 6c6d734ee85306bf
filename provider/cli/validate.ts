// pulumi-pipelines validate [paths…] [--format text|json]: the same loader the
// Pulumi program uses, without Pulumi and without any network.
import { formatError } from "../declarations/errors";
import { loadPaths } from "../declarations/loader";

export function validateCommand(args: string[], out: { write(s: string): unknown }): number {
  let format = "text";
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--format") format = args[++i] ?? "";
    else if (args[i].startsWith("--format=")) format = args[i].slice("--format=".length);
    else paths.push(args[i]);
  }
  if (format !== "text" && format !== "json") {
    out.write(`unknown --format '${format}'; use text or json\n`);
    return 2;
  }
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
    for (const e of result.errors) out.write(`${formatError(e)}\n`);
    out.write(
      `${result.errors.length} error${result.errors.length === 1 ? "" : "s"} in ${new Set(result.errors.map((e) => e.file)).size} file(s)\n`,
    );
  }
  return valid ? 0 : 1;
}
