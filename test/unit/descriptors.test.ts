// Every list a path keeps of a kind comes from the kind's descriptor (provider/resources/<engine>/<kind>.ts) and
// the declaration types: the fields the provider diffs, the YAML program's mapping, the secret places, the schemas,
// the plugin's schema, the reference pages and the classes' outputs. Adding a field is the declaration type (and,
// where the server needs it, the backend): nothing here may need a second edit.
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it, vi } from "vitest";
import { loadPaths } from "../../provider/declarations/loader";
import { DECLARATION_SECRET_PLACES, KIND_SECRET_PLACES } from "../../provider/declarations/secrets";
import { declaredResources } from "../../provider/program/declaredResources";
import { classOf } from "../../provider/resources/classes";
import { argFields, inputFields, specKeys, typeOf } from "../../provider/resources/kind";
import { KINDS, RESOURCE_TYPES, type ResourceType, tokenOf } from "../../provider/resources/kinds";
import schema from "../../schemas/pipelines.schema.json";
import pulumiSchema from "../../schemas/pulumi.schema.json";

const root = path.join(__dirname, "..", "..");

/** The least a declaration of each kind says, as its inputs. */
const MINIMAL: Record<ResourceType, Record<string, unknown>> = {
  "mage:Pipeline": { name: "p" },
  "mage:Block": { pipeline: "p", name: "b", type: "custom", code: "" },
  "mage:Schedule": { pipeline: "p", name: "s", type: "api" },
  "mage:Secret": { name: "s", value: { secret: "S" } },
  "feldera:Pipeline": { name: "p", blocks: [{ name: "t", sql: "CREATE TABLE t (x INT);" }] },
  "ionworks:Pipeline": { name: "p", blocks: [{ name: "e", type: "entry", config: {} }] },
};

const definitions = (
  schema as unknown as { definitions: Record<string, { properties: Record<string, { not?: unknown }> }> }
).definitions;

describe("each kind's descriptor", () => {
  it.each(RESOURCE_TYPES)("%s sits under its own type, and its lists are its spec's fields", (type) => {
    const kind = KINDS[type];
    expect(typeOf(kind)).toBe(type);
    const keys = specKeys(kind);
    // What normalize keeps is exactly what diff compares: the spec is the inputs but those carried through.
    expect(Object.keys(kind.normalize(MINIMAL[type])).sort()).toEqual([...keys].sort());
    for (const k of kind.replaceKeys) expect(keys).toContain(k);
    if (kind.identity) for (const k of kind.identity.keys) expect(keys).toContain(k);
    for (const k of kind.passthrough ?? []) expect(keys).not.toContain(k);
    for (const k of Object.keys(kind.addedKeys ?? {})) expect(keys).toContain(k);
    for (const k of Object.keys(kind.display ?? {})) expect(keys).toContain(k);
    for (const k of kind.secretOutputs ?? []) expect(Object.keys(kind.outputs)).toContain(k);
    // An output beyond the inputs is never an input too.
    for (const k of Object.keys(kind.outputs)) expect(inputFields(kind)).not.toContain(k);
  });

  it.each(RESOURCE_TYPES)("%s's inputs are its schema definition's fields", (type) => {
    const kind = KINDS[type];
    const managed = Object.entries(definitions[kind.inputs].properties).filter(([, p]) => !p.not);
    expect(inputFields(kind)).toEqual(managed.map(([k]) => k));
  });

  it.each(RESOURCE_TYPES)("%s's secret places are the one table's, and YAML's derive from them", (type) => {
    expect(KINDS[type].secrets).toBe(KIND_SECRET_PLACES[type]);
  });

  it("gives a YAML pipeline the places of the kinds it declares, where it nests them, and per stack", () => {
    const perStack = (places: readonly (readonly string[])[]) => [
      ...places,
      ...places.map((p) => ["environments", "*", ...p]),
    ];
    expect(DECLARATION_SECRET_PLACES.mage.values).toEqual([
      ...perStack(KIND_SECRET_PLACES["mage:Pipeline"].values),
      ...perStack(KIND_SECRET_PLACES["mage:Block"].values).map((p) => ["blocks", "*", ...p]),
      ...perStack(KIND_SECRET_PLACES["mage:Schedule"].values).map((p) => ["schedules", "*", ...p]),
    ]);
    expect(DECLARATION_SECRET_PLACES.feldera.text).toEqual(perStack(KIND_SECRET_PLACES["feldera:Pipeline"].text));
    expect(DECLARATION_SECRET_PLACES.ionworks.values).toEqual(perStack(KIND_SECRET_PLACES["ionworks:Pipeline"].values));
  });
});

