// The review (pulumi-pipelines diff): golden files from real preview JSON
// captured from the e2e stacks, size-limit folding, --fail-on, and the
// git-ref mode on a temporary repository with a series of commits.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diffCommand } from "../../provider/cli/diff";
import { changesFromPreview } from "../../provider/review/fromPreview";
import { isEventStream, readEventStream } from "../../provider/review/previewEvents";
import { COMMENT_LIMIT, renderMarkdown } from "../../provider/review/render";
import { gitIn } from "../helpers/git";

const fixtures = path.join(__dirname, "..", "fixtures", "preview");
const previews = fs
  .readdirSync(fixtures)
  .filter((f) => f.endsWith(".json"))
  .sort();

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await diffCommand(args, { write: (s: string) => (out += s) }, undefined, {
    write: (s: string) => (err += s),
  });
  return { code, out, err };
}

describe("review of real previews (golden files)", () => {
  it("covers create, update, replace and delete on all three engines", () => {
    for (const engine of ["mage", "feldera", "ionworks"])
      for (const op of ["create", "replace"]) expect(previews).toContain(`${engine}-${op}.json`);
    expect(previews).toEqual(
      expect.arrayContaining([
        "mage-delete.json",
        "mage-update-code-and-schedule.json",
        "feldera-update-sql.json",
        "ionworks-rename.json",
      ]),
    );
  });

  it.each(previews)("%s", async (file) => {
    const { code, out } = await run(["--preview", path.join(fixtures, file)]);
    expect(code).toBe(0);
    expect(out).toBe(fs.readFileSync(path.join(fixtures, file.replace(/\.json$/, ".md")), "utf8"));
  });

  it("keeps secrets masked", async () => {
    const { out } = await run(["--preview", path.join(fixtures, "mage-create.json")]);
    expect(out).toContain('"api_token":"[secret]"');
    expect(out).not.toContain("mage-e2e-token-3141");
  });

  it("reads the preview from standard input with -", async () => {
    let out = "";
    const code = await diffCommand(["--preview", "-", "--format", "json"], { write: (s: string) => (out += s) }, () =>
      fs.readFileSync(path.join(fixtures, "ionworks-replace.json"), "utf8"),
    );
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(json.summary).toEqual({ create: 0, update: 0, replace: 2, delete: 0 });
    expect(json.warnings).toContain("ionworks Pipeline fit submits a new Ionworks run: its compute runs again");
  });
});

describe("adoptions in a review", () => {
  const adopting = (file: string) => {
    const preview = JSON.parse(fs.readFileSync(path.join(fixtures, file), "utf8"));
    for (const step of preview.steps) if (step.newState?.inputs) step.newState.inputs.adopt = true;
    return changesFromPreview(preview);
  };

  it("says a create with adopt: true takes over what is live, and promises no Ionworks compute for it", () => {
    const ionworks = adopting("ionworks-create.json");
    expect(ionworks.length).toBeGreaterThan(0);
    for (const c of ionworks)
      expect(c.notes).toEqual([
        "adopts the newest Ionworks run of this name as it is (no compute); submits a new run only if there is none",
      ]);
    const mage = adopting("mage-create.json");
    for (const c of mage)
      expect(c.notes).toEqual([
        "adopts the live object of this name if there is one, writing only what differs from the declaration",
      ]);
    // Without the marker a create is what it was.
    expect(
      changesFromPreview(JSON.parse(fs.readFileSync(path.join(fixtures, "ionworks-create.json"), "utf8")))[0].notes,
    ).toEqual(["submits a new Ionworks run: its compute runs"]);
  });
});

describe("--fail-on", () => {
  it.each([
    ["mage-delete.json", "delete", 2],
    ["mage-delete.json", "replace", 0],
    ["ionworks-replace.json", "replace", 2],
    ["ionworks-replace.json", "delete", 2], // a replace deletes the old object
    ["mage-update-code-and-schedule.json", "delete", 0],
  ])("%s --fail-on %s → %i", async (file, gate, exit) => {
    expect((await run(["--preview", path.join(fixtures, file), "--fail-on", gate, "--format", "text"])).code).toBe(
      exit,
    );
  });

  it("refuses unknown gates and formats as usage errors (exit 64)", async () => {
    expect((await run(["--preview", "x.json", "--fail-on", "update"])).code).toBe(64);
    expect((await run(["--preview", "x.json", "--format", "html"])).code).toBe(64);
  });
});

