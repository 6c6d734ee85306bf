// The layers rule as lint applies it: the project's own biome.jsonc, run by the project's Biome over a small
// tree shaped like provider/, fails on an import cycle (types included) and on an import from a lower layer to
// a higher one; the same configuration passes the real provider/.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sh } from "../helpers/spawn";

const root = join(__dirname, "..", "..");
const biome = join(root, "node_modules", ".bin", "biome");
const dirs: string[] = [];

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A git work tree (the configuration reads .gitignore) holding the project's biome.jsonc and these files. */
async function tree(files: Record<string, string>): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "layers-"));
  dirs.push(dir);
  await sh("git", ["init", "-q", dir], dir, process.env);
  writeFileSync(join(dir, "biome.jsonc"), readFileSync(join(root, "biome.jsonc")));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

async function lint(dir: string, target = "provider") {
  return sh(biome, ["lint", "--diagnostic-level=error", "--max-diagnostics=200", target], dir, process.env);
}

describe("lint enforces the layers", () => {
  it("fails on an import cycle, a type-only one included", async () => {
    const dir = await tree({
      "provider/backends/mage/api.ts": 'import type { Spec } from "./block";\nexport type Wire = { spec: Spec };\n',
      "provider/backends/mage/block.ts": 'import type { Wire } from "./api";\nexport type Spec = { wire?: Wire };\n',
    });
    const ran = await lint(dir);
    expect(ran.code).not.toBe(0);
    expect(ran.output).toContain("provider/backends/mage/api.ts");
    expect(ran.output).toContain("lint/suspicious/noImportCycles");
  });

  it.each([
    ["provider/http/rest.ts", "../backends/mage/api", "provider/backends/mage/api.ts"],
    ["provider/backends/mage/block.ts", "../../declarations/types", "provider/declarations/types.ts"],
    ["provider/backends/mage/block.ts", "@pulumi/pulumi", undefined],
    ["provider/declarations/loader.ts", "../resources/config", "provider/resources/config.ts"],
    ["provider/resources/kindProvider.ts", "../program/declaredResources", "provider/program/declaredResources.ts"],
    ["provider/program/deploy.ts", "../review/graph", "provider/review/graph.ts"],
    ["provider/review/render.ts", "../cli/args", "provider/cli/args.ts"],
    ["provider/resources/kinds.ts", "../plugin/pipelinesPlugin", "provider/plugin/pipelinesPlugin.ts"],
    ["provider/plugin/pipelinesPlugin.ts", "../program/deploy", "provider/program/deploy.ts"],
  ])("fails when %s imports %s", async (file, spec, target) => {
    const files: Record<string, string> = { [file]: `import { x } from "${spec}";\nexport const y = x;\n` };
    if (target) files[target] = "export const x = 1;\n";
    const ran = await lint(await tree(files));
    expect(ran.code).not.toBe(0);
    expect(ran.output).toContain("lint/style/noRestrictedImports");
    expect(ran.output).toMatch(/is a higher layer|Pulumi is known only from provider\/resources\/ up/);
  });

  it("passes downward imports in the same tree shape", async () => {
    const dir = await tree({
      "provider/http/client.ts": "export const send = 1;\n",
      "provider/backends/mage/api.ts": "export type Wire = { uuid: string };\n",
      "provider/backends/mage/block.ts":
        'import { send } from "../../http/client";\nimport type { Wire } from "./api";\nexport const f = (w: Wire) => [w, send];\n',
      "provider/resources/mage/block.ts": 'import { f } from "../../backends/mage/block";\nexport const g = f;\n',
    });
    const ran = await lint(dir);
    expect(ran.output).not.toContain("noImportCycles");
    expect(ran.code).toBe(0);
  });

  it("passes the real provider/", async () => {
    const ran = await lint(root);
    expect(ran.output).not.toMatch(/noImportCycles|noRestrictedImports/);
    expect(ran.code).toBe(0);
  });
});
