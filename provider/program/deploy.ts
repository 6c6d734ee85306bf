// Loads the YAML declarations under a folder and registers their resources.
// Invalid declarations fail with every error, before any resource (and so
// before any call to a server) exists.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { type DeclarationError, formatError, formatPath } from "../declarations/errors";
import { type LoadedPipeline, type LoadedSecret, loadPaths } from "../declarations/loader";
import { type ReviewSettings, reviewSettings, reviewView } from "../declarations/reviewStack";
import { resolutionError, secretUses } from "../declarations/secrets";
import { classOf } from "../resources/classes";
import { DEFAULT_FAMILY, FAMILIES, type Family, isFamily } from "../resources/families";
import { packageResource } from "../resources/packageResource";
import { programConfig } from "../resources/secretArgs";
import { type DeclaredResource, declaredResources, setValueAt } from "./declaredResources";

type Resource = pulumi.CustomResource & { id: pulumi.Output<string>; name?: pulumi.Output<string> };

/** `root` is the Pulumi project directory: error paths and code files are given relative to it. */
export function deploy(folder: string, root: string): Map<string, Resource> {
  // A review stack (stack config pipelines:review, set by `pulumi-pipelines review-stack up`) deploys a pull
  // request's changed pipelines under its prefix, as the stack it is beside sees them.
  const review = reviewConfig();
  // Each entry as this stack sees it: its values for the stack (`environments`) over the declared ones.
  const result = loadPaths([folder], { stack: review?.from ?? pulumi.getStack() });
  const rel = (file: string) => path.relative(root, file) || file;
  if (result.errors.length) {
    const lines = result.errors.map((e) => formatError({ ...e, file: rel(e.file) }));
    throw new pulumi.RunError(`${result.errors.length} error(s) in the pipeline declarations:\n${lines.join("\n")}`);
  }
  if (!result.files.length) pulumi.log.warn(`no *.yaml declarations under ${rel(folder)}`);
  const { pipelines, secrets } = review ? reviewed(result.pipelines, review) : result;
  const unresolved = unresolvedSecrets([...pipelines, ...secrets]);
  if (unresolved.length) {
    const lines = unresolved.map((e) => formatError({ ...e, file: rel(e.file) }));
    throw new pulumi.RunError(`${unresolved.length} secret(s) cannot be resolved:\n${lines.join("\n")}`);
  }
  return register(declaredResources(pipelines, root, secrets), family());
}

/** The resource family stack config `pipelines:family` names (Pulumi.yaml's `config:` sets it for every stack). */
function family(): Family {
  const value = new pulumi.Config("pipelines").get("family") ?? DEFAULT_FAMILY;
  if (!isFamily(value)) throw new pulumi.RunError(`pipelines:family is '${value}': use ${FAMILIES.join(" or ")}`);
  return value;
}

function reviewConfig(): ReviewSettings | undefined {
  const value = new pulumi.Config("pipelines").getObject<unknown>("review");
  if (value === undefined) return undefined;
  const settings = reviewSettings(value);
  if (typeof settings === "string") throw new pulumi.RunError(settings);
  return settings;
}

/** A review stack's pipelines, and no project-wide objects (Mage secrets): those stay the copied stack's. */
function reviewed(
  pipelines: LoadedPipeline[],
  settings: ReviewSettings,
): { pipelines: LoadedPipeline[]; secrets: LoadedSecret[] } {
  const view = reviewView(pipelines, settings);
  for (const s of view.skipped) pulumi.log.warn(`review stack: ${s.name} is not deployed: ${s.why}`);
  return { pipelines: view.pipelines, secrets: [] };
}

/** Each reference whose secret is neither in stack config nor in the environment, where it is written. */
function unresolvedSecrets(pipelines: (LoadedPipeline | LoadedSecret)[]): DeclarationError[] {
  const errors: DeclarationError[] = [];
  const source = { config: programConfig, env: process.env };
  for (const p of pipelines)
    for (const use of secretUses(p.decl)) {
      const message = resolutionError(use.name, source);
      if (message) errors.push({ file: p.file, ...p.at(use.path), path: formatPath(use.path), message });
    }
  return errors;
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
