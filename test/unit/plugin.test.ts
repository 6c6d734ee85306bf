// The provider plugin's adapter (provider/plugin/) over the kinds: its answers
// are the kinds' own (the same failures, in the same words, as the dynamic
// providers' check), secrets cross the protocol both ways, and the Pulumi
// package schema it serves is what the field model generates.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { markSecret, secretKeys, unwrap } from "../../provider/declarations/secrets";
import { kindOfToken, PipelinesPlugin } from "../../provider/plugin/pipelinesPlugin";
import { configVariables, typeOfUrn } from "../../provider/plugin/wire";
import { kindProvider } from "../../provider/resources/kindProvider";
import { KINDS, RESOURCE_TYPES, tokenOf } from "../../provider/resources/kinds";
import { generatePulumiSchema, PULUMI_SCHEMA_FILE } from "../../scripts/pulumiSchema";

const SIG = "4dabf18193072939515e22adb298388d";
const secret = (value: unknown) => ({ [SIG]: "1b47061264138c4ac30d75fd1eb44270", value });

describe("the Pulumi package schema", () => {
  const schema = JSON.parse(fs.readFileSync(PULUMI_SCHEMA_FILE, "utf8"));

  it("schemas/pulumi.schema.json is what the field model generates (run npm run schemas)", () => {
    expect(fs.readFileSync(PULUMI_SCHEMA_FILE, "utf8")).toBe(generatePulumiSchema());
  }, 60_000);

  it("has one resource per kind, replacing on the kind's replaceKeys, with its secret outputs secret", () => {
    expect(Object.keys(schema.resources).sort()).toEqual(RESOURCE_TYPES.map(tokenOf).sort());
    for (const t of RESOURCE_TYPES) {
      const r = schema.resources[tokenOf(t)];
      const replacing = Object.entries<any>(r.inputProperties).filter(([, p]) => p.replaceOnChanges);
      expect(replacing.map(([k]) => k).sort()).toEqual([...KINDS[t].replaceKeys].sort());
      for (const k of KINDS[t].secretOutputs ?? []) expect(r.properties[k].secret).toBe(true);
      for (const k of Object.keys(r.inputProperties)) expect(r.properties[k]).toBeDefined();
    }
    expect(schema.resources["pipelines:mage:Schedule"].properties.token.secret).toBe(true);
    expect(schema.config.variables.secrets.secret).toBe(true);
  });

  it("offers no field that check() refuses", () => {
    expect(schema.resources["pipelines:mage:Pipeline"].inputProperties.executorCount).toBeUndefined();
  });
});

describe("the protocol's values", () => {
  it("unwraps secrets anywhere and says which top-level properties held one", () => {
    const props = { name: "a", variables: { token: secret("s3cr3t-value"), region: "eu" }, tags: [secret("x")] };
    expect(unwrap(props)).toEqual({ name: "a", variables: { token: "s3cr3t-value", region: "eu" }, tags: ["x"] });
    expect(secretKeys(props).sort()).toEqual(["tags", "variables"]);
    expect(markSecret({ a: 1, b: 2 }, ["b", "missing"])).toEqual({ a: 1, b: secret(2) });
  });

  it("reads kinds from URNs and stack config from Configure's variables", () => {
    expect(typeOfUrn("urn:pulumi:dev::proj::pipelines:mage:Block::load")).toBe("pipelines:mage:Block");
    expect(typeOfUrn("urn:pulumi:dev::proj::my:index:Group$pipelines:mage:Block::load")).toBe("pipelines:mage:Block");
    expect(kindOfToken("pipelines:feldera:Pipeline")).toBe("feldera:Pipeline");
    expect(() => kindOfToken("pipelines:mage:Trigger")).toThrow(/unknown resource type 'pipelines:mage:Trigger'/);
    expect(() => kindOfToken("pulumi-nodejs:dynamic/mage:Block")).toThrow(/unknown resource type/);
    expect([...configVariables([["pipelines:config:targets", "{}"]])]).toEqual([["pipelines:targets", "{}"]]);
  });
});

