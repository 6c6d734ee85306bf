// What the GitOps program deploys, as data: the declarations under a folder, as one stack sees them, checked,
// and turned into resources. The Node program (./deploy.ts) registers these through the SDK; `pulumi-pipelines
// compile` (./template.ts) writes them as a Pulumi YAML template. No Pulumi import: both read config their way.
import * as path from "node:path";
import type { ConfigSource } from "../declarations/configSource";
import { type DeclarationError, formatError, formatPath } from "../declarations/errors";
import { type LoadedPipeline, type LoadedSecret, loadPaths } from "../declarations/loader";
import { type ReviewSettings, reviewSettings, reviewView } from "../declarations/reviewStack";
import { resolutionError, secretUses } from "../declarations/secrets";
import { DEFAULT_FAMILY, FAMILIES, type Family, isFamily } from "../resources/families";
import { type DeclaredResource, declaredResources } from "./declaredResources";

export interface ProgramInputs {
  /** The Pulumi project directory: error paths and code files are given relative to it. */
  root: string;
  stack: string;
  /** Stack config, keys namespaced (`pipelines:path`), values as Pulumi gives them (objects as JSON). */
  config: ConfigSource;
  env: NodeJS.ProcessEnv;
}

export type DeclaredProgram = { resources: DeclaredResource[]; warnings: string[]; family: Family } | { error: string };

/** Every resource the stack's declarations deploy, or every error in them, before any resource exists. */
export function declaredProgram(p: ProgramInputs): DeclaredProgram {
  const fam = family(p.config);
  if (typeof fam !== "string") return fam;
  // A review stack (stack config pipelines:review, set by `pulumi-pipelines review-stack up`) deploys a pull
  // request's changed pipelines under its prefix, as the stack it is beside sees them.
  const review = reviewConfig(p.config);
  if (typeof review === "string") return { error: review };
  // The folder stack config `pipelines:path` names (default pipelines/), from the project root.
  const folder = path.resolve(p.root, p.config.get("pipelines:path") ?? "pipelines");
  // Each entry as this stack sees it: its values for the stack (`environments`) over the declared ones.
  const result = loadPaths([folder], { stack: review?.from ?? p.stack });
  const rel = (file: string) => path.relative(p.root, file) || file;
  const listed = (errors: DeclarationError[]) => errors.map((e) => formatError({ ...e, file: rel(e.file) })).join("\n");
  if (result.errors.length)
    return { error: `${result.errors.length} error(s) in the pipeline declarations:\n${listed(result.errors)}` };
  const warnings = result.files.length ? [] : [`no *.yaml declarations under ${rel(folder)}`];
  let { pipelines, secrets } = result;
  if (review) {
    // A review stack's pipelines, and no project-wide objects (Mage secrets): those stay the copied stack's.
    const view = reviewView(pipelines, review);
    warnings.push(...view.skipped.map((s) => `review stack: ${s.name} is not deployed: ${s.why}`));
    pipelines = view.pipelines;
    secrets = [];
  }
  const unresolved = unresolvedSecrets([...pipelines, ...secrets], p);
  if (unresolved.length) return { error: `${unresolved.length} secret(s) cannot be resolved:\n${listed(unresolved)}` };
  return { resources: declaredResources(pipelines, p.root, secrets), warnings, family: fam };
}

/** The resource family stack config `pipelines:family` names (Pulumi.yaml's `config:` sets it for every stack). */
function family(config: ConfigSource): Family | { error: string } {
  const value = config.get("pipelines:family") ?? DEFAULT_FAMILY;
  return isFamily(value) ? value : { error: `pipelines:family is '${value}': use ${FAMILIES.join(" or ")}` };
}

function reviewConfig(config: ConfigSource): ReviewSettings | string | undefined {
  const text = config.get("pipelines:review");
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = text;
  }
  return reviewSettings(value);
}

/** Each reference whose secret is neither in stack config nor in the environment, where it is written. */
function unresolvedSecrets(pipelines: (LoadedPipeline | LoadedSecret)[], p: ProgramInputs): DeclarationError[] {
  const errors: DeclarationError[] = [];
  const source = { config: p.config, env: p.env };
  for (const q of pipelines)
    for (const use of secretUses(q.decl)) {
      const message = resolutionError(use.name, source);
      if (message) errors.push({ file: q.file, ...q.at(use.path), path: formatPath(use.path), message });
    }
  return errors;
}
