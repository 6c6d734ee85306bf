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
import { RULES } from "../provider/policy/rules";
import { ENV_PRESENCE, TARGET_KEYS, type TargetKey } from "../provider/resources/config";
import { DEFAULT_FAMILY, FAMILIES } from "../provider/resources/families";
import { importRefusal, type Kind } from "../provider/resources/kind";
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
  kind: Pick<Kind, "replaceKeys" | "passthrough" | "doc">;
  /** The outputs beyond the inputs, from the kind's descriptor. */
  outputs: { name: string; type: string; doc: string }[];
  /**
   * Example files: a YAML declaration shown on the page (validated by a test), and programs in each language
   * using the kind, each run by a test (the e2e and languages lanes).
   */
  examples: { yaml: string; ts: string; python: string; go: string; pulumiYaml: string };
}

/**
 * Each kind's programs in every language: the TypeScript example of its engine, and the Python, Go and Pulumi
 * YAML examples, which declare every kind (the languages lane deploys them; the TypeScript ones are held equal
 * to their YAML declarations by test/unit/equivalence.test.ts).
 */
const PROGRAMS = {
  python: "examples/python/__main__.py",
  go: "examples/go/main.go",
  pulumiYaml: "examples/yaml/Pulumi.yaml",
};
const MAGE_ETL = { yaml: "examples/mage-etl/pipelines/orders-etl.yaml", ts: "examples/mage-etl/index.ts", ...PROGRAMS };
const EXAMPLES: Record<ResourceType, DocKind["examples"]> = {
  "mage:Pipeline": MAGE_ETL,
  "mage:Block": MAGE_ETL,
  "mage:Schedule": MAGE_ETL,
  "mage:Secret": { yaml: "examples/secrets/pipelines/secrets.yaml", ts: "examples/secrets/index.ts", ...PROGRAMS },
  "feldera:Pipeline": {
    yaml: "examples/feldera-fraud/pipelines/fraud.yaml",
    ts: "examples/feldera-fraud/index.ts",
    ...PROGRAMS,
  },
  "ionworks:Pipeline": {
    yaml: "examples/ionworks-fit/pipelines/fits.yaml",
    ts: "examples/ionworks-fit/index.ts",
    ...PROGRAMS,
  },
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
  if (prop.const !== undefined) return JSON.stringify(prop.const);
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
  if (m) return m[1].trim();
  const named = /(?:^|[\s,;:])([\w@./-]+) \(default\)/.exec(description); // "completed (default): …"
  return named ? named[1] : "";
}

const cell = (s: string) => s.replace(/\n/g, " ").replace(/\|/g, "\\|");

