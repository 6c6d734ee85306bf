// The validators compiled at build time (scripts/validators.ts) are the ones
// ajv compiles at run time: for every case of the bad-input corpus and every
// example, both give the same errors, field for field.
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import Ajv from "ajv";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { AJV_OPTIONS, PREBUILT_DEFINITIONS, schemaStamp } from "../../provider/declarations/schema";
import schema from "../../schemas/pipelines.schema.json";
import { validatorsCode } from "../../scripts/validators";

const root = path.resolve(__dirname, "..", "..");

function yamlFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory()
        ? yamlFiles(path.join(dir, e.name))
        : e.name.endsWith(".yaml") || e.name.endsWith(".yml")
          ? [path.join(dir, e.name)]
          : [],
    );
}

describe("prebuilt validators", () => {
  it("give the errors ajv's run-time compile gives, for the corpus and the examples", () => {
    // Written inside the repository so its requires of ajv's runtime resolve as in dist/.
    const dir = fs.mkdtempSync(path.join(root, "node_modules", ".pp-validators-"));
    const file = path.join(dir, "validators.js");
    fs.writeFileSync(file, validatorsCode());
    const prebuilt = createRequire(file)(file);
    fs.rmSync(dir, { recursive: true, force: true });
    expect(prebuilt.__schemaStamp).toBe(schemaStamp());

    const ajv = new Ajv(AJV_OPTIONS);
    ajv.addSchema(schema, "pipelines");
    const files = [...yamlFiles(path.join(root, "test", "corpus", "bad")), ...yamlFiles(path.join(root, "examples"))];
    let compared = 0;
    let failing = 0;
    for (const f of files) {
      let doc: any;
      try {
        doc = parse(fs.readFileSync(f, "utf8"));
      } catch {
        continue; // not YAML at all: the loader's own case, no schema involved
      }
      for (const p of Array.isArray(doc?.pipelines) ? doc.pipelines : []) {
        for (const name of PREBUILT_DEFINITIONS) {
          const compiled = ajv.getSchema(`pipelines#/definitions/${name}`)!;
          const ok = compiled(p);
          expect(prebuilt[name](p), `${f} ${name}`).toBe(ok);
          expect(prebuilt[name].errors ?? null, `${f} ${name}`).toEqual(compiled.errors ?? null);
          compared++;
          if (!ok) failing++;
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
    expect(failing).toBeGreaterThan(50);
  }, 60_000);
});
