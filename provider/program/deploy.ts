// Registers what the stack's declarations deploy (./declaredProgram.ts) through the SDK. Invalid declarations
// fail with every error, before any resource (and so before any call to a server) exists.
import * as pulumi from "@pulumi/pulumi";
import { classOf } from "../resources/classes";
import { DEFAULT_FAMILY, type Family } from "../resources/families";
import { packageResource } from "../resources/packageResource";
import { programConfig } from "../resources/secretArgs";
import { declaredProgram } from "./declaredProgram";
import { type DeclaredResource, setValueAt } from "./declaredResources";

type Resource = pulumi.CustomResource & { id: pulumi.Output<string>; name?: pulumi.Output<string> };

/** `root` is the Pulumi project directory: the declarations are under stack config `pipelines:path` there. */
export function deploy(root: string): Map<string, Resource> {
  const program = declaredProgram({ root, stack: pulumi.getStack(), config: programConfig, env: process.env });
  if ("error" in program) throw new pulumi.RunError(program.error);
  for (const w of program.warnings) pulumi.log.warn(w);
  return register(program.resources, program.family);
}

/** Constructs each resource; references become the referred resource's output, so Pulumi orders them. */
export function register(resources: DeclaredResource[], family: Family = DEFAULT_FAMILY): Map<string, Resource> {
  const made = new Map<string, Resource>();
  for (const r of resources) {
    const args = structuredClone(r.args);
    for (const ref of r.refs) {
      const target = made.get(ref.resource)!;
      setValueAt(args, ref.path, ref.output === "id" ? target.id : target.name);
    }
    const resource = family === "plugin" ? packageResource(r.type, r.name, args) : new (classOf(r.type))(r.name, args);
    made.set(r.name, resource as Resource);
  }
  return made;
}