describe("size limit", () => {
  it("folds the largest diffs out to stay under GitHub's comment limit, and says so", () => {
    const preview = JSON.parse(fs.readFileSync(path.join(fixtures, "mage-update-code-and-schedule.json"), "utf8"));
    const block = preview.steps.find((s: any) => s.op === "update" && s.urn.endsWith("::transformer"));
    const big = (tag: string) =>
      Array.from({ length: 3000 }, (_, i) => `x_${i} = "${tag} ${"y".repeat(20)}"`).join("\n");
    block.oldState.inputs.code = big("old");
    block.newState.inputs.code = big("new");
    const full = renderMarkdown(changesFromPreview(preview), { limit: 10_000_000 });
    expect(full.length).toBeGreaterThan(COMMENT_LIMIT);
    const md = renderMarkdown(changesFromPreview(preview));
    expect(md.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(md).toContain("`code`: _diff of");
    expect(md).toContain("1 diff folded out to stay under GitHub's 65,536-character comment limit");
    expect(md).toContain('`interval`: `"@daily"` → `"@hourly"`'); // what fits stays
  });
});

describe("diff --base <git-ref> (declarations only)", () => {
  let repo: string;
  const cwd = process.cwd();
  const git = gitIn(() => repo);
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
    fs.writeFileSync(path.join(repo, file), text);
  };
  const yaml = (o: {
    interval: string;
    exporter: boolean;
    code: string;
    upper: number;
    feldera: string;
    name?: string;
  }) => `pipelines:
  - engine: mage
    target: dev
    name: ${o.name ?? "orders"}
    blocks:
      - name: load
        type: data_loader
        codeFile: ../code/load.py
${o.exporter ? "      - name: export\n        type: data_exporter\n        code: print(1)\n        upstream: [load]\n" : ""}    schedules:
      - name: daily
        type: time
        interval: "${o.interval}"
  - engine: feldera
    target: dev
    name: fraud
    blocks:
      - name: tables
        sql: "${o.feldera}"
  - engine: ionworks
    target: dev
    name: fit
    blocks:
      - name: fit
        type: data_fit
        config: { objectives: { o: { data: "db:m" } }, parameters: { p: { initial_value: 1, bounds: [0, ${o.upper}] } } }
  - engine: ionworks
    target: dev
    name: next
    blocks:
      - name: from_fit
        type: entry
        fromPipeline: fit
        config: {}
`;

  beforeAll(() => {
    repo = fs.mkdtempSync(path.join(os.tmpdir(), "review-repo-"));
    git("init", "-q", "-b", "main");
    write("code/load.py", "def load():\n    return 1\n");
    write(
      "pipelines/all.yaml",
      yaml({ interval: "@daily", exporter: true, code: "", upper: 2, feldera: "CREATE TABLE t (x INT);" }),
    );
    git("add", "-A");
    git("commit", "-qm", "first");
    write("code/load.py", "def load():\n    return 2\n");
    write(
      "pipelines/all.yaml",
      yaml({ interval: "@hourly", exporter: false, code: "", upper: 2, feldera: "CREATE TABLE t (x INT);" }),
    );
    git("commit", "-qam", "code, interval, drop exporter");
    write(
      "pipelines/all.yaml",
      yaml({ interval: "@hourly", exporter: false, code: "", upper: 3, feldera: "CREATE TABLE t (x BIGINT);" }),
    );
    git("commit", "-qam", "fit bound and SQL");
    process.chdir(repo);
  });
  afterAll(() => {
    process.chdir(cwd);
    fs.rmSync(repo, { recursive: true, force: true });
  });

  const actions = (json: any) => Object.fromEntries(json.changes.map((c: any) => [c.resource, c.action]));

  it("HEAD~1 → HEAD: code and interval in place, exporter deleted", async () => {
    fs.writeFileSync(
      path.join(repo, "pipelines/all.yaml"),
      yaml({ interval: "@hourly", exporter: false, code: "", upper: 2, feldera: "CREATE TABLE t (x INT);" }),
    );
    const { code, out } = await run(["--base", "HEAD~2", "pipelines", "--format", "json"]);
    expect(code).toBe(0);
    expect(actions(JSON.parse(out))).toEqual({
      "dev/orders/load": "update",
      "dev/orders/daily": "update",
      "dev/orders/export": "delete",
    });
    const md = (await run(["--base", "HEAD~2", "pipelines"])).out;
    expect(md).toContain("-    return 1\n+    return 2");
    git("checkout", "-q", "--", ".");
  });

  it("a fit bound replaces the run and the run that takes its results; SQL updates in place", async () => {
    const { code, out } = await run(["--base", "HEAD~1", "--format", "json", "--fail-on", "replace"]);
    expect(code).toBe(2);
    const json = JSON.parse(out);
    expect(actions(json)).toEqual({ "dev/fraud": "update", "dev/fit": "replace", "dev/next": "replace" });
    expect(json.warnings).toContain(
      "Replaces ionworks Pipeline dev/fit (deleted and created again: blocks['fit'].config changed)",
    );
    expect(json.warnings).toContain("feldera Pipeline dev/fraud recompiles the Feldera program");
  });

  it("with --stack, the guardrails run on the declarations: violations first, configured by the committed stack file", async () => {
    // HEAD~1 → HEAD changes the Feldera SQL: the update stops the running pipeline.
    const args = ["--base", "HEAD~1", "--stack", "dev"];
    const json = JSON.parse((await run([...args, "--format", "json"])).out);
    expect(json.violations[0]).toEqual({
      rule: "feldera-stop",
      enforcement: "mandatory",
      resource: "dev/fraud",
      message: expect.stringMatching(/^the update stops the running pipeline: update stops the pipeline \(force\)/),
    });
    expect(json.violations.filter((v: any) => v.enforcement === "mandatory")).toHaveLength(1);
    expect(json.violations).toContainEqual({
      rule: "mage-retries",
      enforcement: "advisory",
      resource: "dev/orders",
      message: "retryConfig.retries is not set; at least 1 required",
    });
    const md = (await run(args)).out;
    expect(md.split("\n").slice(2, 5)).toEqual([
      "> [!CAUTION]",
      "> **Guardrails: 1 mandatory violation.** The deploy fails until each is fixed or allowed.",
      expect.stringMatching(/^> - `dev\/fraud` · \*\*feldera-stop\*\*: the update stops/),
    ]);
    expect(md.indexOf("[!NOTE]")).toBeLessThan(md.indexOf("| engine | kind |"));
    expect((await run([...args, "--fail-on", "violation"])).code).toBe(2);
    expect((await run(["--base", "HEAD~1", "--fail-on", "violation"])).code).toBe(64);

    // Allowed by a pull request's label, or by the stack's committed pipelines:policy.
    process.env.PIPELINES_POLICY_ALLOW = "allow:feldera-stop";
    try {
      expect((await run([...args, "--fail-on", "violation"])).code).toBe(0);
    } finally {
      delete process.env.PIPELINES_POLICY_ALLOW;
    }
    write(
      "Pulumi.yaml",
      'name: review\nruntime: yaml\nconfig:\n  pipelines:policy:\n    value: \'{"mage-retries": "disabled"}\'\n',
    );
    write("Pulumi.dev.yaml", `config:\n  pipelines:policy: '{"feldera-stop": {"allow": true}}'\n`);
    try {
      const allowed = await run([...args, "--fail-on", "violation", "--format", "json"]);
      expect(allowed.code).toBe(0);
      // The stack's file wins over the project's default, which would have disabled mage-retries.
      expect(JSON.parse(allowed.out).violations.map((v: any) => v.rule)).toContain("mage-retries");
      fs.rmSync(path.join(repo, "Pulumi.dev.yaml"));
      const projectDefault = JSON.parse((await run([...args, "--format", "json"])).out);
      expect(projectDefault.violations.map((v: any) => v.rule)).not.toContain("mage-retries");
      write("Pulumi.dev.yaml", `config:\n  pipelines:policy: '{"feldera-stops": "advisory"}'\n`);
      const bad = await run(args);
      expect(bad.code).toBe(1);
      expect(bad.err).toContain("pipelines:policy of stack 'dev' (Pulumi.dev.yaml): no rule 'feldera-stops'");
    } finally {
      for (const f of ["Pulumi.yaml", "Pulumi.dev.yaml"]) fs.rmSync(path.join(repo, f), { force: true });
    }
  });

  it("a rename replaces the pipeline and everything in it", async () => {
    fs.writeFileSync(
      path.join(repo, "pipelines/all.yaml"),
      yaml({
        interval: "@hourly",
        exporter: false,
        code: "",
        upper: 3,
        feldera: "CREATE TABLE t (x BIGINT);",
        name: "orders v2",
      }),
    );
    const json = JSON.parse((await run(["--base", "HEAD", "--format", "json"])).out);
    expect(actions(json)).toEqual({
      "dev/orders v2": "create",
      "dev/orders v2/load": "create",
      "dev/orders v2/daily": "create",
      "dev/orders": "delete",
      "dev/orders/load": "delete",
      "dev/orders/daily": "delete",
    });
    git("checkout", "-q", "--", ".");
  });

  it("lists only what the provider's diff finds changed: not reordered keys nor a trailing newline in SQL", async () => {
    const head = fs.readFileSync(path.join(repo, "pipelines/all.yaml"), "utf8");
    const fraud = "    name: fraud\n";
    write("pipelines/all.yaml", head.replace(fraud, `${fraud}    runtimeConfig: { workers: 4, cpu_profiler: true }\n`));
    git("commit", "-qam", "runtime config");
    write(
      "pipelines/all.yaml",
      head
        .replace(
          fraud,
          `${fraud}    description: fraud checks\n    runtimeConfig: { cpu_profiler: true, workers: 4 }\n`,
        )
        .replace('sql: "CREATE TABLE t (x BIGINT);"', 'sql: "CREATE TABLE t (x BIGINT);\\n"'),
    );
    const { code, out } = await run(["--base", "HEAD", "--format", "json"]);
    expect(code).toBe(0);
    const changes = JSON.parse(out).changes;
    expect(changes.map((c: any) => [c.resource, c.action, c.fields.map((f: any) => f.field)])).toEqual([
      ["dev/fraud", "update", ["description"]],
    ]);
    git("reset", "-q", "--hard", "HEAD~1");
  });

  it("a code file that cannot be read is an error naming it, not a review of a placeholder", async () => {
    fs.rmSync(path.join(repo, "code/load.py"));
    const r = await run(["--base", "HEAD"]);
    expect([r.code, r.out]).toEqual([1, ""]);
    // The loader finds it first; resolving the review's inputs would throw the same way (readDeclaredFile).
    expect(r.err).toMatch(
      /pipelines\/all\.yaml:\d+:\d+: pipelines\[0\]\.blocks\[0\]\.codeFile: file '\.\.\/code\/load\.py' not found/,
    );
    git("checkout", "-q", "--", ".");
  });

  it("no change is no change", async () => {
    const { code, out } = await run(["--base", "HEAD", "--fail-on", "delete"]);
    expect(code).toBe(0);
    expect(out).toBe("## Pipeline review: no changes\n\nNothing on the pipeline servers changes.\n");
  });

  it("an unknown revision or invalid declarations are errors (exit 1), on stderr with nothing on stdout", async () => {
    const unknown = await run(["--base", "no-such-ref"]);
    expect([unknown.code, unknown.out]).toEqual([1, ""]);
    expect(unknown.err).toMatch(/^cannot read revision 'no-such-ref': /);
    fs.writeFileSync(path.join(repo, "pipelines/all.yaml"), "pipelines: [{engine: mage}]\n");
    const r = await run(["--base", "HEAD"]);
    expect([r.code, r.out]).toEqual([1, ""]);
    expect(r.err).toContain(
      "the declarations at this revision are invalid:\npipelines/all.yaml:1:13: pipelines[0]: missing required key 'name'\npipelines/all.yaml:1:13: pipelines[0]: missing required key 'target'",
    );
    git("checkout", "-q", "--", ".");
  });
});

