// Stack config for commands that run outside `pulumi up` (export): read with
// the Pulumi CLI itself, so every backend and secrets provider works; the
// decrypted values stay in this process's memory.
import { execFile } from "node:child_process";

export interface StackConfig {
  get(key: string): string | undefined;
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
  return new Promise((resolve, reject) => {
    execFile("pulumi", args, { cwd, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) {
        const missing = (err as NodeJS.ErrnoException).code === "ENOENT";
        // stderr of a failed read carries no config values, only why it failed.
        return reject(
          new Error(
            missing
              ? "--stack needs the pulumi CLI on PATH (`npx pulumi-pipelines bootstrap` prints a folder that has it)"
              : `reading the config of stack '${stack}' failed: ${stderr.trim() || err.message}`,
          ),
        );
      }
      const entries = JSON.parse(stdout) as Record<string, { value?: string }>;
      resolve({ get: (key) => entries[key]?.value });
    });
  });
}
