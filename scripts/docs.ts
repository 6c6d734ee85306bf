// npm run docs: the reference pages under docs/reference/, one per resource
// kind, generated from the one field model: the inputs and their descriptions
// from schemas/pipelines.schema.json (itself generated from the declaration
// types), which inputs replace from each kind's own replaceKeys (what the
// provider's diff uses), the outputs and their descriptions from each kind's
// descriptor, and an example from examples/ that a test validates. A test fails
// when a committed page differs from what this writes.
import * as fs from "node:fs";
import * as path from "node:path";
import { PACKAGE_ROOT } from "../provider/cli/args";
import { USAGE } from "../provider/cli/main";
import type { Kind } from "../provider/resources/kind";
import { KINDS, RESOURCE_TYPES, type ResourceType, tokenOf } from "../provider/resources/kinds";

const ROOT = PACKAGE_ROOT;
export const REFERENCE_DIR = path.join(ROOT, "docs", "reference");

interface DocKind {
  page: string;
  title: string;
  /** What the resource is on the server, in a sentence. */
  summary: string;
  /** Its type token in the Pulumi package (Python, Go, YAML programs). */
  token: string;
  /** The id `pulumi import` takes, or why it cannot be imported. */
  importId: string;
  /** The YAML it is declared with. */
  yaml: string;
  definition: string;
  kind: { replaceKeys: readonly string[]; passthrough?: readonly string[] };
  /** The outputs beyond the inputs, from the kind's descriptor. */
  outputs: { name: string; type: string; doc: string }[];
  /** Example files shown on the page: a YAML declaration (validated by a test) and the TypeScript program. */
  examples: { yaml: string; ts?: string };
}

/** The example files each page shows: a YAML declaration (validated by a test) and the TypeScript program. */
const EXAMPLES: Record<ResourceType, DocKind["examples"]> = {
  "mage:Pipeline": { yaml: "examples/mage-etl/pipelines/orders-etl.yaml", ts: "examples/mage-etl/index.ts" },
  "mage:Block": { yaml: "examples/mage-etl/pipelines/orders-etl.yaml", ts: "examples/mage-etl/index.ts" },
  "mage:Schedule": { yaml: "examples/mage-etl/pipelines/orders-etl.yaml", ts: "examples/mage-etl/index.ts" },
  "mage:Secret": { yaml: "examples/secrets/pipelines/secrets.yaml" },
  "feldera:Pipeline": { yaml: "examples/feldera-fraud/pipelines/fraud.yaml", ts: "examples/feldera-fraud/index.ts" },
  "ionworks:Pipeline": { yaml: "examples/ionworks-fit/pipelines/fits.yaml", ts: "examples/ionworks-fit/index.ts" },
};

/** One page per kind of the registry, in its order. */
export const DOC_KINDS: DocKind[] = RESOURCE_TYPES.map((type) => {
  const k = KINDS[type];
  return {
    page: k.doc.page,
    title: `${k.engine}.${k.name}`,
    summary: k.doc.summary,
    token: tokenOf(type),
    importId: k.doc.importId,
    yaml: k.doc.yaml,
    definition: k.inputs,
    kind: k,
    outputs: outputsOf(k),
    examples: EXAMPLES[type],
  };
});

type Prop = Record<string, any>;

/** A schema property's type as a reader writes it. */
export function typeOf(prop: Prop): string {
  if (prop.enum) return prop.enum.map((v: unknown) => JSON.stringify(v)).join(" | ");
  if (prop.$ref) {
    const name = prop.$ref.split("/").pop();
    // The engines' own API types are theirs to document: named, not tabled here.
    return upstream(name) ? name : `[${name}](#${name.toLowerCase()})`;
  }
  if (prop.anyOf) return prop.anyOf.map(typeOf).join(" | ");
  if (prop.type === "array") return `${prop.items ? typeOf(prop.items) : "any"}[]`;
  if (prop.type === "object")
    return prop.additionalProperties && typeof prop.additionalProperties === "object"
      ? `map of ${typeOf(prop.additionalProperties)}`
      : "object";
  if (Array.isArray(prop.type)) return prop.type.join(" | ");
  return prop.type ?? "any";
}

/** A definition copied from an engine's API document (Feldera's OpenAPI, Ionworks' schema package). */
const upstream = (name: string) => name.startsWith("IonworksApi") || name.startsWith("FelderaApi");

/** The default a description states ("default false", "(default: the server's)"), else "". */
export function defaultOf(description: string): string {
  const m = /\bdefault(?:s to|:)?\s+([^;)]+?)(?:[;)]|\.(?:\s|$)|$)/i.exec(description);
  return m ? m[1].trim() : "";
}

const cell = (s: string) => s.replace(/\n/g, " ").replace(/\|/g, "\\|");

function inputsTable(schema: Prop, k: DocKind): string[] {
  const def = schema.definitions[k.definition];
  const required = new Set<string>(def.required ?? []);
  const rows = ["| input | type | required | default | on change | description |", "|---|---|---|---|---|---|"];
  for (const [name, prop] of Object.entries<Prop>(def.properties)) {
    if (prop.not) continue; // refused with a reason: listed below
    const description = prop.description ?? "";
    const change = k.kind.replaceKeys.includes(name)
      ? "replaces"
      : k.kind.passthrough?.includes(name)
        ? "create-time only"
        : "updates in place";
    const isRequired = required.has(name);
    const dflt = isRequired ? "none: required" : defaultOf(description) || "unset";
    rows.push(
      `| \`${name}\` | ${cell(typeOf(prop))} | ${isRequired ? "yes" : "no"} | ${cell(dflt)} | ${change} | ${cell(description)} |`,
    );
  }
  const refused = Object.entries<Prop>(def.properties).filter(([, p]) => p.not);
  if (refused.length)
    rows.push(
      "",
      "Refused at validate, with the reason:",
      "",
      ...refused.map(([n, p]) => `- \`${n}\` ${p["x-message"]}`),
    );
  return rows;
}

