// Stack config for commands that run outside `pulumi up` (export): read with
// the Pulumi CLI itself, so every backend and secrets provider works; the
// decrypted values stay in this process's memory.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { secretNames } from "../declarations/secrets";

export interface StackConfig {
  get(key: string): string | undefined;
}

/**
 * The secret names the stack's state references (`{ secret: NAME }` and `${secret:NAME}` in resource inputs):
 * `pulumi stack export` without --show-secrets, so no value is read. A stack with no state yet has none.
 */
export function readStateSecretNames(stack: string, cwd: string = process.cwd()): Promise<string[]> {
  return pulumiJson(["stack", "export", "--non-interactive", "--stack", stack], stack, cwd).then((state) => {
    const resources = (state as { deployment?: { resources?: { inputs?: unknown }[] } })?.deployment?.resources ?? [];
    return secretNames(resources.map((r) => r.inputs ?? {}));
  });
}

/** `pulumi config --json --show-secrets` of `stack`, run in `cwd` (the Pulumi project). */
export function readStackConfig(
  stack: string,
  configFile: string | undefined,
  cwd: string = process.cwd(),
): Promise<StackConfig> {
  const args = [
    "config",
    "--json",
    "--show-secrets",
    "--non-interactive",
    "--stack",
    stack,
    ...(configFile ? ["--config-file", configFile] : []),
  ];
  return pulumiJson(args, stack, cwd).then((json) => {
    const entries = json as Record<string, { value?: string }>;
    return { get: (key: string) => entries[key]?.value };
  });
}

function pulumiJson(args: string[], stack: string, cwd: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    execFile("pulumi", args, { cwd, maxBuffer: 256 << 20 }, (err, stdout, stderr) => {
      if (err) {
        const missing = (err as NodeJS.ErrnoException).code === "ENOENT";
        // stderr of a failed read carries no config values, only why it failed.
        return reject(
          new Error(
            missing
              ? "--stack needs the pulumi CLI on PATH (`npx pulumi-pipelines bootstrap` prints a folder that has it)"
              : `reading ${args[0] === "config" ? "the config" : "the state"} of stack '${stack}' failed: ${stderr.trim() || err.message}`,
          ),
        );
      }
      resolve(JSON.parse(stdout));
    });
  });
}

/**
 * A plain (not secret) config value of `stack` (its short name, without org/project) as the repository commits it,
 * read with no Pulumi and no backend: its stack file (Pulumi.<stack>.yaml) beside the nearest Pulumi.yaml from
 * `from`, else the project's own `config:` default. For the offline review, which runs where no credentials are.
 */
export function committedConfigValue(stack: string, key: string, from: string = process.cwd()): unknown {
  const project = projectDir(from);
  if (!project) return undefined;
  const read = (file: string) =>
    fs.existsSync(file) ? (parse(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null) : null;
  const stackValue = read(path.join(project, `Pulumi.${stack}.yaml`))?.config?.[key];
  if (stackValue !== undefined) return stackValue;
  const projectValue = read(path.join(project, "Pulumi.yaml"))?.config?.[key];
  // Pulumi.yaml gives a key as its value, or as { value } or { default } (with a type).
  if (projectValue && typeof projectValue === "object" && !Array.isArray(projectValue)) {
    const v = projectValue as Record<string, unknown>;
    if ("value" in v || "default" in v) return v.value ?? v.default;
  }
  return projectValue;
}

function projectDir(from: string): string | undefined {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}
