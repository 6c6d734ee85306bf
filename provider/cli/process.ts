// Child processes and progress lines for the tools: run a command and keep the
// tail of its output for errors, find an executable on PATH, a free loopback
// port for a server to start on, say what is happening on stderr.
import { execFile, type SpawnOptions, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";

/** Runs a command; resolves with its stdout, rejects with the tail of its output. */
export function run(
  cmd: string,
  args: string[],
  opts: SpawnOptions & { log?: (line: string) => void } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...opts, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let tail = "";
    const keep = (chunk: Buffer, isOut: boolean) => {
      const text = chunk.toString();
      if (isOut) out += text;
      tail = (tail + text).slice(-4000);
      if (opts.log) for (const line of text.split("\n")) if (line.trim()) opts.log(line);
    };
    child.stdout!.on("data", (c) => keep(c, true));
    child.stderr!.on("data", (c) => keep(c, false));
    child.on("error", (e) => reject(new Error(`${cmd}: ${e.message}`)));
    child.on("close", (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(" ")} exited with ${code}:\n${tail}`)),
    );
  });
}

/** The first executable called `name` on PATH, if any. */
export function which(name: string, envPath = process.env.PATH ?? ""): string | undefined {
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

/** `pulumi <args> --non-interactive` with its stdout; its stderr in the error when it fails. */
export function pulumiOutput(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(
      "pulumi",
      [...args, "--non-interactive"],
      { maxBuffer: 1 << 30, env: stackEnv(args, env) },
      (e, stdout, stderr) => {
        if (!e) return resolve(stdout);
        const missing = (e as NodeJS.ErrnoException).code === "ENOENT";
        reject(
          new Error(
            missing
              ? "this needs the pulumi CLI on PATH"
              : `pulumi ${args.slice(0, 2).join(" ")}: ${stderr.trim() || e.message}`,
          ),
        );
      },
    ),
  );
}

export function progress(message: string): void {
  process.stderr.write(`[pulumi-pipelines] ${message}\n`);
}

/** A loopback port the OS says is free (a server told to use a taken one may move on without a word). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * The environment for a `pulumi` command that names its stack: without PULUMI_STACK, which would otherwise reach
 * the compiled GitOps program in place of the stack named (Pulumi YAML lets the environment's value win over the
 * one it sets for the compiler; pulumi-yaml v1.25.0 LoadFromCompiler).
 */
export function stackEnv(args: string[], env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  if (!args.includes("--stack") || env.PULUMI_STACK === undefined) return env;
  const { PULUMI_STACK: _named, ...rest } = env;
  return rest;
}
