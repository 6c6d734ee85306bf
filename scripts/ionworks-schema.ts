// The JSON Schema checks of Ionworks element configs, built by npm run schemas
// from test/fixtures/ionworks/elements.json (what scripts/ionworks_elements.py
// reads from the pinned ionworks-schema, the package the server validates
// with). Each class becomes a definition; the dispatch between them follows
// the package's element registry (_element_registry.py): the block's `type`
// picks the element class, an entry's shape picks its class, a calculation's
// `type` (or legacy `calculation`) key names its class. The rules written out
// here by hand are those the package keeps in code rather than in fields
// (DirectEntry._one_source_of_parameters); a test runs the package and these
// checks over the same configs and holds them to each other.
import * as fs from "node:fs";
import * as path from "node:path";

// biome-ignore lint/suspicious/noExplicitAny: schema documents are untyped JSON
type SchemaNode = any;

interface ElementsDoc {
  "x-derived-from": { version: string };
  elements: Record<string, SchemaNode>;
  entry: { sources: string[]; path: SchemaNode; direct: SchemaNode; named: Record<string, SchemaNode> };
  calculations: Record<string, SchemaNode>;
}

const pascal = (s: string) => s.replace(/(^|_)([a-z0-9])/g, (_m, _s, c: string) => c.toUpperCase());
const ref = (name: string) => ({ $ref: `#/definitions/${name}` });
export const elementDefinition = (type: string) => `IonworksApi${pascal(type)}Config`;
const ENTRY = "IonworksApiEntryConfig";
const ENTRY_FROM_PIPELINE = "IonworksApiEntryFromPipelineConfig";
const CALCULATION = "IonworksApiCalculationConfig";

/** `key` is set, as the package tests it (`is not None`). */
const present = (key: string) => ({ required: [key], properties: { [key]: { not: { type: "null" } } } });
const anyPresent = (keys: string[]) => ({ anyOf: keys.map(present) });
/** A rule the package states in code, with its own words; reported at the config. */
const rule = (not: SchemaNode, message: string) => ({ not, "x-message": message });
const fail = (message: string) => rule({}, message);

export function readElementsDoc(root: string): ElementsDoc {
  return JSON.parse(fs.readFileSync(path.join(root, "test", "fixtures", "ionworks", "elements.json"), "utf8"));
}

