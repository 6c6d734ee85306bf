import { describe, expect, it } from "vitest";
import {
  DECLARATION_SECRET_PLACES,
  maskSecrets,
  restoreSecrets,
  scrubSecrets,
  secretDigest,
  secretNames,
  secretProblems,
  secretValue,
  substituteSecrets,
} from "../../provider/declarations/secrets";
import { referenceSecrets } from "../../provider/export/secrets";

const values = new Map([
  ["KAFKA_PASSWORD", "kafka-pw-0001"],
  ["API_TOKEN", "tok-0002-abcdef"],
]);
const declared = {
  variables: { user: "etl", password: { secret: "KAFKA_PASSWORD" } },
  sql: "CREATE TABLE t (x INT) WITH ('connectors' = '[{\"password\": \"${secret:KAFKA_PASSWORD}\"}]');",
  native: "${secret:kubernetes:kafka/password}",
};

describe("secret references", () => {
  it("finds references as whole values and as placeholders in text, not Feldera's own", () => {
    expect(secretNames(declared)).toEqual(["KAFKA_PASSWORD"]);
    expect(secretNames({ a: [{ secret: "API_TOKEN" }], b: "x ${secret:API_TOKEN} ${secret:OTHER}" })).toEqual([
      "API_TOKEN",
      "OTHER",
    ]);
  });

  it("substitutes values only for the request, and maps what the server holds back to the references", () => {
    const live = substituteSecrets(declared, (n) => values.get(n)!) as typeof declared;
    expect(live.variables.password).toBe("kafka-pw-0001");
    expect(live.sql).toContain('"password": "kafka-pw-0001"');
    expect(live.native).toBe("${secret:kubernetes:kafka/password}");
    expect(restoreSecrets(live, declared, values)).toEqual(declared);
  });

  it("a server holding another value comes back as a drifted reference, without the value", () => {
    const live = { variables: { user: "etl", password: "changed-in-the-ui" }, sql: declared.sql, native: "" };
    const restored = restoreSecrets(live, declared, values) as any;
    expect(restored.variables.password).toEqual({ secret: "KAFKA_PASSWORD", drift: true });
    expect(JSON.stringify(restored)).not.toContain("changed-in-the-ui");
  });

  it("scrubs secret values from anything, longest first", () => {
    const both = new Map([...values, ["LONGER", "tok-0002-abcdef-and-more"]]);
    expect(scrubSecrets({ msg: ["error near 'tok-0002-abcdef-and-more' and kafka-pw-0001"] }, both)).toEqual({
      msg: ["error near '${secret:LONGER}' and ${secret:KAFKA_PASSWORD}"],
    });
  });

  it("masks references as strings for schema checks", () => {
    expect(maskSecrets({ v: { secret: "X_1" }, n: 1 })).toEqual({ v: "secret-reference", n: 1 });
  });

  it("refuses references where the engine would not get the value, and malformed names", () => {
    const places = DECLARATION_SECRET_PLACES.mage;
    expect(
      secretProblems(
        {
          name: { secret: "X" },
          description: "uses ${secret:X}",
          variables: { ok: { secret: "X" }, bad: { secret: "1x" } },
          blocks: [{ configuration: { deep: { er: { secret: "X" } } } }],
        },
        places,
      ).map((p) => `${p.path.join(".")}: ${p.message}`),
    ).toEqual([
      "name: a secret reference is not allowed here: secrets go into variables, blocks.configuration, schedules.variables",
      "description: ${secret:X} is not allowed in this text: secrets go into variables, blocks.configuration, schedules.variables",
      "variables.bad.secret: a secret name is letters, digits and '_', not starting with a digit; got \"1x\"",
    ]);
  });
});

describe("secret resolution", () => {
  const config = (secrets: object) => ({
    get: (k: string) => (k === "pipelines:secrets" ? JSON.stringify(secrets) : undefined),
  });

  it("takes stack config first, then the environment, and says how to set a missing one", () => {
    expect(secretValue("A_KEY", { config: config({ A_KEY: "from-config" }), env: { A_KEY: "from-env" } })).toBe(
      "from-config",
    );
    expect(secretValue("A_KEY", { config: config({}), env: { A_KEY: "from-env" } })).toBe("from-env");
    expect(() => secretValue("A_KEY", { config: config({}), env: {} })).toThrow(
      "secret 'A_KEY' is not set: pulumi config set --secret --path 'pipelines:secrets.A_KEY' …, or set the A_KEY environment variable",
    );
    expect(() => secretValue("A_KEY", { env: { A_KEY: "abc" } })).toThrow(
      "secret 'A_KEY' is shorter than 4 characters",
    );
  });

  it("digests are salted by the name and change with the value", () => {
    expect(secretDigest("A", "value-1")).toBe(secretDigest("A", "value-1"));
    expect(secretDigest("A", "value-1")).not.toBe(secretDigest("B", "value-1"));
    expect(secretDigest("A", "value-1")).not.toBe(secretDigest("A", "value-2"));
    expect(secretDigest("A", "value-1")).not.toContain("value-1");
  });
});

describe("export and secrets", () => {
  const secrets = new Map([
    ["KAFKA_PASSWORD", "kafka-pw-0001"],
    ["API_TOKEN", "tok-0002-abcdef"],
  ]);

  it("writes the stack's secret values as references where they go, placeholders in SQL files", () => {
    const decl = {
      engine: "feldera" as const,
      target: "feldera",
      name: "orders",
      runtimeConfig: { env: { KAFKA_PASSWORD: "kafka-pw-0001", LOG: "info" } },
      blocks: [{ name: "t", sqlFile: "../sql/orders/t.sql" }],
    };
    const files = [{ path: "sql/orders/t.sql", content: '{"sasl.password": "kafka-pw-0001"}' }];
    const out = referenceSecrets(decl, files, secrets, "pipelines/orders.yaml");
    expect(out.declaration).toMatchObject({ runtimeConfig: { env: { KAFKA_PASSWORD: { secret: "KAFKA_PASSWORD" } } } });
    expect(out.files[0].content).toBe('{"sasl.password": "${secret:KAFKA_PASSWORD}"}');
    expect(out.warnings).toEqual([]);
  });

  it("names credential-like values it cannot map, and values in places that take no reference, never the values", () => {
    const decl = {
      engine: "mage" as const,
      target: "mage",
      name: "etl",
      description: "calls with tok-0002-abcdef",
      variables: { db_password: "not-a-stack-secret", region: "eu" },
      blocks: [{ name: "load", type: "data_loader" as const, codeFile: "../blocks/etl/load.py" }],
    };
    const files = [{ path: "blocks/etl/load.py", content: 'TOKEN = "tok-0002-abcdef"\nconf = {"password": "pw-9"}' }];
    const out = referenceSecrets(decl, files, secrets, "pipelines/etl.yaml");
    expect(out.warnings).toEqual([
      "pipelines/etl.yaml: description holds the value of secret API_TOKEN; written as ${secret:API_TOKEN}, which this field does not resolve: move it where secrets go",
      "pipelines/etl.yaml: variables.db_password looks like a credential that is no secret of the stack; declare it as { secret: NAME } and set pipelines:secrets.NAME",
      "blocks/etl/load.py held the value of a stack secret, written as its ${secret:NAME}, which this file does not resolve (Mage code reads secrets with get_secret_value)",
      'blocks/etl/load.py: "password" looks like a credential that is no secret of the stack; write ${secret:NAME}',
    ]);
    expect(JSON.stringify(out)).not.toContain("tok-0002-abcdef");
  });
});
