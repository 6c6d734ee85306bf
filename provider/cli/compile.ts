// pulumi-pipelines compile: the GitOps program as a Pulumi YAML template, for Pulumi YAML's `compiler` option
// (the Pulumi.yaml `init --family plugin` writes). Pulumi's YAML language host runs it with the stack's name and
// decrypted config in the environment (PULUMI_STACK, PULUMI_CONFIG, PULUMI_ROOT_DIRECTORY; pulumi-yaml
// pkg/server/server.go, v1.25.0) and registers what it prints; what it writes on stderr is shown only when it fails.
import { EXIT, type Out, parseCommand } from "./args";

export const COMPILE = {
  name: "compile",
  usage: `compile          print the GitOps program as a Pulumi YAML template (stdout); run by Pulumi YAML's
                 runtime option compiler, which sets PULUMI_STACK and PULUMI_CONFIG`,
  options: {},
  positionals: 0,
} as const;

export async function compileCommand(
  args: string[],
  out: Out,
  err: Out,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const parsed = parseCommand(COMPILE, args, out, err);
  if (typeof parsed === "number") return parsed;
  const stack = env.PULUMI_STACK;
  // Given a template with no name, Pulumi YAML reads Pulumi.yaml again and walks the whole project directory
  // (node_modules too) a second time for package files (pulumi-yaml pkg/pulumiyaml/run.go, LoadFromCompiler); a
  // name spares both. Only its presence counts: the host sets PULUMI_PROJECT for the run, not the package listing.
  const name = env.PULUMI_PROJECT || "pulumi-pipelines";
  // The language host also runs the compiler with no config (and no stack, unless the environment has one) to list
  // the packages a program needs: the plugin is found from Pulumi.yaml's plugins.providers, and the declarations
  // are read once, for the run.
  if (!stack || env.PULUMI_CONFIG === undefined) {
    out.write(`${JSON.stringify({ name, resources: {} })}\n`);
    return EXIT.ok;
  }
  let config: Record<string, string>;
  try {
    // "null" when the stack has no config at all.
    config = JSON.parse(env.PULUMI_CONFIG) ?? {};
  } catch {
    err.write("pulumi-pipelines compile: PULUMI_CONFIG is not JSON\n");
    return EXIT.failed;
  }
  // Loaded here, not above: the call with no stack needs none of it.
  const { declaredProgram } = await import("../program/declaredProgram.js");
  const { pulumiYamlTemplate } = await import("../program/template.js");
  const root = env.PULUMI_ROOT_DIRECTORY || process.cwd();
  const program = declaredProgram({ root, stack, config: { get: (key: string) => config[key] }, env });
  if ("error" in program) {
    err.write(`${program.error}\n`);
    return EXIT.failed;
  }
  if (program.family !== "plugin") {
    err.write(
      `pipelines:family is '${program.family}': this program registers the package's own types (the plugin ` +
        "family), which would replace the stack's dynamic resources. Move them first (pulumi-pipelines migrate " +
        "--to plugin) or run the Node program (runtime: nodejs; docs/gitops.md).\n",
    );
    return EXIT.failed;
  }
  try {
    out.write(`${JSON.stringify({ name, ...pulumiYamlTemplate(program.resources, program.warnings) })}\n`);
  } catch (e) {
    err.write(`${(e as Error).message}\n`);
    return EXIT.failed;
  }
  return EXIT.ok;
}
