// npm run schemas also writes schemas/pulumi.schema.json: the Pulumi package
// schema of the provider plugin (provider/plugin/), from the one field model
// the reference pages use — each kind's inputs and their descriptions from
// schemas/pipelines.schema.json, which inputs replace from the kind's own
// replaceKeys, always-secret outputs from the kind, the other outputs from the
// resource classes. The SDKs for other languages are generated from it
// (scripts/sdkgen). A test fails when the committed file is stale.
//
// Nested objects are `pulumi.json#/Any` in the schema: the plugin's check()
// validates them against the JSON Schema with the same errors a YAML file
// gets, so a typed copy in every SDK would be a second, weaker rule set.
import * as fs from "node:fs";
import * as path from "node:path";
import { KINDS, PACKAGE, RESOURCE_TYPES, tokenOf } from "../provider/resources/kinds";
import { outputsOf } from "./docs";

const ROOT = (() => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, "package.json"))) dir = path.dirname(dir);
  return dir;
})();
export const PULUMI_SCHEMA_FILE = path.join(ROOT, "schemas", "pulumi.schema.json");

// biome-ignore lint/suspicious/noExplicitAny: JSON Schema documents are untyped JSON
type Node = any;
type TypeSpec = Record<string, unknown>;

const ANY: TypeSpec = { $ref: "pulumi.json#/Any" };
const PRIMITIVES = new Set(["string", "number", "integer", "boolean"]);

/** A JSON Schema node as a Pulumi type: primitives, arrays and maps of them; anything richer is Any. */
export function typeSpec(node: Node, defs: Record<string, Node>): TypeSpec {
  if (!node || typeof node !== "object") return ANY;
  if (node.$ref) {
    const name = String(node.$ref).split("/").pop()!;
    const def = defs[name];
    return def && !def.properties ? typeSpec(def, defs) : ANY;
  }
  if (node.const !== undefined) return primitiveOf(typeof node.const) ?? ANY;
  if (node.enum) {
    const kinds = new Set(node.enum.filter((v: unknown) => v !== null).map((v: unknown) => typeof v));
    return kinds.size === 1 ? (primitiveOf([...kinds][0] as string) ?? ANY) : ANY;
  }
  const variants = node.anyOf ?? node.oneOf;
  if (variants) {
    const specs = variants.filter((v: Node) => v?.type !== "null").map((v: Node) => typeSpec(v, defs));
    const distinct = new Set(specs.map((s: TypeSpec) => JSON.stringify(s)));
    return distinct.size === 1 ? specs[0] : ANY;
  }
  const types = (Array.isArray(node.type) ? node.type : [node.type]).filter((t: unknown) => t && t !== "null");
  if (types.length !== 1) return ANY;
  const [type] = types;
  if (PRIMITIVES.has(type)) return { type };
  if (type === "array") return { type: "array", items: typeSpec(node.items ?? {}, defs) };
  if (
    type === "object" &&
    node.additionalProperties &&
    typeof node.additionalProperties === "object" &&
    !node.properties
  )
    return { type: "object", additionalProperties: typeSpec(node.additionalProperties, defs) };
  return ANY;
}

function primitiveOf(jsType: string): TypeSpec | undefined {
  return jsType === "string" || jsType === "boolean" || jsType === "number" ? { type: jsType } : undefined;
}

/** An output declared in a resource class (`pulumi.Output<T>`), typed as far as its TypeScript text says. */
function outputSpec(tsType: string): TypeSpec {
  const t = tsType.replace(/\s*\|\s*null$/, "").trim();
  if (t === "string" || t === "boolean" || t === "number") return { type: t };
  if (t === "string[]") return { type: "array", items: { type: "string" } };
  if (/^Record<string, string>$/.test(t)) return { type: "object", additionalProperties: { type: "string" } };
  return ANY;
}

const describe = (node: Node) => (node?.description ? { description: String(node.description) } : {});

