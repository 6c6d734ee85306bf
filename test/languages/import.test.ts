// `pulumi import` of each kind, one at a time, as a user types it from the
// kind's reference page: objects made by hand on the run's Mage and the
// Feldera and Ionworks emulators, a Pulumi YAML project with nothing in it,
// the plugin from the release's archive. What Pulumi prints (the code to add,
// or the refusal) is what the page shows: it is kept in
// test/fixtures/imports/<page>.txt, which this test
// compares with each run (PULUMI_PIPELINES_IMPORT_FIXTURES=write records it
// again) and `npm run docs` puts on the page. The servers are read after each
// import: nothing changed there.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type FelderaEmulator, startFelderaEmulator } from "../fakes/feldera/emulator";
import { type IonworksEmulator, startIonworksEmulator } from "../fakes/ionworks/emulator";
import { felderaByHand, ionworksByHand, mageByHand } from "../helpers/handMade";
import { installPluginArchive, pathWithoutNode } from "../helpers/languages";
import { configureMage, testClient } from "../helpers/mage";
import { createStack, type TestStack } from "../helpers/pulumi";
import { configureFeldera, configureIonworks } from "../helpers/targets";

const REPO = path.resolve(__dirname, "..", "..");
const FIXTURES = path.join(REPO, "test", "fixtures", "imports");
const FELDERA_KEY = "apikey:languages-import-4410";
const IONWORKS_KEY = "iw-languages-import-9023";
const UUID = "legacy_orders";
const SECRET = "legacy_warehouse_password";
const WRITE = process.env.PULUMI_PIPELINES_IMPORT_FIXTURES === "write";

/**
 * What the page shows of a run: after an import, the code Pulumi prints to add to the program (from "Please copy"
 * on); after a refusal, the resource's diagnostics. The progress lines before them come in the order the
 * engine's events happen to arrive, so they are left out.
 */
function shownOf(output: string, ok: boolean, name: string): string {
  const lines = output.replace(/\r/g, "").split("\n");
  const from = ok
    ? lines.findIndex((l) => l.startsWith("Please copy the following code"))
    : lines.findIndex((l) => l.trimStart().startsWith("pipelines:") && l.trimEnd().endsWith(`(${name}):`));
  if (from < 0) throw new Error(`no ${ok ? "code" : "diagnostics"} in what pulumi import printed:\n${output}`);
  const rest = lines.slice(from);
  const end = ok ? rest.length : rest.findIndex((l, i) => i > 0 && !l.trim());
  return `${rest
    .slice(0, end < 0 ? rest.length : end)
    .join("\n")
    .trimEnd()}\n`;
}

