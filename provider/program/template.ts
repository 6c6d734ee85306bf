// What the stack's declarations deploy, as a Pulumi YAML template: the program `pulumi-pipelines compile` prints
// for Pulumi YAML's `compiler` option, so a GitOps stack on the plugin family runs with no Node program at all
// (Pulumi's YAML language host registers the resources; docs/performance.md has the cost of each way).
import { tokenOf } from "../resources/kinds";
import { type DeclaredResource, setValueAt } from "./declaredResources";

export interface TemplateResource {
  type: string;
  /** The resource's Pulumi name (`target/pipeline/block`), which a template key could not hold. */
  name: string;
  properties: Record<string, unknown>;
}

export interface Template {
  /** The project's name (compile sets it; see there why). */
  name?: string;
  resources: Record<string, TemplateResource>;
  /** What the Node program logs as warnings: a compiler's own output reaches no one, a stack output does. */
  outputs?: { warnings: string[] };
}

/** The template registering `resources` (in the plugin family) in order; a reference becomes `${key.output}`. */
export function pulumiYamlTemplate(resources: DeclaredResource[], warnings: string[] = []): Template {
  const keys = new Map(resources.map((r, i) => [r.name, `r${i}`]));
  const out: Template = { resources: {} };
  for (const r of resources) {
    const properties = literal(r.args, r.name, []) as Record<string, unknown>;
    for (const ref of r.refs) setValueAt(properties, ref.path, `\${${keys.get(ref.resource)}.${ref.output}}`);
    out.resources[keys.get(r.name)!] = { type: tokenOf(r.type), name: r.name, properties };
  }
  if (warnings.length) out.outputs = { warnings };
  return out;
}

/**
 * A declared value as Pulumi YAML reads it literally: `$` doubled, as `${…}` would be read as an expression
 * (block code and SQL hold such text). A mapping whose one key starts `fn::` would be read as a function call and
 * has no escape: refused, naming where it is.
 */
function literal(value: unknown, resource: string, at: (string | number)[]): unknown {
  // A function: in a replacement string "$$" itself means one "$".
  if (typeof value === "string") return value.replaceAll("$", () => "$$");
  if (Array.isArray(value)) return value.map((v, i) => literal(v, resource, [...at, i]));
  if (value && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 1 && /^fn::/i.test(entries[0][0]))
      throw new Error(
        `${resource}: ${[...at, entries[0][0]].join(".")}: a mapping whose only key starts with 'fn::' cannot be ` +
          "passed through Pulumi YAML; add a key or use the Node program (docs/gitops.md)",
      );
    return Object.fromEntries(entries.map(([k, v]) => [k, literal(v, resource, [...at, k])]));
  }
  return value;
}
