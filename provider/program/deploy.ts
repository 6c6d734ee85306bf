// Loads the YAML declarations under a folder and registers their resources.
// Invalid declarations fail with every error, before any resource (and so
// before any call to a server) exists.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { formatError } from "../declarations/errors";
import { loadPaths } from "../declarations/loader";
import * as feldera from "../resources/feldera";
import * as ionworks from "../resources/ionworks";
import * as mage from "../resources/mage";
import { type DeclaredResource, declaredResources, setValueAt } from "./args";

type Resource = pulumi.CustomResource & { id: pulumi.Output<string>; name?: pulumi.Output<string> };

const CLASSES: Record<DeclaredResource["type"], new (name: string, args: any) => Resource> = {
  "mage:Pipeline": mage.Pipeline,
  "mage:Block": mage.Block,
  "mage:Schedule": mage.Schedule,
  "feldera:Pipeline": feldera.Pipeline,
  "ionworks:Pipeline": ionworks.Pipeline,
};

/** `root` is the Pulumi project directory: error paths and code files are given relative to it. */
export function deploy(folder: string, root: string): Map<string, Resource> {
  const result = loadPaths([folder]);
  const rel = (file: string) => path.relative(root, file) || file;
  if (result.errors.length) {
    const lines = result.errors.map((e) => formatError({ ...e, file: rel(e.file) }));
    throw new pulumi.RunError(`${result.errors.length} error(s) in the pipeline declarations:\n${lines.join("\n")}`);
  }
  if (!result.files.length) pulumi.log.warn(`no *.yaml declarations under ${rel(folder)}`);
  return register(declaredResources(result.pipelines, root));
}

/** Constructs each resource; references become the referred resource's output, so Pulumi orders them. */
export function register(resources: DeclaredResource[]): Map<string, Resource> {
  const made = new Map<string, Resource>();
  for (const r of resources) {
    const args = structuredClone(r.args);
    for (const ref of r.refs) {
      const target = made.get(ref.resource)!;
      setValueAt(args, ref.path, ref.output === "id" ? target.id : target.name);
    }
    made.set(r.name, new CLASSES[r.type](r.name, args));
  }
  return made;
}