describe("pulumi import, one kind at a time, as the reference pages give it", () => {
  const mage = testClient();
  let feldera: FelderaEmulator;
  let ionworks: IonworksEmulator;
  let stack: TestStack;
  let dir: string;
  let triggerId: number;
  let runId: string;

  beforeAll(async () => {
    feldera = await startFelderaEmulator({ apiKey: FELDERA_KEY, stepMs: 20 });
    ionworks = await startIonworksEmulator({ apiKey: IONWORKS_KEY, autoAdvanceMs: 5 });
    ({ triggerId } = await mageByHand(UUID, "legacy orders"));
    await felderaByHand(feldera, FELDERA_KEY, "legacy-fraud");
    runId = await ionworksByHand(ionworks, IONWORKS_KEY, "legacy parameters");

    // A project with no resources yet: what each import adds is all there is.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "pp-import-"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: pipelines\nruntime: yaml\n");
    stack = await createStack(dir, { PATH: pathWithoutNode(inject("pulumiBin"), inject("languages")) }, "dev");
    await installPluginArchive(inject("pulumiBin"), stack, inject("release").archive);
    await configureMage(stack);
    await configureFeldera(stack, feldera.url, FELDERA_KEY);
    await configureIonworks(stack, ionworks, IONWORKS_KEY);
  }, 300_000);

  afterAll(async () => {
    if (stack) {
      await stack.run(["state", "unprotect", "--all", "--yes"]);
      await stack.destroy();
      await stack.remove();
    }
    await mage.call("DELETE", `/api/pipelines/${UUID}`).catch(() => undefined);
    await mage.call("DELETE", `/api/secrets/${SECRET}`).catch(() => undefined);
    await feldera?.close();
    await ionworks?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /**
   * `pulumi import <token> <name> <id> --yes`: its exit code, and what it printed against the recorded text; an
   * id the server chose is shown as `shownId`.
   */
  async function importAs(page: string, [token, name, id]: string[], shownId = id) {
    const r = await stack.run(["import", token, name, id, "--yes"]);
    // The language hosts sit beside the CLI (bootstrap --languages links them), as a Pulumi release bundles them.
    expect(r.stdout + r.stderr).not.toContain("from $PATH");
    const printed = `$ pulumi import ${token} ${name} ${shownId} --yes\n${shownOf(r.stdout + r.stderr, r.code === 0, name)}`;
    const file = path.join(FIXTURES, `${page}.txt`);
    if (WRITE) fs.writeFileSync(file, printed);
    expect(printed).toBe(fs.readFileSync(file, "utf8"));
    return r;
  }

  const imported = async (name: string) =>
    (await stack.export()).deployment.resources.find((x: any) => x.urn.endsWith(`::${name}`));

  it("a Mage pipeline, by its uuid", async () => {
    const before = await mage.call<any>("GET", `/api/pipelines/${UUID}`);
    const r = await importAs("mage-pipeline", ["pipelines:mage:Pipeline", "legacyOrders", UUID]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect((await imported("legacyOrders"))?.protect).toBe(true);
    expect(await mage.call<any>("GET", `/api/pipelines/${UUID}`)).toEqual(before);
  }, 180_000);

  it("a Mage block, by <pipeline uuid>/<block uuid>", async () => {
    const r = await importAs("mage-block", ["pipelines:mage:Block", "legacyLoad", `${UUID}/load_orders`]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect((await imported("legacyLoad"))?.outputs.name).toBe("load_orders");
  }, 180_000);

  it("a Mage trigger, by its id", async () => {
    const r = await importAs(
      "mage-schedule",
      ["pipelines:mage:Schedule", "legacyNightly", String(triggerId)],
      "<trigger id>",
    );
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect((await imported("legacyNightly"))?.outputs.interval).toBe("@daily");
  }, 180_000);

  it("a Mage secret cannot be imported, and the error says what to do instead", async () => {
    // It exists: the refusal is about what Mage gives back, not about a missing secret.
    await mage.call("POST", "/api/secrets", { body: { secret: { name: SECRET, value: "hand-typed-1931" } } });
    const r = await importAs("mage-secret", ["pipelines:mage:Secret", "warehousePassword", SECRET]);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toContain("cannot be imported or looked up");
    expect(r.stdout + r.stderr).not.toContain("hand-typed-1931");
    expect(await imported("warehousePassword")).toBeUndefined();
  }, 180_000);

  it("a Feldera pipeline, by its name", async () => {
    const r = await importAs("feldera-pipeline", ["pipelines:feldera:Pipeline", "legacyFraud", "legacy-fraud"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(feldera.requests.filter((q) => q.method !== "GET")).toEqual([expect.objectContaining({ method: "POST" })]);
    expect(feldera.violations).toEqual([]);
  }, 180_000);

  it("an Ionworks run, by its id", async () => {
    const r = await importAs(
      "ionworks-pipeline",
      ["pipelines:ionworks:Pipeline", "legacyParameters", runId],
      "<run id>",
    );
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(ionworks.requests.filter((q) => q.method !== "GET").length).toBe(1); // the hand-made submission
    expect((await imported("legacyParameters"))?.outputs.status).toBe("completed");
  }, 180_000);
});