/** The definitions an input refers to, one table each (only those reached from this kind). */
function referencedTables(schema: Prop, k: DocKind): string[] {
  const seen = new Set<string>();
  const visit = (prop: Prop | undefined): void => {
    if (!prop || typeof prop !== "object") return;
    if (prop.$ref) {
      const name = prop.$ref.split("/").pop();
      if (!seen.has(name) && !upstream(name)) {
        seen.add(name);
        visit(schema.definitions[name]);
      }
    }
    for (const v of Object.values(prop)) if (v && typeof v === "object") visit(v as Prop);
  };
  visit(schema.definitions[k.definition]);
  const out: string[] = [];
  for (const name of [...seen].sort()) {
    const def = schema.definitions[name];
    out.push("", `### ${name}`, "");
    if (def.description) out.push(def.description, "");
    if (def.properties) {
      out.push("| field | type | description |", "|---|---|---|");
      for (const [f, p] of Object.entries<Prop>(def.properties))
        out.push(`| \`${f}\` | ${cell(typeOf(p))} | ${cell(p.description ?? "")} |`);
    } else out.push(`One of: ${typeOf(def)}`);
  }
  return out;
}

/** A kind's outputs beyond its inputs, as its descriptor lists them. */
export function outputsOf(kind: Kind): { name: string; type: string; doc: string }[] {
  return Object.entries(kind.outputs).map(([name, o]) => ({ name, type: o.type, doc: o.doc }));
}

export function renderPage(schema: Prop, k: DocKind): string {
  const outputs = k.outputs;
  const yaml = fs.readFileSync(path.join(ROOT, k.examples.yaml), "utf8");
  return [
    "<!-- Generated by `npm run docs` from the declaration types and the kinds' descriptors: edit those, not this. -->",
    `# \`${k.title}\``,
    "",
    k.summary,
    "",
    `In YAML: ${k.yaml}. In TypeScript: \`new ${k.title}(name, args, opts)\` from \`pulumi-pipelines\`.`,
    `In Python, Go and Pulumi YAML programs: the type \`${k.token}\` ([other languages](../languages.md)), whose`,
    k.importId.startsWith("none")
      ? `\`pulumi import\` takes ${k.importId}.`
      : `\`pulumi import ${k.token} <name> <id>\` takes ${k.importId} as the id.`,
    "A change to an input marked *replaces* makes a new object on the server and deletes the old one; every other",
    "change is an update in place. Credentials are never inputs: they come from the target's stack config",
    "([installation and configuration](../installation.md)).",
    "",
    "## Inputs",
    "",
    ...inputsTable(schema, k),
    ...referencedTables(schema, k),
    "",
    "## Outputs",
    "",
    "Every input is also an output, as the server holds it after each `up` or `refresh`; besides them:",
    "",
    "| output | type | description |",
    "|---|---|---|",
    ...outputs
      .filter((o) => !(o.name in schema.definitions[k.definition].properties))
      .map((o) => `| \`${o.name}\` | \`${cell(o.type)}\` | ${cell(o.doc)} |`),
    "",
    "## Example",
    "",
    `\`${k.examples.yaml}\`:`,
    "",
    "```yaml",
    yaml.trimEnd(),
    "```",
    ...(k.examples.ts ? ["", `The same in TypeScript: [\`${k.examples.ts}\`](../../${k.examples.ts}).`] : []),
    "",
  ].join("\n");
}

/** The command line's page: its own --help, so the page and the tool cannot disagree. */
export function renderCli(): string {
  return [
    "<!-- Generated by `npm run docs` from the CLI's usage text (provider/cli/main.ts): edit that, not this. -->",
    "# The `pulumi-pipelines` command",
    "",
    "Installed with the package (`npx pulumi-pipelines …`). Every command takes `--help`; arguments are parsed",
    "strictly (an unknown flag is a usage error), errors go to stderr, and the exit codes are the same for all.",
    "",
    "```",
    USAGE.trimEnd(),
    "```",
    "",
  ].join("\n");
}

/** Page file (under docs/reference/) → content, for the test and the writer. */
export function generateDocs(): Map<string, string> {
  const schema = JSON.parse(fs.readFileSync(path.join(ROOT, "schemas", "pipelines.schema.json"), "utf8"));
  return new Map([...DOC_KINDS.map((k) => [k.page, renderPage(schema, k)] as const), ["cli.md", renderCli()]]);
}

if (require.main === module) {
  fs.mkdirSync(REFERENCE_DIR, { recursive: true });
  for (const [page, text] of generateDocs()) fs.writeFileSync(path.join(REFERENCE_DIR, page), text);
  process.stdout.write(`wrote ${DOC_KINDS.length + 1} pages to ${path.relative(process.cwd(), REFERENCE_DIR)}\n`);
}
