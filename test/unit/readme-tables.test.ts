// The README's resource tables against the one field model: each table lists
// exactly the inputs the declaration types give the resource (the generated
// schema's *Inputs definitions, plus the TypeScript-only file variants), and
// names every value of each enum field it lists.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import schema from "../../schemas/pipelines.schema.json";

const README = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");
const definitions = schema.definitions as Record<string, { properties?: Record<string, any> }>;

const TABLES: { heading: string; definition: string; tsOnly?: string[] }[] = [
  { heading: "### `mage.Pipeline`", definition: "MagePipelineInputs" },
  { heading: "### `mage.Block`", definition: "MageBlockInputs" },
  { heading: "### `mage.Schedule`", definition: "MageScheduleInputs" },
  { heading: "### `mage.Secret`", definition: "MageSecretInputs" },
  { heading: "### `feldera.Pipeline`", definition: "FelderaPipelineInputs", tsOnly: ["udfRustFile", "udfTomlFile"] },
  { heading: "### `ionworks.Pipeline`", definition: "IonworksPipelineInputs" },
];

/** The first table after a heading, as rows of cells. */
function table(heading: string): string[][] {
  const at = README.indexOf(heading);
  if (at < 0) throw new Error(`README has no section ${heading}`);
  const lines = README.slice(at).split("\n");
  const start = lines.findIndex((l) => l.startsWith("| input"));
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith("|")) break;
    rows.push(
      line
        .split("|")
        .slice(1, -1)
        .map((c) => c.trim()),
    );
  }
  return rows;
}

const backticked = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);

function enumOf(prop: any): string[] | undefined {
  if (prop.enum) return prop.enum;
  if (prop.$ref) return enumOf(definitions[prop.$ref.split("/").pop()] ?? {});
  return undefined;
}

describe("README resource tables", () => {
  for (const { heading, definition, tsOnly = [] } of TABLES) {
    it(`${heading.slice(4)} lists exactly the resource's inputs, with every enum value`, () => {
      const props = definitions[definition].properties ?? {};
      const rows = table(heading);
      const listed = rows.flatMap((r) => backticked(r[0]));
      expect([...listed].sort()).toEqual([...Object.keys(props), ...tsOnly].sort());
      for (const row of rows) {
        for (const field of backticked(row[0])) {
          const values: string[] | undefined = props[field] && enumOf(props[field]);
          if (!values) continue;
          const said = new Set(backticked(row.slice(1).join(" ")));
          expect(
            values.filter((v) => !said.has(v)),
            `${heading} ${field}`,
          ).toEqual([]);
        }
      }
    });
  }
});
