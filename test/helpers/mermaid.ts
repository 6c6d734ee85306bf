// Mermaid's own parser (the `mermaid` package GitHub's renderer is built on),
// run in Node: its sanitizer wants a DOM, which jsdom lends it while it loads
// and parses, and takes back after.
import type { Mermaid } from "mermaid";

let loaded: Promise<Mermaid> | undefined;

async function withDom<T>(f: () => Promise<T>): Promise<T> {
  const { JSDOM } = await import("jsdom");
  const g = globalThis as Record<string, unknown>;
  const saved = { window: g.window, document: g.document };
  const { window } = new JSDOM("");
  Object.assign(g, { window, document: window.document });
  try {
    return await f();
  } finally {
    Object.assign(g, saved);
  }
}

/** The diagram type Mermaid parsed `text` as; rejects with Mermaid's parse error. */
export function mermaidParse(text: string): Promise<string> {
  return withDom(async () => {
    loaded ??= import("mermaid").then((m) => m.default);
    return (await (await loaded).parse(text)).diagramType;
  });
}
