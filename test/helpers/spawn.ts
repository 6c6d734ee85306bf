// A command run without blocking the test process (emulators and proxies
// answer from it, so a synchronous spawn of anything that calls them would
// never return). Never throws on a non-zero exit. Every test that runs a
// command and reads what it printed runs it with this.
import { spawn } from "node:child_process";

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved as they came. */
  output: string;
}

export function sh(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let output = "";
    child.stdout.on("data", (c) => {
      stdout += c;
      output += c;
    });
    child.stderr.on("data", (c) => {
      stderr += c;
      output += c;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr, output }));
  });
}