function inputsTable(schema: Prop, k: DocKind): string[] {
  const change = (name: string) =>
    k.kind.replaceKeys.includes(name)
      ? "replaces"
      : k.kind.passthrough?.includes(name)
        ? "not compared"
        : "updates in place";
  return fieldRows(schema.definitions[k.definition], "input", { title: "on change", of: change });
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

/** Where a kind's declaration starts in a program of each language. */
const DECLARED_BY = {
  ts: (k: DocKind) => `new ${k.title}(`,
  python: (k: DocKind) => `${k.title}(`,
  go: (k: DocKind) => `${k.title.replace(".", ".New")}(ctx`,
  pulumiYaml: (k: DocKind) => `type: ${k.token}`,
};
const OPEN = new Set(["(", "{", "["]);
const CLOSE = new Set([")", "}", "]"]);

/**
 * The kind's first declaration in a program, as the file has it: its comment lines, then the statement up to
 * the line that closes its brackets (in Pulumi YAML, the resource's key and every line indented under it).
 * Taken from the file, so the page shows what the languages lane runs.
 */
export function declarationIn(text: string, lang: keyof typeof DECLARED_BY, k: DocKind): string {
  const lines = text.split("\n");
  const needle = DECLARED_BY[lang](k);
  let first = lines.findIndex((l) => l.includes(needle));
  if (first < 0) throw new Error(`${k.examples[lang]} declares no ${k.title} (looked for '${needle}')`);
  const indent = (l: string) => l.length - l.trimStart().length;
  let last = first;
  if (lang === "pulumiYaml") {
    first -= 1; // the resource's key, above its `type:`
    for (last = first; last + 1 < lines.length; last++) {
      const next = lines[last + 1];
      if (next.trim() && indent(next) <= indent(lines[first])) break;
    }
    while (!lines[last].trim()) last -= 1;
  } else {
    let depth = 0;
    for (; last < lines.length; last++) {
      for (const ch of lines[last]) depth += OPEN.has(ch) ? 1 : CLOSE.has(ch) ? -1 : 0;
      if (depth <= 0) break;
    }
  }
  const comment = lang === "python" || lang === "pulumiYaml" ? "#" : "//";
  while (first > 0 && lines[first - 1].trim().startsWith(comment)) first -= 1;
  const block = lines.slice(first, last + 1).map((l) => l.replace(/\t/g, "    "));
  const margin = Math.min(...block.filter((l) => l.trim()).map(indent));
  return block.map((l) => l.slice(margin)).join("\n");
}

/** The kind declared in each language, from the example programs, each under its file's name. */
function programExamples(k: DocKind): string[] {
  const langs = [
    ["TypeScript", "ts", "typescript"],
    ["Python", "python", "python"],
    ["Go", "go", "go"],
    ["Pulumi YAML", "pulumiYaml", "yaml"],
  ] as const;
  return langs.flatMap(([title, lang, fence]) => {
    const file = k.examples[lang];
    const text = fs.readFileSync(path.join(ROOT, file), "utf8");
    return [
      "",
      `### ${title}`,
      "",
      `From [\`${file}\`](../../${file}):`,
      "",
      `\`\`\`${fence}`,
      declarationIn(text, lang, k),
      "```",
    ];
  });
}

/** Where test/languages/import.test.ts keeps what `pulumi import` printed for each kind's page. */
export const IMPORT_RECORDINGS = path.join(ROOT, "test", "fixtures", "imports");

/** The import command for the kind and what Pulumi printed when the languages lane ran it (or why it cannot). */
function importSection(k: DocKind): string[] {
  const recorded = fs.readFileSync(path.join(IMPORT_RECORDINGS, k.page.replace(/\.md$/, ".txt")), "utf8").trimEnd();
  const refusal = importRefusal(k.kind);
  const intro = refusal
    ? [`\`pulumi import\` cannot take it: ${refusal}. Asked to, it fails before changing anything:`]
    : [
        `\`pulumi import ${k.token} <name> <id>\` takes ${k.importId} as the id, reads the object and adds it to the`,
        "stack, protected. Pulumi then prints the code to add to the program, in the program's language; for a Pulumi",
        "YAML program:",
      ];
  return [
    "## Import",
    "",
    ...intro,
    "",
    "```",
    recorded,
    "```",
    "",
    "What `npm run test:languages` printed, importing one made by hand on the server (`test/languages/import.test.ts`",
    "checks it against this text on every run).",
  ];
}

/** The outputs beyond the inputs, or the sentence that there are none (a table with no rows says nothing). */
function outputsTable(schema: Prop, k: DocKind): string[] {
  const extra = k.outputs.filter((o) => !(o.name in schema.definitions[k.definition].properties));
  if (!extra.length) return ["None: the inputs are all there is."];
  return [
    "| output | type | description |",
    "|---|---|---|",
    ...extra.map((o) => `| \`${o.name}\` | \`${cell(o.type)}\` | ${cell(o.doc)} |`),
  ];
}

export function renderPage(schema: Prop, k: DocKind): string {
  const yaml = fs.readFileSync(path.join(ROOT, k.examples.yaml), "utf8");
  return [
    "<!-- Generated by `npm run docs` from the declaration types and the kinds' descriptors: edit those, not this. -->",
    `# \`${k.title}\``,
    "",
    k.summary,
    "",
    `In YAML: ${k.yaml} ([declaration files](declarations.md): the keys there differ, e.g. \`sqlFile\`, paths`,
    `relative to the file). In TypeScript: \`new ${k.title}(name, args, opts)\` from \`pulumi-pipelines\`; the inputs`,
    "below are the resource's.",
    `In Python, Go and Pulumi YAML programs: the type \`${k.token}\` ([other languages](../languages.md));`,
    "[importing](#import) one that exists is below.",
    "A change to an input marked *replaces* makes a new object on the server and deletes the old one; every other",
    "change is an update in place. Credentials are never inputs: they come from the target's stack config",
    "([configuration](configuration.md)).",
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
    ...outputsTable(schema, k),
    "",
    ...importSection(k),
    "",
    "## Example",
    "",
    "### Declaration file (GitOps)",
    "",
    `\`${k.examples.yaml}\`:`,
    "",
    "```yaml",
    yaml.trimEnd(),
    "```",
    ...programExamples(k),
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

/**
 * A definition's fields as one table (type, required, default, description; `extra`, a column before the
 * description), the keys refused with a reason listed after it. One renderer for the kinds' pages and the
 * declarations page, so a field reads the same on both.
 */
function fieldRows(def: Prop, head: string, extra?: { title: string; of: (name: string) => string }): string[] {
  const required = new Set<string>(def.required ?? []);
  const fields = Object.entries<Prop>(def.properties ?? {});
  const titles = [head, "type", "required", "default", ...(extra ? [extra.title] : []), "description"];
  const rows = [`| ${titles.join(" | ")} |`, `|${titles.map(() => "---|").join("")}`];
  for (const [name, prop] of fields.filter(([, p]) => !p.not)) {
    const description = prop.description ?? "";
    const isRequired = required.has(name);
    const dflt = isRequired ? "none: required" : defaultOf(description) || "unset";
    const cells = [`\`${name}\``, cell(typeOf(prop)), isRequired ? "yes" : "no", cell(dflt)];
    if (extra) cells.push(extra.of(name));
    rows.push(`| ${[...cells, cell(description)].join(" | ")} |`);
  }
  const refused = fields.filter(([, p]) => p.not);
  if (refused.length)
    rows.push("", "Refused, with the reason:", "", ...refused.map(([n, p]) => `- \`${n}\` ${p["x-message"]}`));
  return rows;
}

/** The declaration files' reference: every definition a YAML file reaches, from the schema the loader validates with. */
export function renderDeclarations(schema: Prop): string {
  const order = ["MagePipeline", "MageBlock", "MageSchedule", "MageSecret", "FelderaPipeline", "FelderaBlock"];
  order.push("IonworksPipeline", "IonworksBlock");
  const seen = new Set<string>();
  const visit = (node: unknown): void => {
    if (!node || typeof node !== "object") return;
    const ref = (node as Prop).$ref as string | undefined;
    if (ref) {
      const name = ref.split("/").pop()!;
      if (!seen.has(name) && !upstream(name)) {
        seen.add(name);
        visit(schema.definitions[name]);
      }
    }
    for (const v of Object.values(node)) visit(v);
  };
  visit(schema.properties);
  const names = [...order.filter((n) => seen.has(n)), ...[...seen].filter((n) => !order.includes(n)).sort()];
  const out = [
    "<!-- Generated by `npm run docs` from schemas/pipelines.schema.json: edit the declaration types, not this. -->",
    "# Declaration files",
    "",
    "The YAML files of a GitOps repository (`pipelines/*.yaml`; [declaring pipelines in YAML](../gitops.md)). A file",
    "holds `pipelines:` and `secrets:`; each pipeline says its `engine` and `target`, and nests its blocks and",
    "schedules. This is not the shape of the package's resources (TypeScript, Python, Go, Pulumi YAML), whose",
    "inputs are on the kinds' pages: there a block is a resource of its own, code and SQL come as text or a",
    "project-relative file, and `target` defaults to the engine's name. Here paths (`codeFile`, `sqlFile`,",
    "`udfRustFile`, `udfTomlFile`) are relative to the YAML file.",
    "",
    "| key | type | description |",
    "|---|---|---|",
    ...Object.entries<Prop>(schema.properties).map(
      ([k, p]) => `| \`${k}\` | ${cell(typeOf(p))} | ${cell(p.description ?? "")} |`,
    ),
  ];
  for (const name of names) {
    const def = schema.definitions[name];
    out.push("", `## ${name}`, "");
    if (def.description) out.push(def.description, "");
    if (def.properties) out.push(...fieldRows(def, "field"));
    else out.push(`One of: ${typeOf(def.anyOf || def.oneOf ? { anyOf: def.anyOf ?? def.oneOf } : def)}`);
  }
  return `${out.join("\n")}\n`;
}

/** Stack config keys beyond the targets, with the code that reads each (a unit test holds this list to the code). */
export const OTHER_CONFIG_KEYS = [
  {
    key: "pipelines:secrets.<NAME>",
    env: "NAME",
    default: "none: a reference to a secret set nowhere is an error before any call",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the declarations' reference syntax, shown to users
    doc: "The value of a secret declarations reference as { secret: NAME } or ${secret:NAME} (set it with --secret).",
    readBy: "declarations/secrets.ts",
  },
  {
    key: "pipelines:path",
    env: "none",
    default: "pipelines",
    doc: "The GitOps program's folder of declarations, relative to the project.",
    readBy: "program/index.ts",
  },
  {
    key: "pipelines:family",
    env: "none",
    default: `${DEFAULT_FAMILY}: the family a stack made before the setting had`,
    doc: `The GitOps program's resource family: ${FAMILIES.join(" or ")} (init writes plugin in Pulumi.yaml's config:, for every stack; docs/gitops.md).`,
    readBy: "program/deploy.ts",
  },
  {
    key: "pipelines:policy",
    env: "none",
    default: "unset: each rule at its default enforcement and settings",
    doc: "The guardrails on this stack, as --policy-pack-config takes them: { <rule>: advisory | mandatory | disabled | { enforcementLevel, <setting>: … } } (docs/guardrails.md).",
    readBy: "policy/pack.ts",
  },
  {
    key: "pipelines:review",
    env: "none",
    default: "unset: the stack is no review stack",
    doc: "Set by review-stack up on a review stack: { from, prefix, pipelines }; the program deploys only those pipelines, prefixed.",
    readBy: "program/deploy.ts",
  },
] as const;

/** Environment variables the tools read, beyond the targets'. */
const OTHER_ENV = [
  [
    "PULUMI_PIPELINES_CACHE",
    "~/.cache/pulumi-pipelines",
    "Where built tools (the Pulumi CLI, Mage, language hosts) are cached.",
  ],
  [
    "PULUMI_PIPELINES_POLL_MS",
    "Feldera 1000, Ionworks 2000 (up to 30000)",
    "How often long operations are polled, in milliseconds.",
  ],
] as const;

/** The configuration page: every key from the model the code reads targets with (resources/config.ts). */
export function renderConfiguration(): string {
  const engines = (k: TargetKey) => (k.engines.length === 3 ? "all" : k.engines.join(", "));
  const envs = (k: TargetKey) =>
    Object.entries(k.env ?? {})
      .map(([e, v]) => `\`${v}\` (${e})`)
      .join(", ") || "none";
  return [
    "<!-- Generated by `npm run docs` from the settings model (provider/resources/config.ts): edit that, not this. -->",
    "# Configuration",
    "",
    "Targets are servers, named in stack config: `pipelines:targets.<name>` with an `engine`, or `pipelines:mage`,",
    "`pipelines:feldera`, `pipelines:ionworks` for the target named after its engine (the one a resource uses when",
    "it names none). The target named after an engine can also come from the environment, when its stack config is",
    `absent and the engine's variable is set: ${Object.entries(ENV_PRESENCE)
      .map(([e, v]) => `\`${v}\` (${e})`)
      .join(", ")}.`,
    "Credentials are read when the provider runs: they never reach state.",
    "",
    "## Target settings",
    "",
    "| key | engines | environment variable | default | description |",
    "|---|---|---|---|---|",
    ...TARGET_KEYS.map(
      (k) => `| \`${k.key}\` | ${engines(k)} | ${cell(envs(k))} | ${cell(k.default)} | ${cell(k.doc)} |`,
    ),
    "",
    "## Other stack config",
    "",
    "| key | environment variable | default | description |",
    "|---|---|---|---|",
    ...OTHER_CONFIG_KEYS.map((k) => `| \`${k.key}\` | ${k.env} | ${cell(k.default)} | ${cell(k.doc)} |`),
    "",
    "## Other environment variables",
    "",
    "| variable | default | description |",
    "|---|---|---|",
    ...OTHER_ENV.map(([v, d, doc]) => `| \`${v}\` | ${cell(d)} | ${cell(doc)} |`),
    "",
    "Waits of the engines' long operations are the resources' own inputs: Feldera's `compileTimeoutSeconds` and",
    "Ionworks' `timeoutSeconds` ([feldera.Pipeline](feldera-pipeline.md), [ionworks.Pipeline](ionworks-pipeline.md)).",
    "",
  ].join("\n");
}

