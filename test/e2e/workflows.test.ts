// The path a team walks, run the way it happens for them: the package packed
// and installed, `init --stack prod`, the steps it prints run as printed (with
// the team's values and the tarball in place of the unpublished package),
// the repository pushed, and then the generated workflows run as GitHub would
// (test/helpers/actions/) for the events that follow: the first push to main,
// a pull request that changes only a block's code (or a Feldera view's SQL),
// a second push to it, the merge, and (for Mage) the nightly drift run after
// an edit in Mage's UI and again after `pulumi up` put it back. State lives on
// a real PostgreSQL backend, as a team's would. Every check reads the engine's
// own API or what GitHub would show: comments, issues, job results.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type PostgresSandbox, startPostgres } from "../../provider/cli/postgres";
import { type FelderaEmulator, startFelderaEmulator } from "../fakes/feldera/emulator";
import { GitHubRepository } from "../helpers/actions/repository";
import { type EventResult, type RunnerSetup, runEvent } from "../helpers/actions/runner";
import { mageTarget, testClient } from "../helpers/mage";
import { sh } from "../helpers/spawn";

const REPO = path.resolve(__dirname, "..", "..");
const PASSPHRASE = "team passphrase 5521";
const FELDERA_KEY = "apikey:workflow-feldera-8812";
let feldera: FelderaEmulator;

/** A push to main: the deploy job alone runs, and succeeds. */
const DEPLOYED = {
  "pipelines.yml/review": "skipped",
  "pipelines.yml/preview": "skipped",
  "pipelines.yml/deploy": "success",
};

/** Job results as `workflow/job: result`, for one readable assertion per event. */
const summary = (r: EventResult) => Object.fromEntries(r.jobs.map((j) => [`${j.workflow}/${j.job}`, j.result]));
const logs = (r: EventResult) => r.jobs.map((j) => `--- ${j.workflow}/${j.job}: ${j.result}\n${j.log}`).join("\n");

interface Engine {
  engine: "mage" | "feldera";
  /** The one code file the pull request edits, how (`round` tells a second edit apart), and a line the edit adds. */
  codeFile: string;
  edit(code: string, round: number): string;
  added(round: number): string;
  /** Values for the placeholders of init's printed config lines. */
  config(): Record<string, string>;
  /** The code of that file as the engine holds it now. */
  liveCode(): Promise<string>;
}

