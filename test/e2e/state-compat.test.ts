// State written by an earlier version previews with no change: the stack exports in test/fixtures/state/ were
// made by the version its README names (every kind, from a TypeScript program and from the GitOps program). Each
// is imported into a fresh stack and previewed against its program; nothing may change and no server is asked.
//
// `npm run fixtures:state` makes the fixtures again (up on the real Mage and the emulators, export, destroy):
// only when the state format changes on purpose, and then with an upgrade path for existing stacks.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FelderaEmulator, startFelderaEmulator } from "../fakes/feldera/emulator";
import { type IonworksEmulator, startIonworksEmulator } from "../fakes/ionworks/emulator";
import { type RecordingProxy, startRecordingProxy } from "../fakes/recordingProxy";
import { configureMage, mageTarget } from "../helpers/mage";
import { createStack, type TestStack } from "../helpers/pulumi";

const root = path.join(__dirname, "..", "..");
const fixtures = path.join(root, "test", "fixtures", "state");
const WRITE = process.env.PULUMI_PIPELINES_STATE_FIXTURES === "write";
/** The one secret the fixtures reference; its digest is in their state, so it must stay this value. */
const TOKEN = "state-compat-token-0001";
const IONWORKS_KEY = "iw-state-compat-key-0002";

const PROGRAMS = [
  { name: "ts", dir: path.join(fixtures, "ts"), config: {} as Record<string, string> },
  {
    name: "gitops",
    dir: root,
    config: { "pipelines:path": path.relative(root, path.join(fixtures, "gitops", "pipelines")) },
  },
];

describe(WRITE ? "state fixtures: writing them" : "state written by an earlier version", () => {
  let proxy: RecordingProxy;
  let feldera: FelderaEmulator;
  let ionworks: IonworksEmulator;

  beforeAll(async () => {
    proxy = await startRecordingProxy(mageTarget().url);
    feldera = await startFelderaEmulator({ stepMs: 5 });
    ionworks = await startIonworksEmulator({ apiKey: IONWORKS_KEY, autoAdvanceMs: 5 });
  }, 60_000);

  afterAll(async () => {
    await proxy?.close();
    await feldera?.close();
    await ionworks?.close();
  });

  async function stackFor(program: (typeof PROGRAMS)[number], saltFile?: string): Promise<TestStack> {
    const stack = await createStack(program.dir, { PULUMI_PIPELINES_POLL_MS: "20", STATE_COMPAT_TOKEN: TOKEN });
    // The fixture's secrets are encrypted under its passphrase salt: the stack takes that salt before any config.
    if (saltFile) fs.copyFileSync(saltFile, stack.configFile);
    for (const [key, value] of Object.entries(program.config)) await stack.config(key, value);
    await configureMage(stack, proxy.url);
    await stack.config("pipelines:feldera.url", feldera.url, { path: true });
    await stack.config("pipelines:ionworks.url", ionworks.url, { path: true });
    await stack.config("pipelines:ionworks.project", ionworks.projectId, { path: true });
    await stack.config("pipelines:ionworks.apiKey", IONWORKS_KEY, { path: true, secret: true });
    return stack;
  }

  for (const program of PROGRAMS) {
    const exported = path.join(fixtures, `${program.name}.stack.json`);
    const salt = path.join(fixtures, `${program.name}.Pulumi.e2e.yaml`);

    if (WRITE) {
      it(`writes ${path.relative(root, exported)}`, async () => {
        const stack = await stackFor(program);
        try {
          const up = await stack.up();
          expect(up.code, up.stdout + up.stderr).toBe(0);
          const state = await stack.export();
          // Where in the program each resource was made: paths of the machine that wrote it, not state to test.
          for (const r of state.deployment.resources) {
            delete r.sourcePosition;
            delete r.stackTrace;
          }
          fs.writeFileSync(exported, `${JSON.stringify(state, null, 2)}\n`);
          const saltLine = fs.readFileSync(stack.configFile, "utf8").match(/^encryptionsalt: .*$/m)![0];
          fs.writeFileSync(salt, `${saltLine}\n`);
          expect((await stack.destroy()).code).toBe(0);
        } finally {
          await stack.remove();
        }
      }, 600_000);
      continue;
    }

    it(`a ${program.name} stack imported from its export previews no change, asking no server`, async () => {
      const stack = await stackFor(program, salt);
      try {
        await stack.must(["stack", "import", "--file", exported]);
        const resources = JSON.parse(fs.readFileSync(exported, "utf8")).deployment.resources;
        const kinds = resources.filter((r: { type: string }) => r.type.startsWith("pulumi-nodejs:dynamic/"));
        // Every kind is in the fixture, so every kind's state is held to this.
        expect(new Set(kinds.map((r: { type: string }) => r.type)).size).toBe(6);
        proxy.reset();
        const before = { feldera: feldera.requests.length, ionworks: ionworks.requests.length };
        const r = await stack.must(["preview", "--json", "--show-sames", "--expect-no-changes"]);
        const preview = JSON.parse(r.stdout);
        const changed = preview.steps.filter((s: { op: string }) => s.op !== "same");
        expect(changed, JSON.stringify(changed, null, 2)).toEqual([]);
        // Every resource of the fixture was diffed by its provider and found the same.
        const same = new Set(preview.steps.filter((s: { op: string }) => s.op === "same").map((s: any) => s.urn));
        expect(kinds.filter((k: { urn: string }) => !same.has(k.urn)).map((k: { urn: string }) => k.urn)).toEqual([]);
        expect(proxy.requests).toEqual([]);
        expect({ feldera: feldera.requests.length, ionworks: ionworks.requests.length }).toEqual(before);
      } finally {
        // The servers never held these objects in this run: removing the stack removes only its state.
        await stack.remove();
      }
    }, 300_000);
  }
});
