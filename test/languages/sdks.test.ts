// The SDKs under sdk/ are what Pulumi's generators write from the committed
// schema (npm run sdks), the Go one compiles, and the schema is the one the
// packed package's plugin serves to the engine.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { CLI_BUILD_FLAGS } from "../../provider/cli/languageHosts";
import { run } from "../../provider/cli/process";
import { generateSdks, SDK_LANGUAGES } from "../../scripts/sdks";

const REPO = path.resolve(__dirname, "..", "..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pp-sdks-"));

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** What a local `pip install sdk/python` leaves behind (the generated .gitignore lists it): not the SDK. */
const BUILT = /(^|\/)(build|dist|__pycache__|[^/]*\.egg-info)(\/|$)/;

/** Every file under `dir`, by path relative to it, with its text. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true }))
    if (entry.isFile() && !BUILT.test(path.relative(dir, entry.parentPath))) {
      const full = path.join(entry.parentPath, entry.name);
      out[path.relative(dir, full)] = fs.readFileSync(full, "utf8");
    }
  return out;
}

describe("the SDKs generated from the schema", () => {
  it("sdk/ is what the generators write from schemas/pulumi.schema.json (run npm run sdks)", async () => {
    await generateSdks(tmp);
    for (const language of SDK_LANGUAGES) {
      const fresh = tree(path.join(tmp, language));
      expect(Object.keys(fresh).length).toBeGreaterThan(5);
      expect(tree(path.join(REPO, "sdk", language))).toEqual(fresh);
    }
  }, 600_000);

  it("the Go SDK compiles against the Pulumi Go SDK its go.mod names", async () => {
    const env = { ...process.env, GOTOOLCHAIN: "local", GOWORK: "off", GOFLAGS: "-mod=readonly" };
    await run("go", ["build", ...CLI_BUILD_FLAGS, "./go/..."], { cwd: path.join(REPO, "sdk"), env });
  }, 600_000);

  it("the packed package's plugin serves the committed schema", async () => {
    const plugin = path.join(inject("languages").packed, "node_modules", ".bin", "pulumi-resource-pipelines");
    const pulumi = path.join(inject("pulumiBin"), "pulumi");
    const env = { ...process.env, PULUMI_HOME: path.join(tmp, "home"), PULUMI_SKIP_UPDATE_CHECK: "true" };
    const served = await run(pulumi, ["package", "get-schema", plugin], { env });
    const committed = JSON.parse(fs.readFileSync(path.join(REPO, "schemas", "pulumi.schema.json"), "utf8"));
    expect(JSON.parse(served)).toMatchObject({ name: committed.name, version: committed.version });
    expect(Object.keys(JSON.parse(served).resources).sort()).toEqual(Object.keys(committed.resources).sort());
    expect(await run(plugin, ["--version"])).toBe(`${committed.version}\n`);
  }, 120_000);
});