describe.each<Engine>([
  {
    engine: "mage",
    codeFile: "blocks/clean_orders.py",
    edit: (code, round) => `${code}    df = df.drop_duplicates()  # tuned in review ${round}\n`,
    added: (round) => `+    df = df.drop_duplicates()  # tuned in review ${round}`,
    config: () => {
      const t = mageTarget();
      return { "http://127.0.0.1:6789": t.url, "you@example.com": t.email!, "'…'": `'${t.password}'` };
    },
    liveCode: async () =>
      (
        await testClient().call<any>("GET", "/api/pipelines/orders_etl", {
          query: { includes_content: "true", includes_outputs: "false" },
        })
      ).pipeline.blocks.find((b: any) => b.uuid === "clean_orders").content,
  },
  {
    engine: "feldera",
    codeFile: "sql/views.sql",
    // A view's logic, so its node in the graph is marked edited.
    edit: (code, round) =>
      code.replace(/d\.total > c\.daily_limit( \* \d+)?;/, `d.total > c.daily_limit * ${round + 1};`),
    added: (round) => `+    WHERE t.country <> c.home_country AND d.total > c.daily_limit * ${round + 1};`,
    config: () => ({ "http://127.0.0.1:8080": feldera.url, "'…'": `'${FELDERA_KEY}'` }),
    liveCode: async () => feldera.pipelines.get("fraud-detection")!.program_code,
  },
])("a team's GitOps repository of $engine pipelines", (spec) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `pp-team-${spec.engine}-`));
  const dir = path.join(root, "pipelines-repo");
  let repo: GitHubRepository;
  let postgres: PostgresSandbox;
  let setup: RunnerSetup;
  let initOutput: string;
  const pulumiBin = inject("pulumiBin");
  // What a developer's shell has after the printed steps.
  const devEnv = () => ({
    ...process.env,
    PATH: `${pulumiBin}${path.delimiter}${process.env.PATH}`,
    PULUMI_HOME: path.join(root, "pulumi-home"),
    PULUMI_BACKEND_URL: postgres.url,
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    GIT_AUTHOR_NAME: "dev",
    GIT_AUTHOR_EMAIL: "dev@example.com",
    GIT_COMMITTER_NAME: "dev",
    GIT_COMMITTER_EMAIL: "dev@example.com",
  });
  const file = (f: string) => path.join(dir, f);

  beforeAll(async () => {
    postgres = await startPostgres();
    if (spec.engine === "feldera") feldera = await startFelderaEmulator({ apiKey: FELDERA_KEY, stepMs: 20 });
    // The package as a team gets it: packed, installed, its own `init`.
    const tools = path.join(root, "tools");
    fs.mkdirSync(tools);
    const tarball = path.join(
      root,
      JSON.parse(
        execFileSync("npm", ["pack", "--json", "--pack-destination", root], { cwd: REPO, encoding: "utf8" }),
      )[0].filename,
    );
    execFileSync("npm", ["init", "-y"], { cwd: tools, stdio: "ignore" });
    execFileSync("npm", ["install", tarball, "--no-audit", "--no-fund", "--prefer-offline"], { cwd: tools });
    initOutput = execFileSync(
      path.join(tools, "node_modules", ".bin", "pulumi-pipelines"),
      ["init", "pipelines-repo", "--engine", spec.engine, "--stack", "prod"],
      { cwd: root, encoding: "utf8" },
    );
    // Not published from here: the team installs the tarball, committed in the repository.
    fs.mkdirSync(file("vendor"));
    fs.copyFileSync(tarball, file(`vendor/${path.basename(tarball)}`));
    const substitutions: [string, string][] = [
      ["npm install   #", `npm install ./vendor/${path.basename(tarball)} --no-audit --no-fund --prefer-offline   #`],
      ["'postgres://…'", `'${postgres.url}'`],
      ["PULUMI_CONFIG_PASSPHRASE='…'", `PULUMI_CONFIG_PASSPHRASE='${PASSPHRASE}'`],
      ...Object.entries(spec.config()),
    ];
    const steps = printedSteps(initOutput).map((line) =>
      substitutions.reduce((l, [from, to]) => (l.includes(from) ? l.replace(from, to) : l), line),
    );
    const r = await sh("bash", ["-ec", steps.join("\n")], root, devEnv());
    if (r.code !== 0) throw new Error(`the printed steps failed:\n${steps.join("\n")}\n${r.output}`);

    repo = new GitHubRepository(root, dir);
    repo.git("remote", "add", "origin", repo.origin);
    setup = {
      origin: repo.origin,
      repository: "acme/pipelines",
      vars: { PULUMI_BACKEND_URL: postgres.url },
      secrets: { PULUMI_CONFIG_PASSPHRASE: PASSPHRASE, GITHUB_TOKEN: "ghs_stand-in" },
      pulumiBin,
      githubState: repo.state,
      // The runner machine's package cache and the CLI's offline switches; no credentials.
      machineEnv: {
        npm_config_cache: path.join(os.homedir(), ".npm"),
        npm_config_prefer_offline: "true",
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      },
    };
  }, 600_000);

  afterAll(async () => {
    if (postgres) {
      // Whatever the tests left on the server goes with the stack.
      await sh("pulumi", ["destroy", "--yes", "--skip-preview", "--non-interactive", "--stack", "prod"], dir, devEnv());
      await postgres.stop();
    }
    await feldera?.close();
    fs.rmSync(root, { recursive: true, force: true });
  }, 300_000);

  it("init's printed steps give a committed repository with its lockfile and stack file", () => {
    expect(initOutput).toContain("pulumi stack init prod");
    const tracked = repo.git("ls-files").split("\n");
    expect(tracked).toEqual(
      expect.arrayContaining(["package-lock.json", "Pulumi.prod.yaml", ".github/workflows/pipelines.yml"]),
    );
    expect(tracked.filter((f) => f.startsWith("node_modules/"))).toEqual([]);
    // The stack's config holds the password or API key encrypted, never in plain text.
    const secret = spec.engine === "mage" ? mageTarget().password! : FELDERA_KEY;
    expect(fs.readFileSync(file("Pulumi.prod.yaml"), "utf8")).not.toContain(secret);
  });

  it("the first push to main deploys the declarations", async () => {
    const r = await runEvent(setup, repo.push());
    expect(summary(r), logs(r)).toEqual(DEPLOYED);
    expect(r.notFired).toEqual({ "drift.yml": "not on push" });
    expect(await spec.liveCode()).toContain(fs.readFileSync(file(spec.codeFile), "utf8"));
  }, 600_000);

  let pr: number;

  it("a pull request that changes only a code file is reviewed, with its diff and graph, and deploys nothing", async () => {
    const before = await spec.liveCode();
    repo.git("checkout", "-q", "-b", "tune");
    fs.writeFileSync(file(spec.codeFile), spec.edit(fs.readFileSync(file(spec.codeFile), "utf8"), 1));
    repo.git("commit", "-qam", `Tune ${spec.codeFile}`);
    const event = repo.pullRequest("tune");
    pr = event.number;
    expect(event.trigger.changedFiles).toEqual([spec.codeFile]);

    const r = await runEvent(setup, event);
    expect(summary(r), logs(r)).toEqual({
      "pipelines.yml/review": "success",
      "pipelines.yml/preview": "success",
      "pipelines.yml/deploy": "skipped",
    });
    const comments = repo.github().comments.filter((c) => c.issue_number === pr);
    expect(comments.map((c) => c.body.split("\n")[0])).toEqual([
      "<!-- pulumi-pipelines-review -->",
      "<!-- pulumi-pipelines-preview -->",
    ]);
    const [review, preview] = comments.map((c) => c.body);
    expect(review).toContain(spec.added(1));
    expect(review).toContain("```mermaid");
    expect(preview).toContain(spec.added(1));
    expect(await spec.liveCode()).toBe(before);
  }, 600_000);

  it("a second push to the pull request updates the same two comments", async () => {
    fs.writeFileSync(file(spec.codeFile), spec.edit(fs.readFileSync(file(spec.codeFile), "utf8"), 2));
    repo.git("commit", "-qam", "Tune again");
    const r = await runEvent(setup, repo.pullRequest("tune", pr));
    expect(summary(r)["pipelines.yml/review"], logs(r)).toBe("success");
    const gh = repo.github();
    expect(gh.comments.filter((c) => c.issue_number === pr)).toHaveLength(2);
    expect(gh.calls.filter((c) => c.method === "issues.createComment")).toHaveLength(2);
    expect(gh.calls.filter((c) => c.method === "issues.updateComment")).toHaveLength(2);
    expect(gh.comments.find((c) => c.body.startsWith("<!-- pulumi-pipelines-review -->"))!.body).toContain(
      spec.added(2),
    );
  }, 600_000);

  it("a pull request from a fork is reviewed on its run's page: no secrets, a token that cannot comment", async () => {
    const before = repo.github().comments.length;
    repo.git("checkout", "-q", "-b", "outside", "main");
    fs.writeFileSync(file(spec.codeFile), spec.edit(fs.readFileSync(file(spec.codeFile), "utf8"), 3));
    repo.git("commit", "-qam", "A contributor's tune");
    const r = await runEvent(setup, repo.pullRequest("outside", undefined, { fork: "contributor/pipelines" }));
    expect(summary(r), logs(r)).toEqual({
      "pipelines.yml/review": "success",
      "pipelines.yml/preview": "skipped",
      "pipelines.yml/deploy": "skipped",
    });
    const review = r.jobs.find((j) => j.job === "review")!;
    expect(review.summary).toContain(spec.added(3));
    expect(repo.github().comments).toHaveLength(before);
    repo.git("checkout", "-q", "tune");
  }, 600_000);

  it("merging it deploys the new code", async () => {
    repo.git("checkout", "-q", "main");
    repo.git("merge", "-q", "--no-ff", "tune", "-m", "Merge pull request #1 from tune");
    const event = repo.push();
    expect(event.trigger.changedFiles).toEqual([spec.codeFile]);
    const r = await runEvent(setup, event);
    expect(summary(r), logs(r)).toEqual(DEPLOYED);
    expect(await spec.liveCode()).toContain(fs.readFileSync(file(spec.codeFile), "utf8"));
  }, 600_000);

  // Drift is read from the sandbox Mage (a Feldera emulator has no UI to edit in behind the stack's back).
  if (spec.engine === "mage")
    it("the nightly drift run opens an issue after an edit in Mage, and closes it after up put it back", async () => {
      const blockFile = encodeURIComponent("transformers/clean_orders.py");
      await testClient().call("PUT", `/api/file_contents/${blockFile}`, {
        body: { file_content: { content: "# hotfix made in the UI\n" } },
      });
      const drifted = await runEvent(setup, repo.schedule("17 4 * * *"));
      expect(summary(drifted), logs(drifted)).toEqual({ "drift.yml/drift": "success" });
      expect(drifted.notFired).toEqual({ "pipelines.yml": "not on schedule" });
      const open = repo.github().issues.filter((i) => i.state === "open" && !("pull_request" in i));
      expect(open.map((i) => [i.title, i.labels.map((l) => l.name)])).toEqual([
        ["Pipeline drift on prod", ["pipeline-drift"]],
      ]);
      expect(open[0].body).toContain("clean_orders");
      expect(open[0].body).toContain("hotfix made in the UI");

      // As the issue says: `pulumi up --refresh` puts the declarations back.
      const up = await sh(
        "pulumi",
        ["up", "--refresh", "--yes", "--skip-preview", "--non-interactive", "--stack", "prod"],
        dir,
        devEnv(),
      );
      expect(up.code, up.output).toBe(0);
      expect(await spec.liveCode()).toBe(fs.readFileSync(file(spec.codeFile), "utf8"));

      const calm = await runEvent(setup, repo.schedule("17 4 * * *"));
      expect(summary(calm), logs(calm)).toEqual({ "drift.yml/drift": "success" });
      const issue = repo.github().issues.find((i) => i.number === open[0].number)!;
      expect(issue.state).toBe("closed");
      expect(
        repo
          .github()
          .comments.filter((c) => c.issue_number === issue.number)
          .map((c) => c.body),
      ).toEqual([expect.stringMatching(/^No drift any more/)]);
    }, 900_000);
});

/** The shell lines under "Next:" in init's output, comments kept (bash ignores them). */
function printedSteps(output: string): string[] {
  const lines = output.split("\n");
  const start = lines.indexOf("Next:");
  const end = lines.indexOf("", start);
  return lines.slice(start + 1, end).map((l) => l.trim());
}