export function generatePulumiSchema(): string {
  const json = JSON.parse(fs.readFileSync(path.join(ROOT, "schemas", "pipelines.schema.json"), "utf8"));
  const defs: Record<string, Node> = json.definitions;
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));

  const resources: Record<string, unknown> = {};
  for (const type of RESOURCE_TYPES) {
    const entry = KINDS[type];
    const def = defs[entry.inputs];
    const replaces = new Set<string>(entry.replaceKeys);
    const secretOutputs = new Set<string>(entry.secretOutputs ?? []);
    const inputProperties: Record<string, TypeSpec> = {};
    for (const [name, prop] of Object.entries<Node>(def.properties)) {
      if (prop.not) continue; // refused with a reason by check(), so not offered
      inputProperties[name] = {
        ...typeSpec(prop, defs),
        ...describe(prop),
        ...(replaces.has(name) ? { replaceOnChanges: true } : {}),
      };
    }
    const properties: Record<string, TypeSpec> = {};
    for (const [name, spec] of Object.entries(inputProperties)) {
      const { replaceOnChanges: _r, ...out } = spec;
      properties[name] = out;
    }
    for (const o of outputsOf(entry))
      if (!(o.name in properties))
        properties[o.name] = { ...outputSpec(o.type), ...(o.doc ? { description: o.doc } : {}) };
    for (const name of secretOutputs) if (properties[name]) properties[name] = { ...properties[name], secret: true };
    resources[tokenOf(type)] = {
      description: `${entry.doc.summary}\n\nIn YAML declarations: ${entry.doc.yaml}. Reference: docs/reference/${entry.doc.page}.`,
      inputProperties,
      requiredInputs: (def.required ?? []).filter((k: string) => k in inputProperties),
      properties: sortKeys(properties),
    };
  }

  const config: Record<string, TypeSpec> = {
    targets: {
      type: "object",
      additionalProperties: ANY,
      description:
        "Named servers: { <name>: { engine, url, email, password, apiKey, project, caFile, timeoutSeconds } }. Set credentials with --secret.",
    },
    secrets: {
      type: "object",
      additionalProperties: { type: "string" },
      secret: true,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the declarations' reference syntax, shown to users
      description: "Values of the secrets declarations reference by name ({ secret: NAME } or ${secret:NAME}).",
    },
    mage: { ...ANY, description: "The target named mage: { url, email, password, apiKey, caFile, timeoutSeconds }." },
    feldera: { ...ANY, description: "The target named feldera: { url, apiKey, caFile, timeoutSeconds }." },
    ionworks: { ...ANY, description: "The target named ionworks: { url, apiKey, project, caFile, timeoutSeconds }." },
  };

  const schema = {
    name: PACKAGE,
    displayName: "Pipelines",
    version: pkg.version,
    description: "Mage, Feldera and Ionworks pipelines: the kinds of pulumi-pipelines as a Pulumi package.",
    keywords: ["pulumi", "category/utility", "kind/native", "mage", "feldera", "ionworks"],
    homepage: "https://github.com/pulumi-pipelines/pulumi-pipelines",
    license: pkg.license,
    repository: "https://github.com/pulumi-pipelines/pulumi-pipelines",
    publisher: "pulumi-pipelines",
    // The GitHub release's assets: pulumi-resource-pipelines-v<version>-<os>-<arch>.tar.gz (scripts/pluginArchive.ts).
    pluginDownloadURL: "github://api.github.com/pulumi-pipelines/pulumi-pipelines",
    meta: { moduleFormat: "(.*)" },
    config: { variables: config },
    provider: {
      description: "Where the pipelines live and the secrets they use; by default from stack config pipelines:*.",
      inputProperties: config,
      properties: config,
    },
    resources,
    language: {
      python: {
        packageName: "pulumi_pipelines",
        requires: { pulumi: `>=3.142.0,<4.0.0` },
        pyproject: { enabled: true },
        respectSchemaVersion: true,
      },
      go: {
        importBasePath: "github.com/pulumi-pipelines/pulumi-pipelines/sdk/go/pipelines",
        respectSchemaVersion: true,
      },
    },
  };
  return `${JSON.stringify(schema, null, 2)}\n`;
}

function sortKeys<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b))) as T;
}

if (require.main === module) {
  fs.writeFileSync(PULUMI_SCHEMA_FILE, generatePulumiSchema());
  process.stdout.write(`wrote ${path.relative(process.cwd(), PULUMI_SCHEMA_FILE)}\n`);
}