describe("the adapter's check", () => {
  const configured = async (config: Record<string, string> = {}) => {
    const plugin = new PipelinesPlugin();
    await plugin.configure(new Map(Object.entries(config)));
    return plugin;
  };

  it("refuses bad inputs with the kinds' own failures, in the same words", async () => {
    const plugin = await configured({ "pipelines:mage": JSON.stringify({ url: "http://127.0.0.1:9" }) });
    const news = { pipeline: "p", name: "daily", type: "time", interval: "every day", startTime: "yesterday" };
    const ours = await plugin.check("pipelines:mage:Schedule", {}, news);
    const theirs = await kindProvider(KINDS["mage:Schedule"]).check!({}, news);
    expect(ours.failures.length).toBeGreaterThan(0);
    expect(ours.failures).toEqual(theirs.failures);
    expect(ours.failures.map((f) => f.property)).toEqual(expect.arrayContaining(["interval", "startTime"]));
  });

  it("adds the digests of the secrets referenced, as a secret, and never the values", async () => {
    const plugin = await configured({ "pipelines:secrets": JSON.stringify({ ORDERS_TOKEN: "tok-1234567" }) });
    const news = { name: "orders", variables: { token: { secret: "ORDERS_TOKEN" } } };
    const { inputs, failures } = await plugin.check("pipelines:mage:Pipeline", {}, news);
    expect(failures).toEqual([]);
    expect(inputs.secretDigests).toEqual(secret({ ORDERS_TOKEN: expect.stringMatching(/^scrypt:/) }));
    expect(JSON.stringify(inputs)).not.toContain("tok-1234567");
    // A new value is a new digest: the engine sees the change though state holds no value.
    const rotated = await configured({ "pipelines:secrets": JSON.stringify({ ORDERS_TOKEN: "tok-7654321" }) });
    const again = await rotated.check("pipelines:mage:Pipeline", {}, news);
    expect(unwrap(again.inputs.secretDigests)).not.toEqual(unwrap(inputs.secretDigests));
  });

  it("refuses to import a kind whose reading gives no declaration, before any request, saying why", async () => {
    // Port 9 (discard) refuses connections: a request would fail differently.
    const plugin = await configured({ "pipelines:mage": JSON.stringify({ url: "http://127.0.0.1:9" }) });
    await expect(plugin.read("pipelines:mage:Secret", "warehouse_password", {})).rejects.toThrow(
      "pipelines:mage:Secret cannot be imported or looked up: Mage never returns a secret's value, so declare it with `adopt: true` instead",
    );
  });

  it("names an unresolvable secret at the field that uses it", async () => {
    const plugin = await configured();
    const news = { name: "orders", variables: { token: { secret: "NOT_SET_ANYWHERE_1" } } };
    const { failures } = await plugin.check("pipelines:mage:Pipeline", {}, news);
    expect(failures).toEqual([{ property: "variables.token", reason: expect.stringContaining("NOT_SET_ANYWHERE_1") }]);
  });

  it("reads a Feldera block's sqlFile and the UDF files, as the schema offers them to every language", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pp-plugin-files-"));
    const cwd = process.cwd();
    try {
      fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: files\nruntime: yaml\n");
      fs.mkdirSync(path.join(dir, "sql"));
      fs.writeFileSync(path.join(dir, "sql", "t.sql"), "CREATE TABLE t (x INT);\n");
      fs.writeFileSync(path.join(dir, "udf.rs"), "pub fn f() {}\n");
      fs.writeFileSync(path.join(dir, "udf.toml"), "[dependencies]\n");
      process.chdir(dir);
      const plugin = await configured();
      const news = {
        name: "files",
        blocks: [{ name: "t", sqlFile: "sql/t.sql" }],
        udfRustFile: "udf.rs",
        udfTomlFile: "udf.toml",
      };
      const { inputs, failures } = await plugin.check("pipelines:feldera:Pipeline", {}, news);
      expect(failures).toEqual([]);
      expect(inputs.blocks).toEqual([{ name: "t", sql: "CREATE TABLE t (x INT);\n", file: "sql/t.sql" }]);
      expect(inputs).toMatchObject({ udfRust: "pub fn f() {}\n", udfToml: "[dependencies]\n" });
      const schema = JSON.parse(generatePulumiSchema()).resources["pipelines:feldera:Pipeline"].inputProperties;
      expect(Object.keys(schema)).toEqual(expect.arrayContaining(["udfRustFile", "udfTomlFile"]));
    } finally {
      process.chdir(cwd);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reads a block's codeFile, and names it when it cannot be read", async () => {
    const plugin = await configured();
    const news = { pipeline: "p", name: "load", type: "data_loader", codeFile: "no/such/file.py" };
    const { failures } = await plugin.check("pipelines:mage:Block", {}, news);
    expect(failures).toEqual([
      { property: "codeFile", reason: expect.stringContaining("'no/such/file.py' cannot be read") },
    ]);
  });
});