/** Every definition the element checks use, named IonworksApi…Config. */
export function ionworksDefinitions(doc: ElementsDoc): Record<string, SchemaNode> {
  const version = doc["x-derived-from"].version;
  const from = `ionworks-schema ${version}`;
  const out: Record<string, SchemaNode> = {};
  for (const [type, schema] of Object.entries(doc.elements))
    out[elementDefinition(type)] = { ...schema, description: `A ${type} element's config (from ${from}).` };

  // A TypeScript program spells pipeline_id pipelineId (the provider sends it as pipeline_id).
  const sources = [...doc.entry.sources, "pipelineId"];
  const direct = withPipelineIdSpelling(doc.entry.direct);
  direct.properties.keep = { ...direct.properties.keep, minItems: 1 };
  direct.properties.mapping = { ...direct.properties.mapping, minProperties: 1 };
  out.IonworksApiEntryPathConfig = { ...doc.entry.path, description: `An entry read from a file (${from}).` };
  out.IonworksApiEntryDirectConfig = {
    ...direct,
    description: `An entry with its parameters given, taken from another run or from a cell spec (${from}).`,
    allOf: [
      rule(
        {
          allOf: [
            { required: ["parameters"], properties: { parameters: { minProperties: 1 } } },
            anyPresent(sources.slice(2)),
          ],
        },
        "an entry takes its parameters from one place: 'parameters' or a pipeline or a cell spec, not two",
      ),
      cellSpecRule(),
    ],
  };
  const named = Object.keys(doc.entry.named);
  for (const [name, schema] of Object.entries(doc.entry.named)) {
    const own = withPipelineIdSpelling(schema);
    own.properties.name = { const: name };
    out[`IonworksApiEntry${pascal(name)}Config`] = {
      ...own,
      description: `An entry named ${name} (${from}).`,
      ...("mapping" in own.properties ? { allOf: [cellSpecRule()] } : {}),
    };
  }
  out[ENTRY] = {
    type: "object",
    description: `An entry's config: its shape picks its class, as ${from} does.`,
    allOf: [
      rule(
        { anyOf: pairs(sources).map(([a, b]) => ({ allOf: [present(a), present(b)] })) },
        `an entry takes its parameters from one place: set only one of ${sources.join(", ")}`,
      ),
      rule(
        { allOf: [present("keep"), { not: anyPresent(["pipeline_id", "pipelineId"]) }] },
        "keep picks parameters from a referenced pipeline's results, so it needs a pipeline_id",
      ),
      {
        if: present("path"),
        // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, never awaited
        then: ref("IonworksApiEntryPathConfig"),
        else: {
          if: anyPresent(sources.slice(1)),
          // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword
          then: ref("IonworksApiEntryDirectConfig"),
          else: {
            if: present("name"),
            // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword
            then: {
              properties: { name: { enum: named } },
              allOf: named.map((n) => dispatch("name", n, `IonworksApiEntry${pascal(n)}Config`)),
            },
            else: fail(
              `an entry needs one of ${[...doc.entry.sources.slice(0, 2), "name", ...sources.slice(2)].join(", ")}`,
            ),
          },
        },
      },
    ],
  };
  // A YAML entry with fromPipeline: the provider sets pipeline_id; nothing else may say where parameters come from.
  out[ENTRY_FROM_PIPELINE] = {
    description: "An entry that takes another declared run's parameters (fromPipeline).",
    allOf: [
      ref("IonworksApiEntryDirectConfig"),
      rule(
        anyPresent([...sources, "name"]),
        "fromPipeline says where this entry's parameters come from; leave path, values, pipeline_id, cell_spec_id and name out",
      ),
    ],
  };

  const classes = Object.keys(doc.calculations);
  for (const [name, schema] of Object.entries(doc.calculations))
    out[`IonworksApiCalculation${name}Config`] = {
      ...schema,
      properties: { ...schema.properties, type: {}, calculation: {} },
      description: `The ${name} calculation (${from}).`,
    };
  const byKey = (key: string) => ({
    properties: { [key]: { enum: classes } },
    allOf: classes.map((n) => dispatch(key, n, `IonworksApiCalculation${n}Config`)),
  });
  out[CALCULATION] = {
    type: "object",
    description: `A calculation's config: \`calculation\` (or \`type\`) names one of ${from}'s calculation classes.`,
    if: { required: ["type"] },
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword
    then: byKey("type"),
    else: { required: ["calculation"], ...byKey("calculation") },
  };
  return out;
}

/** The rules of a block's config by its type; `fromPipeline` only where the declaration has it (YAML). */
export function ionworksBlockRules(doc: ElementsDoc, fromPipeline: boolean): SchemaNode[] {
  const config = (definition: string) => ({ properties: { config: ref(definition) } });
  const byType = (type: string, then: SchemaNode) => ({
    if: { properties: { type: { const: type } }, required: ["type"] },
    then,
  });
  const rules = Object.keys(doc.elements).map((type) => byType(type, config(elementDefinition(type))));
  rules.push(byType("calculation", config(CALCULATION)));
  if (!fromPipeline) rules.push(byType("entry", config(ENTRY)));
  else
    rules.push(
      byType("entry", {
        if: { required: ["fromPipeline"] },
        // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword
        then: config(ENTRY_FROM_PIPELINE),
        else: config(ENTRY),
      }),
    );
  return rules;
}

/** `key` equal to `value` → the config is `definition`. */
function dispatch(key: string, value: string, definition: string): SchemaNode {
  // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword
  return { if: { properties: { [key]: { const: value } }, required: [key] }, then: ref(definition) };
}

/** DirectEntry: a cell spec entry needs both cell_spec_id and mapping. */
function cellSpecRule(): SchemaNode {
  return rule(
    {
      anyOf: [
        { allOf: [present("cell_spec_id"), { not: present("mapping") }] },
        { allOf: [present("mapping"), { not: present("cell_spec_id") }] },
      ],
    },
    "a cell spec entry needs both cell_spec_id and mapping: the specification to read, and the parameter each of its values sets",
  );
}

function withPipelineIdSpelling(schema: SchemaNode): SchemaNode {
  const properties = { ...schema.properties };
  if ("pipeline_id" in properties) properties.pipelineId = properties.pipeline_id;
  return { ...schema, properties };
}

function pairs<T>(items: T[]): [T, T][] {
  return items.flatMap((a, i) => items.slice(i + 1).map((b) => [a, b] as [T, T]));
}
