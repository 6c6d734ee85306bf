// A GitOps project outside the repository that runs this checkout's program on
// the provider plugin, as one `init` writes runs the installed package's:
// Pulumi.yaml sets pipelines:family to plugin and names a folder holding
// pulumi-resource-pipelines, here a script that starts dist/provider/plugin on
// this machine's Node. For tests and the benchmark, without packing the package.
// The program is `pulumi-pipelines compile` under Pulumi YAML, as init writes,
// or the Node program (a stack that has moved from the dynamic family runs it).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const REPO = path.resolve(__dirname, "..", "..");

export type Program = "compiled" | "node";

/** A new temp folder holding the project; `name` is its Pulumi project name. */
export function pluginGitopsProject(name = "pulumi-pipelines", program: Program = "compiled"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pp-gitops-plugin-"));
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin);
  const plugin = path.join(bin, "pulumi-resource-pipelines");
  const main = path.join(REPO, "dist", "provider", "plugin", "main.js");
  fs.writeFileSync(plugin, `#!/bin/sh\nexec node ${JSON.stringify(main)} "$@"\n`);
  fs.chmodSync(plugin, 0o755);
  fs.writeFileSync(
    path.join(dir, "index.js"),
    `require(${JSON.stringify(path.join(REPO, "dist", "provider", "program"))});\n`,
  );
  useProgram(dir, program, name);
  // As an install has it: the repository's dependencies, and the package itself (dynamic resources' provider
  // text requires pulumi-pipelines/runtime/… from the project).
  const modules = path.join(dir, "node_modules");
  fs.mkdirSync(modules);
  for (const entry of fs.readdirSync(path.join(REPO, "node_modules")))
    fs.symlinkSync(path.join(REPO, "node_modules", entry), path.join(modules, entry));
  fs.symlinkSync(REPO, path.join(modules, "pulumi-pipelines"));
  return dir;
}

/** Writes the project's Pulumi.yaml for `program`, as a user switches a project's runtime. */
export function useProgram(dir: string, program: Program, name = "pulumi-pipelines"): void {
  const runtime =
    program === "node"
      ? ["runtime:", "  name: nodejs", "  options:", "    typescript: false", "main: index.js"]
      : [
          "runtime:",
          "  name: yaml",
          "  options:",
          `    compiler: node ${JSON.stringify(path.join(REPO, "dist", "provider", "cli", "bin.js"))} compile`,
        ];
  fs.writeFileSync(
    path.join(dir, "Pulumi.yaml"),
    [
      `name: ${name}`,
      ...runtime,
      "config:",
      "  pipelines:family: plugin",
      "plugins:",
      "  providers:",
      "    - name: pipelines",
      "      path: ./bin",
      "",
    ].join("\n"),
  );
}
