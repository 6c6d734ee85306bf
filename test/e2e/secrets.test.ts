// Credentials of all three engines come only from stack config secrets; none
// of them appears in CLI output, error text, `pulumi stack export`, or any
// file the state backend wrote (history and backups included).
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FelderaEmulator, startFelderaEmulator } from "../fakes/feldera/emulator";
import { type IonworksEmulator, startIonworksEmulator } from "../fakes/ionworks/emulator";
import { filesUnder } from "../helpers/files";
import { configureMage, mageTarget, testClient, uniqueName } from "../helpers/mage";
import { createStack, type TestStack } from "../helpers/pulumi";
import { configureFeldera, configureIonworks } from "../helpers/targets";

const program = path.join(__dirname, "programs", "secrets");
const FELDERA_KEY = "apikey:feldera-s3cret-0042";
const IONWORKS_KEY = "iw-s3cret-key-0043";
const WRONG_KEY = "apikey:wrong-s3cret-0044";
const VARIABLE_SECRET = "pulumi-secret-variable-0045";
const TS_TOKEN = "reference-token-0046";

describe("credentials never leak", () => {
  let feldera: FelderaEmulator;
  let ionworks: IonworksEmulator;
  let stack: TestStack;
  const transcript: string[] = [];
  const secrets = () => [mageTarget().password!, FELDERA_KEY, IONWORKS_KEY, WRONG_KEY, VARIABLE_SECRET, TS_TOKEN];
  const mageName = uniqueName("secrets");

  beforeAll(async () => {
    feldera = await startFelderaEmulator({ apiKey: FELDERA_KEY, stepMs: 5 });
    ionworks = await startIonworksEmulator({ apiKey: IONWORKS_KEY, autoAdvanceMs: 5 });
    stack = await createStack(program, { PULUMI_PIPELINES_POLL_MS: "20" });
    await stack.config("e2e:description", "v1");
    await stack.config("e2e:mageName", mageName);
    await stack.config("e2e:variableSecret", VARIABLE_SECRET, { secret: true });
    await stack.config("pipelines:secrets.TS_TOKEN", TS_TOKEN, { path: true, secret: true });
    await configureMage(stack);
    await configureFeldera(stack, feldera.url, FELDERA_KEY);
    await configureIonworks(stack, ionworks, IONWORKS_KEY);
  }, 120_000);

  afterAll(async () => {
    await stack?.remove();
    await feldera?.close();
    await ionworks?.close();
  });

  const record = (r: { stdout: string; stderr: string }) => transcript.push(r.stdout, r.stderr);

  it("up, preview, refresh and an update work with credentials from config secrets only", async () => {
    const up = await stack.up();
    record(up);
    expect(up.code, up.stdout + up.stderr).toBe(0);
    const uuid = (await stack.export()).deployment.resources.find((r: any) => r.urn.endsWith("::mage")).id;
    expect((await testClient().call<any>("GET", `/api/pipelines/${uuid}`)).pipeline.variables).toEqual({
      as_pulumi_secret: VARIABLE_SECRET,
      by_reference: TS_TOKEN,
    });
    record(await stack.run(["preview", "--diff"]));
    record(await stack.refresh());
    await stack.config("e2e:description", "v2");
    const update = await stack.up();
    record(update);
    expect(update.code).toBe(0);
    expect(
      (await testClient().call<any>("GET", `/api/pipelines/${(await stack.outputs("mage")).uuid}`)).pipeline
        .description,
    ).toBe("v2");
  }, 240_000);

  it("a rejected key fails the up without the key in the error", async () => {
    await stack.config("pipelines:feldera.apiKey", WRONG_KEY, { path: true, secret: true });
    await stack.config("e2e:description", "v3");
    const r = await stack.up();
    record(r);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/feldera GET \/v0\/config → 401 \[AuthenticationFailed\]/);
    await stack.config("pipelines:feldera.apiKey", FELDERA_KEY, { path: true, secret: true });
    record(await stack.up());
    record(await stack.destroy());
  }, 240_000);

  it("no credential appears in output, errors, stack export or any state file", async () => {
    const exported = JSON.stringify(await stack.export());
    const stateFiles = filesUnder(path.join(stack.stateDir, "backend")).map((f) =>
      fs.readFileSync(f).toString("latin1"),
    );
    expect(stateFiles.length).toBeGreaterThan(3); // the checkpoint, its backups and the history were written
    const haystacks = {
      transcript: transcript.join("\n"),
      exported,
      state: stateFiles.join("\n"),
      config: fs.readFileSync(stack.configFile, "utf8"),
    };
    for (const secret of secrets()) {
      for (const [where, text] of Object.entries(haystacks))
        expect(text.includes(secret), `${secret} found in ${where}`).toBe(false);
    }
  });
});