describe("diff --preview of an event stream (PULUMI_ENABLE_STREAMING_JSON_PREVIEW, with --policy-pack)", () => {
  // Captured from the real preview in test/e2e/policy.test.ts (PULUMI_PIPELINES_CAPTURE_PREVIEWS): Pulumi 3.248 and
  // the package's pack on a declaration that breaks every Mage rule.
  const stream = path.join(__dirname, "..", "fixtures", "preview", "policy-stream.jsonl");

  it("reads the steps from the resource events and the pack's violations, mandatory first, by resource", () => {
    const text = fs.readFileSync(stream, "utf8");
    expect(isEventStream(text)).toBe(true);
    expect(isEventStream('{\n  "steps": []\n}')).toBe(false);
    const { preview, violations } = readEventStream(text);
    expect(
      changesFromPreview(preview)
        .map((c) => `${c.action} ${c.resource}`)
        .sort(),
    ).toEqual([
      "create mage/Every Rule",
      "create mage/Every Rule/forever",
      "create mage/Every Rule/load",
      "create mage/Every Rule/often",
    ]);
    expect(violations.map((v) => `${v.enforcement} ${v.rule} ${v.resource}`)).toEqual([
      "mandatory secret-references mage/Every Rule",
      "mandatory always-on-stacks mage/Every Rule/forever",
      "mandatory schedule-interval mage/Every Rule/often",
      "advisory mage-retries mage/Every Rule",
      "advisory owner-tag mage/Every Rule",
      "advisory pipeline-names mage/Every Rule",
    ]);
    // The policy's description is left out; its message loses the resource name the review already shows.
    expect(violations[0].message).toBe("variables.api_token is a literal value; write it as { secret: NAME }");
  });

  it("puts them first in the review; --fail-on violation exits 2, and needs the stream", async () => {
    const md = await run(["--preview", stream, "--no-graph"]);
    expect(md.out.split("\n").slice(2, 4)).toEqual([
      "> [!CAUTION]",
      "> **Guardrails: 3 mandatory violations.** The deploy fails until each is fixed or allowed.",
    ]);
    expect((await run(["--preview", stream, "--fail-on", "violation"])).code).toBe(2);
    const digest = path.join(__dirname, "..", "fixtures", "preview", "feldera-update-sql.json");
    const noFindings = await run(["--preview", digest, "--fail-on", "violation"]);
    expect(noFindings.code).toBe(1);
    expect(noFindings.err).toContain("has no policy findings; stream it (PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true)");
  });
});
