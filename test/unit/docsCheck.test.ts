// The docs against the code (scripts/docsCheck.ts): no empty table cell, no link or named reference
// to a heading that does not exist, no flag or config key the code does not
// know, no version stated otherwise than the code requires it. The second
// block feeds the checker lines the docs once had, each a defect a reader
// reported, to show it catches them.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_WAITS } from "../../provider/backends/feldera/lifecycle";
import { GO_MINIMUM } from "../../provider/cli/languageHosts";
import { USAGE } from "../../provider/cli/main";
import { DEFAULT_RUN_TIMEOUT_SECONDS } from "../../provider/resources/ionworks/pipeline";
import { OTHER_CONFIG_KEYS } from "../../scripts/docs";
import { checkDocs, docFiles, type Known, slug } from "../../scripts/docsCheck";

const REPO = path.resolve(__dirname, "..", "..");

/** Every `pipelines:<key>` the provider's code reads, found in the code itself. */
function configKeys(): Set<string> {
  const keys = new Set<string>(["mage", "feldera", "ionworks"]); // pipelines:${engine} (resources/config.ts)
  for (const f of fs.readdirSync(path.join(REPO, "provider"), { recursive: true }).map(String)) {
    if (!f.endsWith(".ts")) continue;
    const text = fs.readFileSync(path.join(REPO, "provider", f), "utf8");
    for (const m of text.matchAll(/"pipelines:([a-zA-Z]+)/g)) keys.add(m[1]);
    for (const m of text.matchAll(/Config\("pipelines"\)\.get\w*(?:<[^>]*>)?\("([a-zA-Z]+)"/g)) keys.add(m[1]);
  }
  return keys;
}

const known: Known = {
  flags: new Set([...USAGE.matchAll(/--[a-z][a-z-]*/g)].map((m) => m[0])),
  configKeys: configKeys(),
  versions: {
    node: JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")).engines.node.replace(/^>=\s*/, ""),
    go: GO_MINIMUM,
  },
};

describe("the docs match the code", () => {
  it("the config keys the code reads are found", () => {
    expect([...known.configKeys].sort()).toEqual(
      expect.arrayContaining(["feldera", "ionworks", "mage", "path", "review", "secrets", "targets"]),
    );
  });

  it("the configuration page lists every stack config key the code reads", () => {
    const listed = new Set([
      "mage",
      "feldera",
      "ionworks",
      "targets",
      ...OTHER_CONFIG_KEYS.map((k) => /^pipelines:([a-zA-Z]+)/.exec(k.key)![1]),
    ]);
    expect([...known.configKeys].filter((k) => !listed.has(k))).toEqual([]);
  });

  it("README, docs/ and the examples' READMEs have no defect", () => {
    const defects = checkDocs(docFiles(), known).map((d) => `${d.file}:${d.line}: ${d.problem}`);
    expect(defects).toEqual([]);
  });
});

describe("defaults the code holds are the ones the declarations' descriptions state", () => {
  const schema = JSON.parse(fs.readFileSync(path.join(REPO, "schemas", "pipelines.schema.json"), "utf8"));
  const described = (def: string, field: string) => schema.definitions[def].properties[field].description as string;

  it("Feldera's compile and state waits, Ionworks' run timeout", () => {
    expect(described("FelderaPipeline", "compileTimeoutSeconds")).toContain(
      `(default ${DEFAULT_WAITS.compileTimeoutMs / 1000})`,
    );
    expect(described("FelderaPipeline", "compileTimeoutSeconds")).toContain(
      `up to ${DEFAULT_WAITS.stateTimeoutMs / 1000}`,
    );
    expect(described("IonworksPipeline", "timeoutSeconds")).toContain(`(default ${DEFAULT_RUN_TIMEOUT_SECONDS})`);
  });
});

describe("the checker catches what readers reported", () => {
  const check = (text: string, file = "docs/x.md", more: Record<string, string> = {}) =>
    checkDocs(new Map([[file, text], ...Object.entries(more)]), known).map((d) => d.problem);

  it("an empty table cell (an Outputs table with no rows' text, waitFor's default, a field with no description)", () => {
    const table = ["| field | type | description |", "|---|---|---|", "| `name` | string |  |"].join("\n");
    expect(check(table)).toEqual(["empty cell in column 'description'"]);
    expect(check("| output | type | description |\n|---|---|---|\n\n## Example")).toEqual(["a table with no rows"]);
  });

  it("a link to a heading that does not exist, and a heading named rather than linked", () => {
    const docs = { "docs/installation.md": "# Installation\n\n## Targets\n" };
    expect(check("[see](installation.md#targets-and-credentials)", "docs/x.md", docs)).toEqual([
      "link to installation.md#targets-and-credentials: docs/installation.md has no heading #targets-and-credentials",
    ]);
    expect(check("a server in stack config, see *Targets and credentials*")).toHaveLength(1);
    expect(check("as the Feldera resources below say")).toHaveLength(1);
    expect(
      check("export PULUMI_BACKEND_URL=x   # (README: Running in CI with a team)", "docs/x.md", {
        "README.md": "# pulumi-pipelines\n## Two commands\n",
      }),
    ).toEqual(['"README: Running in CI with a team" names no heading of README.md']);
  });

  it("a flag or config key the code does not know", () => {
    expect(check("`npx pulumi-pipelines diff --against main`")).toEqual(["--against is no flag of pulumi-pipelines"]);
    expect(check("set `pipelines:target` to the server")).toEqual([
      "pipelines:target is no stack config key the provider reads",
    ]);
    // Type tokens are no config keys.
    expect(check("the type `pipelines:mage:Pipeline`")).toEqual([]);
  });

  it("a version stated two ways", () => {
    expect(check("Node 20+ and Go ≥ 1.25")).toEqual([
      `"Node 20+": the package needs Node ${known.versions.node} or later`,
      `"Go ≥ 1.25": building the CLI needs Go ${known.versions.go} or later`,
    ]);
    expect(check("Node 20.18 or later")).toHaveLength(1);
    expect(check("| Node | 20.18 or later (22 for newer SDKs) |")).toHaveLength(1);
    expect(check(`Node ${known.versions.node} or later and Go ${known.versions.go} or later`)).toEqual([]);
  });

  it("slugs headings as GitHub does", () => {
    expect(slug("Targets and credentials")).toBe("targets-and-credentials");
    expect(slug("Using it from Python, Go or Pulumi YAML")).toBe("using-it-from-python-go-or-pulumi-yaml");
    expect(slug("`pulumi import`")).toBe("pulumi-import");
  });
});
