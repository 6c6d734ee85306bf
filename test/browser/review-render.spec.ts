// Reviews as reviewers see them: the golden rewiring reviews (one per engine)
// rendered by the mermaid package in a real headless Chromium, as GitHub
// renders a comment's diagrams. The SVG must have every node and edge the
// diagram declares, the changed nodes in their colours and removed edges dashed.
import * as fs from "node:fs";
import * as path from "node:path";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const goldens = path.join(__dirname, "..", "fixtures", "review-graph");
const MERMAID = require.resolve("mermaid/dist/mermaid.min.js");
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

// As this machine kind's notes say Chromium runs headless here: no sandbox as root, no background networking.
const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

interface Declared {
  nodes: number;
  /** Each node's text as the SVG shows it: its label lines run together. */
  labels: string[];
  edges: number;
  removedEdges: number;
  classes: Record<string, number>;
}

/** What a diagram's text declares: node and edge lines, removed-edge styles, class members. */
function declared(text: string): Declared {
  const lines = text.split("\n").map((l) => l.trim());
  const classes: Record<string, number> = {};
  for (const l of lines) {
    const m = /^class (\S+) (added|removed|edited)$/.exec(l);
    if (m) classes[m[2]] = m[1].split(",").length;
  }
  return {
    nodes: lines.filter((l) => /^n\d+[[({>]/.test(l)).length,
    labels: lines
      .filter((l) => /^n\d+[[({>]/.test(l))
      .map((l) => (/"(.*)"/.exec(l)?.[1] ?? "").replace(/<[^>]+>/g, "")),
    edges: lines.filter((l) => /^n\d+ (-->|-\.->) n\d+$/.test(l)).length,
    removedEdges: lines.filter((l) => /^linkStyle \d+ .*stroke-dasharray/.test(l)).length,
    classes,
  };
}

let browser: Browser;

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium package, or set CHROMIUM to its path`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
});

afterAll(async () => {
  await browser?.close();
});

describe.each(["mage", "feldera", "ionworks"])("the %s rewiring review in Chromium", (engine) => {
  it("renders every diagram with its nodes, edges, marks and dashed removed edges", async () => {
    const md = fs.readFileSync(path.join(goldens, `${engine}.md`), "utf8");
    const diagrams = [...md.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(diagrams.length).toBeGreaterThan(0);
    const page = await browser.newPage();
    try {
      await page.setContent("<!doctype html><html><body></body></html>");
      await page.addScriptTag({ path: MERMAID });
      for (const [i, text] of diagrams.entries()) {
        const want = declared(text);
        const got = await page.evaluate(
          async ({ id, text }) => {
            const mermaid = (window as any).mermaid;
            mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });
            const { svg } = await mermaid.render(id, text);
            const host = document.createElement("div");
            host.innerHTML = svg;
            document.body.appendChild(host);
            const nodes = [...host.querySelectorAll("g.node")];
            const edges = [...host.querySelectorAll("path.flowchart-link")];
            const fill = (cls: string) =>
              nodes
                .filter((n) => n.classList.contains(cls))
                .map((n) => {
                  const shape = n.querySelector("rect, path, polygon, circle");
                  return shape ? getComputedStyle(shape).fill : "";
                });
            return {
              nodes: nodes.length,
              edges: edges.length,
              dashed: edges.filter((e) => getComputedStyle(e).strokeDasharray.includes("4")).length,
              added: fill("added"),
              removed: fill("removed"),
              edited: fill("edited"),
              labels: nodes.map((n) => n.textContent?.trim() ?? ""),
            };
          },
          { id: `d${i}`, text },
        );
        expect(got.nodes).toBe(want.nodes);
        expect(got.edges).toBe(want.edges);
        expect(got.dashed).toBeGreaterThanOrEqual(want.removedEdges);
        expect(got.added).toEqual(Array(want.classes.added ?? 0).fill("rgb(218, 251, 225)"));
        expect(got.removed).toEqual(Array(want.classes.removed ?? 0).fill("rgb(255, 235, 233)"));
        expect(got.edited).toEqual(Array(want.classes.edited ?? 0).fill("rgb(255, 248, 197)"));
        expect(got.labels).toEqual(want.labels);
      }
    } finally {
      await page.close();
    }
  });
});
