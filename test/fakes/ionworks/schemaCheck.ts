// The Ionworks emulator's request validation, delegated to Ionworks' own
// schema package through a long-lived Python helper (schema_check.py, run
// with the vendor SDKs' cached virtualenv): the emulator answers 422 exactly
// when the package refuses a pipeline, with the package's messages.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import * as path from "node:path";
import * as readline from "node:readline";
import { ensureVendorSdks } from "../../helpers/vendorSdks";

export interface SchemaVerdict {
  errors: { type: string; loc: (string | number)[]; msg: string; input: unknown }[];
  /** Each element's canonical element_type (aliases such as "Direct Entry" mapped). */
  types: Record<string, string>;
}

export class SchemaChecker {
  private child?: ChildProcessWithoutNullStreams;
  private waiting: { resolve: (v: SchemaVerdict) => void; reject: (e: Error) => void }[] = [];
  private stderr = "";

  /** Checks one request body (requests are answered in order). */
  async check(body: unknown): Promise<SchemaVerdict> {
    const child = await this.start();
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      child.stdin.write(`${JSON.stringify(body)}\n`);
    });
  }

  private async start(): Promise<ChildProcessWithoutNullStreams> {
    if (this.child) return this.child;
    const venv = await ensureVendorSdks();
    if (this.child) return this.child;
    const child = spawn(path.join(venv, "bin", "python"), [path.join(__dirname, "schema_check.py")], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    child.stderr.on("data", (c) => (this.stderr = (this.stderr + c).slice(-4000)));
    child.on("exit", (code) => {
      this.child = undefined;
      for (const w of this.waiting.splice(0)) w.reject(new Error(`schema helper exited (${code}): ${this.stderr}`));
    });
    readline
      .createInterface({ input: child.stdout })
      .on("line", (line) => this.waiting.shift()?.resolve(JSON.parse(line)));
    this.child = child;
    return child;
  }

  close(): void {
    this.child?.kill();
  }
}
