// The graph in a review: a rewiring change on each engine, reviewed from two
// revisions of the declarations (diff --base), against golden files; every
// diagram in them must parse with Mermaid's own parser. And the graphs a
// review of a real preview draws.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diffCommand } from "../../provider/cli/diff";
import { gitIn } from "../helpers/git";
import { mermaidParse } from "../helpers/mermaid";

const goldens = path.join(__dirname, "..", "fixtures", "review-graph");
const previews = path.join(__dirname, "..", "fixtures", "preview");

const mage = (clean: string[], extra = "") => `pipelines:
  - engine: mage
    target: mage
    name: orders
    blocks:
      - { name: load, type: data_loader, code: "x = 1\\n" }
      - { name: clean, type: transformer, code: "y = 2\\n", upstream: [${clean.join(", ")}] }
      - { name: export, type: data_exporter, code: "z = 3\\n", upstream: [clean] }
${extra}    schedules:
      - { name: nightly, type: time, interval: "@daily", startTime: "2031-01-01T00:00:00Z" }
`;

const feldera = (suspiciousReads: string) => `pipelines:
  - engine: feldera
    target: feldera
    name: fraud
    blocks:
      - name: tables
        sql: |
          CREATE TABLE transactions (id BIGINT, card_id BIGINT, amount DECIMAL(12, 2));
          CREATE TABLE cards (card_id BIGINT, daily_limit DECIMAL(12, 2));
      - name: views
        sql: |
          CREATE MATERIALIZED VIEW spend AS SELECT card_id, SUM(amount) AS total FROM transactions GROUP BY card_id;
          CREATE MATERIALIZED VIEW suspicious AS SELECT * FROM ${suspiciousReads};
`;

const ionworks = (order: string[], from: string) => {
  const calc = (name: string, method: string) =>
    `      - { name: ${name}, type: calculation, config: { calculation: ElectrodeVolumeFractionFromLoading, electrode: positive, method: "${method}" } }`;
  const elements: Record<string, string> = {
    params: from
      ? `      - { name: params, type: entry, fromPipeline: ${from}, config: {} }`
      : "      - { name: params, type: entry, config: { values: { a: 1 } } }",
    balance: calc("balance", "loading"),
    porosity: calc("porosity", "coating mass"),
  };
  return `pipelines:
  - engine: ionworks
    target: ionworks
    name: first
    blocks:
      - { name: base, type: entry, config: { values: { a: 0 } } }
  - engine: ionworks
    target: ionworks
    name: second
    blocks:
${["params", ...order].map((e) => elements[e]).join("\n")}
`;
};

const CASES: { engine: string; before: string; after: string }[] = [
  {
    // clean reads from a new block instead of load; a callback is added beside export.
    engine: "mage",
    before: mage(["load"]),
    after: mage(
      ["enrich"],
      '      - { name: enrich, type: transformer, code: "w = 0\\n", upstream: [load] }\n      - { name: alert, type: callback, code: "def f(): pass\\n", upstream: [export] }\n',
    ),
  },
  {
    // suspicious stops reading spend and reads cards instead.
    engine: "feldera",
    before: feldera("transactions t JOIN spend s ON s.card_id = t.card_id"),
    after: feldera("transactions t JOIN cards c ON c.card_id = t.card_id"),
  },
  {
    // The entry now takes its parameters from the first pipeline's run; porosity moves before balance.
    engine: "ionworks",
    before: ionworks(["balance", "porosity"], ""),
    after: ionworks(["porosity", "balance"], "first"),
  },
];

let repo: string;
const cwd = process.cwd();
const git = gitIn(() => repo);

async function review(args: string[]): Promise<string> {
  let out = "";
  const code = await diffCommand(args, { write: (s: string) => (out += s) });
  expect(code, out).toBe(0);
  return out;
}

const diagrams = (markdown: string) => [...markdown.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]);

beforeAll(() => {
  repo = fs.mkdtempSync(path.join(os.tmpdir(), "pp-review-graph-"));
  git("init", "-q", "-b", "main");
  fs.mkdirSync(path.join(repo, "pipelines"));
  for (const c of CASES) fs.writeFileSync(path.join(repo, "pipelines", `${c.engine}.yaml`), c.before);
  git("add", ".");
  git("commit", "-qm", "before");
  process.chdir(repo);
});

afterAll(() => {
  process.chdir(cwd);
  fs.rmSync(repo, { recursive: true, force: true });
});

describe("the graph of a rewiring in a review", () => {
  it.each(CASES)("$engine: golden review, every diagram parsed by Mermaid", async (c) => {
    fs.writeFileSync(path.join(repo, "pipelines", `${c.engine}.yaml`), c.after);
    try {
      const md = await review(["--base", "main", `pipelines/${c.engine}.yaml`]);
      const golden = path.join(goldens, `${c.engine}.md`);
      if (process.env.UPDATE_GOLDEN) fs.writeFileSync(golden, md);
      expect(md).toBe(fs.readFileSync(golden, "utf8"));
      const found = diagrams(md);
      expect(found.length).toBeGreaterThan(0);
      for (const d of found) await expect(mermaidParse(d)).resolves.toBe("flowchart-v2");
      // The same graph as data; none with --no-graph.
      const json = JSON.parse(await review(["--base", "main", `pipelines/${c.engine}.yaml`, "--format", "json"]));
      expect(json.graphs.length).toBe(found.length);
      expect(json.graphs[0].edges.some((e: { mark: string }) => e.mark === "added")).toBe(true);
      const plain = await review(["--base", "main", `pipelines/${c.engine}.yaml`, "--no-graph"]);
      expect(plain).not.toContain("```mermaid");
      expect(
        JSON.parse(await review(["--base", "main", `pipelines/${c.engine}.yaml`, "--format", "json", "--no-graph"]))
          .graphs,
      ).toBeUndefined();
    } finally {
      fs.writeFileSync(path.join(repo, "pipelines", `${c.engine}.yaml`), c.before);
    }
  });
});

describe("graphs in reviews of real previews", () => {
  it("draws the changed Mage pipeline with the edited block and trigger marked, and parses", async () => {
    const md = await review(["--preview", path.join(previews, "mage-update-code-and-schedule.json")]);
    const [d] = diagrams(md);
    expect(d).toMatch(/class n\d+(,n\d+)* edited/);
    await expect(mermaidParse(d)).resolves.toBe("flowchart-v2");
  });

  it("draws no graph for a change the graph cannot show (only a setting)", async () => {
    const md = await review(["--preview", path.join(previews, "feldera-update-workers.json")]);
    expect(md).not.toContain("```mermaid");
  });
});