describe("what derives from the descriptors", () => {
  it("the YAML program passes each kind only its args: its inputs and its file fields", () => {
    const dirs = ["mage-etl", "feldera-fraud", "ionworks-fit", "secrets"].map((d) =>
      path.join(root, "examples", d, "pipelines"),
    );
    const loaded = loadPaths(dirs);
    expect(loaded.errors).toEqual([]);
    const resources = declaredResources(loaded.pipelines, root, loaded.secrets);
    expect(new Set(resources.map((r) => r.type))).toEqual(new Set(RESOURCE_TYPES));
    for (const r of resources) {
      const given = Object.keys(r.args).filter((k) => r.args[k] !== undefined);
      expect(argFields(KINDS[r.type])).toEqual(expect.arrayContaining(given));
    }
  });

  it("the plugin's schema: each kind's inputs, the outputs beyond them, secret where the kind says", () => {
    const resources = pulumiSchema.resources as Record<
      string,
      { inputProperties: Record<string, unknown>; properties: Record<string, { secret?: boolean }> }
    >;
    for (const type of RESOURCE_TYPES) {
      const kind = KINDS[type];
      const r = resources[tokenOf(type)];
      expect(Object.keys(r.inputProperties).sort()).toEqual(inputFields(kind).sort());
      expect(Object.keys(r.properties).sort()).toEqual([...inputFields(kind), ...Object.keys(kind.outputs)].sort());
      for (const k of kind.secretOutputs ?? []) expect(r.properties[k].secret).toBe(true);
    }
  });

  it("the reference pages: the outputs table lists the descriptor's outputs", () => {
    for (const type of RESOURCE_TYPES) {
      const kind = KINDS[type];
      const page = fs.readFileSync(path.join(root, "docs", "reference", kind.doc.page), "utf8");
      const outputs = page.split("## Outputs")[1].split("## ")[0];
      const rows = [...outputs.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]);
      expect(rows).toEqual(Object.keys(kind.outputs));
    }
  });

  it("the classes: each registers every input and every output of its kind", async () => {
    const registered = new Map<string, string[]>();
    pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          registered.set(args.type, Object.keys(args.inputs));
          return { id: `${args.name}-id`, state: args.inputs };
        },
        call: () => ({}),
      },
      "descriptors",
      "test",
      false,
    );
    vi.stubEnv("S", "a-value-for-the-digest");
    const made = Object.fromEntries(
      RESOURCE_TYPES.map((type) => [type, new (classOf(type))(`x-${type}`, MINIMAL[type]) as unknown]),
    ) as Record<ResourceType, Record<string, unknown>>;
    await pulumi.runtime.disconnect();
    vi.unstubAllEnvs();
    for (const type of RESOURCE_TYPES) {
      const kind = KINDS[type];
      for (const k of [...inputFields(kind), ...Object.keys(kind.outputs)])
        expect(pulumi.Output.isInstance(made[type][k]), `${type}.${k}`).toBe(true);
      expect(registered.get(`pulumi-nodejs:dynamic/${type}`)).toEqual(
        expect.arrayContaining(Object.keys(MINIMAL[type])),
      );
    }
  });
});