/** The guardrails' reference: every shipped rule (provider/policy/rules.ts), its kinds, enforcement and settings. */
export function renderGuardrails(): string {
  const settings = (r: (typeof RULES)[number]) =>
    Object.entries(r.settings)
      .map(([k, s]) => `\`${k}\` (${s.type}, default \`${JSON.stringify(s.default)}\`): ${s.description}`)
      .join("<br>") || "none";
  return [
    "<!-- Generated by `npm run docs` from the rules (provider/policy/rules.ts): edit those, not this. -->",
    "# Guardrails: the rules",
    "",
    "The policy pack `pulumi preview --policy-pack node_modules/pulumi-pipelines` runs ([Guardrails](../guardrails.md)).",
    "Each rule applies to its kinds in both resource families (`pipelines:<engine>:<Kind>` and",
    "`pulumi-nodejs:dynamic/<engine>:<Kind>`).",
    "",
    "| rule | kinds | default | settings | what it asks |",
    "|---|---|---|---|---|",
    ...RULES.map(
      (r) =>
        `| \`${r.id}\` | ${r.kinds.map((k) => `\`${k}\``).join(", ")} | ${r.enforcement} | ${cell(settings(r))} | ${cell(r.description)} |`,
    ),
    "",
  ].join("\n");
}

/** Page file (under docs/reference/) → content, for the test and the writer. */
export function generateDocs(): Map<string, string> {
  const schema = JSON.parse(fs.readFileSync(path.join(ROOT, "schemas", "pipelines.schema.json"), "utf8"));
  return new Map([
    ...DOC_KINDS.map((k) => [k.page, renderPage(schema, k)] as const),
    ["cli.md", renderCli()],
    ["configuration.md", renderConfiguration()],
    ["declarations.md", renderDeclarations(schema)],
    ["guardrails.md", renderGuardrails()],
  ]);
}

if (require.main === module) {
  fs.mkdirSync(REFERENCE_DIR, { recursive: true });
  const pages = generateDocs();
  for (const [page, text] of pages) fs.writeFileSync(path.join(REFERENCE_DIR, page), text);
  process.stdout.write(`wrote ${pages.size} pages to ${path.relative(process.cwd(), REFERENCE_DIR)}\n`);
}
