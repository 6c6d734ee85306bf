// The path a team walks, run the way it happens for them: the package packed
// and installed, `init --stacks dev,prod`, the steps it prints run as printed
// (with the team's values and the tarball in place of the unpublished
// package), the repository pushed, and then the generated workflows run as
// GitHub would (test/helpers/actions/) for the events that follow: the first
// push to main (dev deployed, prod after its environment's reviewers approve),
// a pull request that changes a block's code (or a Feldera view's SQL) and a
// value prod alone sees, its review stack run on dev, a second push to it, a
// pull request whose block raises, one from a fork, the close and the merge,
// and (for Mage) the nightly drift run after an edit in Mage's UI. dev and prod
// are two servers (two real Mage servers, two Feldera emulators). State lives
// on a real PostgreSQL backend, as a team's would. Every check reads the
// engine's own API or what GitHub would show: comments, issues, job results.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type MageClient, mageClient } from "../../provider/backends/mage/client";
import { startMage } from "../../provider/cli/mageSandbox";
import { type PostgresSandbox, startPostgres } from "../../provider/cli/postgres";
import { type FelderaEmulator, startFelderaEmulator } from "../fakes/feldera/emulator";
import { GitHubRepository } from "../helpers/actions/repository";
import { type EventResult, type RunnerSetup, runEvent } from "../helpers/actions/runner";
import { mageTarget, testClient } from "../helpers/mage";
import { sh } from "../helpers/spawn";

const REPO = path.resolve(__dirname, "..", "..");
const PASSPHRASE = "team passphrase 5521";
const FELDERA_KEY = "apikey:workflow-feldera-8812";
/** Job results as `workflow/job: result`, for one readable assertion per event. */
const summary = (r: EventResult) => Object.fromEntries(r.jobs.map((j) => [`${j.workflow}/${j.job}`, j.result]));
const logs = (r: EventResult) =>
  r.jobs.map((j) => `--- ${j.workflow}/${j.job}: ${j.result}\n${j.log}\n${j.summary}`).join("\n");

const COMMENT = "pipelines-comment.yml/comment";

/** A push to main: dev, then prod, deployed; nothing else runs (the comment workflow starts, for pull requests alone). */
const DEPLOYED = {
  [COMMENT]: "skipped",
  "pipelines.yml/review": "skipped",
  "pipelines.yml/preview": "skipped",
  "pipelines.yml/review-stack": "skipped",
  "pipelines.yml/review-stack-destroy": "skipped",
  "pipelines.yml/deploy-dev": "success",
  "pipelines.yml/deploy-prod": "success",
};

/** A pull request whose review alone runs (a fork's, or one the guardrails stopped), its comment posted. */
const REVIEW_ONLY = (review: "success" | "failure") => ({
  "pipelines.yml/review": review,
  "pipelines.yml/preview": "skipped",
  "pipelines.yml/review-stack": "skipped",
  "pipelines.yml/review-stack-destroy": "skipped",
  "pipelines.yml/deploy-dev": "skipped",
  "pipelines.yml/deploy-prod": "skipped",
  [COMMENT]: "success",
});

/** One stack's server, as the test reads it. */
interface Server {
  config: Record<string, string>;
  /** A Mage server's client. */
  mage?: MageClient;
  /** A Feldera emulator. */
  feldera?: FelderaEmulator;
  code(): Promise<string>;
  /** Every object of the server, as JSON: what a review must leave as it was once it is closed. */
  snapshot(): Promise<string>;
  close(): Promise<void>;
}

interface Engine {
  engine: "mage" | "feldera";
  /** The one code file the pull request edits, how (`round` tells a second edit apart), and a line the edit adds. */
  codeFile: string;
  edit(code: string, round: number): string;
  added(round: number): string;
  /** The declaration file, and a value the pull request gives prod alone. */
  declaration: string;
  prodOnly(yaml: string): string;
  /** dev's values the first commit gives (a source the machine can read). */
  devValues(yaml: string, source: string): string;
  /** The labels a pull request of `edit` carries: the allow:<rule> of each guardrail the change needs allowed. */
  allow: string[];
  /** A change to the declaration that breaks a mandatory guardrail, with the rule and resource the review names. */
  violation: { change(yaml: string): string; rule: string; resource: string };
  servers(): Promise<{ dev: Server; prod: Server }>;
}

/** The orders a Mage pipeline loads on dev: served by the test, as a team's dev source would be. */
const ORDERS = "order_id,amount\n1,10\n2,25\n2,25\n3,\n";

describe.each<Engine>([
  {
    engine: "mage",
    codeFile: "blocks/clean_orders.py",
    edit: (code, round) => `${code}    df = orders.drop_duplicates()  # tuned in review ${round}\n`,
    added: (round) => `+    df = orders.drop_duplicates()  # tuned in review ${round}`,
    declaration: "pipelines/orders-etl.yaml",
    prodOnly: (yaml) =>
      yaml.replace(
        "        status: active\n",
        "        status: inactive\n        environments:\n          prod: { status: active, interval: '@hourly' }\n",
      ),
    devValues: (yaml, source) =>
      yaml.replace(
        "      min_amount: 0\n",
        `      min_amount: 0\n    environments:\n      dev:\n        variables: { source_url: "${source}" }\n`,
      ),
    allow: [],
    violation: {
      change: (yaml) => yaml.replace('interval: "@daily"', 'interval: "*/5 * * * *"'),
      rule: "schedule-interval",
      resource: "mage/orders etl/daily",
    },
    servers: async () => {
      const dev = await startMage();
      const devClient = testClientOf(dev);
      const prodClient = testClient();
      const mage = (client: MageClient, t: { url: string; email?: string; password?: string }): Server => ({
        config: { "http://127.0.0.1:6789": t.url, "you@example.com": t.email!, "'…'": `'${t.password}'` },
        mage: client,
        code: async () => (await mageBlock(client, "orders_etl", "clean_orders"))?.content ?? "",
        snapshot: () => mageSnapshot(client),
        close: async () => {},
      });
      return {
        dev: { ...mage(devClient, dev), close: () => dev.stop() },
        prod: mage(prodClient, mageTarget()),
      };
    },
  },
  {
    engine: "feldera",
    codeFile: "sql/views.sql",
    // A view's logic, so its node in the graph is marked edited.
    edit: (code, round) =>
      code.replace(/d\.total > c\.daily_limit( \* \d+)?;/, `d.total > c.daily_limit * ${round + 1};`),
    added: (round) => `+    WHERE t.country <> c.home_country AND d.total > c.daily_limit * ${round + 1};`,
    declaration: "pipelines/fraud.yaml",
    prodOnly: (yaml) =>
      yaml.replace(
        /^(\s+)name: fraud-detection\n/m,
        "$1name: fraud-detection\n$1environments: { prod: { description: 'prod fraud checks' } }\n",
      ),
    devValues: (yaml) => yaml,
    // A program change stops the running pipeline to recompile it: a stop the team allows per pull request.
    allow: ["allow:feldera-stop"],
    violation: {
      change: (yaml) => yaml.replace("workers: 4", "workers: 8"),
      rule: "feldera-storage-clear",
      resource: "feldera/fraud-detection",
    },
    servers: async () => {
      const emulator = async (): Promise<Server> => {
        const f = await startFelderaEmulator({ apiKey: FELDERA_KEY, stepMs: 20 });
        return {
          config: { "http://127.0.0.1:8080": f.url, "'…'": `'${FELDERA_KEY}'` },
          feldera: f,
          code: async () => f.pipelines.get("fraud-detection")?.program_code ?? "",
          snapshot: async () =>
            JSON.stringify([...f.pipelines.entries()].map(([n, p]) => [n, p.program_code, p.runtime_config])),
          close: () => f.close(),
        };
      };
      return { dev: await emulator(), prod: await emulator() };
    },
  },
])("a team's GitOps repository of $engine pipelines, promoted from dev to prod", (spec) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `pp-team-${spec.engine}-`));
  const dir = path.join(root, "pipelines-repo");
  let repo: GitHubRepository;
  let postgres: PostgresSandbox;
  let setup: RunnerSetup;
  let initOutput: string;
  let servers: { dev: Server; prod: Server };
  let source: http.Server;
  /** What prod's reviewers see when a deploy waits for them: dev's code then, and prod's. */
  const approvals: { job: string; dev: string; prod: string }[] = [];
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
  const edit = (f: string, change: (text: string) => string) =>
    fs.writeFileSync(file(f), change(fs.readFileSync(file(f), "utf8")));
  const comments = (pr: number) => repo.github().comments.filter((c) => c.issue_number === pr);
  const comment = (pr: number, marker: string) =>
    comments(pr).find((c) => c.body.startsWith(`<!-- pulumi-pipelines-${marker} -->`))?.body ?? "";

  beforeAll(async () => {
    postgres = await startPostgres();
    servers = await spec.servers();
    source = http.createServer((_, res) => res.end(ORDERS));
    await new Promise<void>((r) => source.listen(0, "127.0.0.1", r));
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
      ["init", "pipelines-repo", "--engine", spec.engine, "--stacks", "dev,prod"],
      { cwd: root, encoding: "utf8" },
    );
    // dev reads its orders from a source on this machine.
    const orders = `http://127.0.0.1:${(source.address() as AddressInfo).port}/orders.csv`;
    edit(spec.declaration, (y) => spec.devValues(y, orders));
    // A run here ends in seconds: a run Mage never starts fails the job in 5 minutes, with its log, rather than
    // outlasting the test (the default wait is 30 minutes).
    edit(".github/workflows/pipelines.yml", (w) => {
      if (!w.includes('--base "$BASE" >'))
        throw new Error("pipelines.yml has no review-stack up line to give a timeout");
      return w.replace('--base "$BASE" >', '--base "$BASE" --timeout 300 >');
    });
    // Not published from here: the team installs the tarball, committed in the repository.
    fs.mkdirSync(file("vendor"));
    fs.copyFileSync(tarball, file(`vendor/${path.basename(tarball)}`));
    const common: [string, string][] = [
      ["npm install   #", `npm install ./vendor/${path.basename(tarball)} --no-audit --no-fund --prefer-offline   #`],
      ["'postgres://…'", `'${postgres.url}'`],
      ["PULUMI_CONFIG_PASSPHRASE='…'", `PULUMI_CONFIG_PASSPHRASE='${PASSPHRASE}'`],
    ];
    // Each stack's config lines follow its `pulumi stack init`: they get that stack's server.
    let stack: "dev" | "prod" = "dev";
    const steps = printedSteps(initOutput).map((line) => {
      const init = /^pulumi stack init (\w+)/.exec(line);
      if (init) stack = init[1] as "dev" | "prod";
      const substitutions = [...common, ...Object.entries(servers[stack].config)];
      return substitutions.reduce((l, [from, to]) => (l.includes(from) ? l.replace(from, to) : l), line);
    });
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
      // prod's required reviewers approve each deploy, having looked at dev and prod.
      environments: {
        prod: {
          approve: async (job) => {
            approvals.push({ job, dev: await servers.dev.code(), prod: await servers.prod.code() });
            return true;
          },
        },
      },
      // The runner machine's package cache and the CLI's offline switches; no credentials.
      machineEnv: {
        npm_config_cache: path.join(os.homedir(), ".npm"),
        npm_config_prefer_offline: "true",
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      },
    };
  }, 900_000);

  afterAll(async () => {
    if (postgres && fs.existsSync(dir)) {
      // Whatever the tests left on the servers goes with the stacks.
      for (const stack of ["dev", "prod"])
        await sh(
          "pulumi",
          ["destroy", "--yes", "--skip-preview", "--non-interactive", "--stack", stack],
          dir,
          devEnv(),
        );
    }
    await postgres?.stop();
    await servers?.dev.close();
    await servers?.prod.close();
    source?.close();
    fs.rmSync(root, { recursive: true, force: true });
  }, 300_000);

  it("init's printed steps give a committed repository with its lockfile and a stack file per stack", () => {
    expect(initOutput).toContain("pulumi stack init dev");
    expect(initOutput).toContain("pulumi stack init prod");
    const tracked = repo.git("ls-files").split("\n");
    expect(tracked).toEqual(
      expect.arrayContaining([
        "package-lock.json",
        "Pulumi.dev.yaml",
        "Pulumi.prod.yaml",
        ".github/workflows/pipelines.yml",
        ".github/workflows/pipelines-comment.yml",
      ]),
    );
    expect(tracked.filter((f) => f.startsWith("node_modules/"))).toEqual([]);
  });

  it("the first push to main deploys dev, then prod once its reviewers approve", async () => {
    const r = await runEvent(setup, repo.push());
    expect(summary(r), logs(r)).toEqual(DEPLOYED);
    expect(r.notFired).toEqual({ "drift.yml": "not on push", "pipelines-comment.yml": "not on push" });
    const declared = fs.readFileSync(file(spec.codeFile), "utf8");
    // When prod's reviewers were asked, dev had the code and prod had nothing yet.
    expect(approvals).toEqual([
      { job: "pipelines.yml/deploy-prod", dev: expect.stringContaining(declared.trim()), prod: "" },
    ]);
    expect(await servers.prod.code()).toContain(declared.trim());
  }, 900_000);

  let pr: number;
  let devBefore: string;

  it("a pull request gets one review with a section per stack, a preview, and its pipelines run on a review stack", async () => {
    devBefore = await servers.dev.snapshot();
    const prodBefore = await servers.prod.code();
    repo.git("checkout", "-q", "-b", "tune");
    edit(spec.codeFile, (c) => spec.edit(c, 1));
    edit(spec.declaration, spec.prodOnly);
    repo.git("commit", "-qam", `Tune ${spec.codeFile}`);
    const event = repo.pullRequest("tune", undefined, { labels: spec.allow });
    pr = event.number;

    const r = await runEvent(setup, event);
    expect(summary(r), logs(r)).toEqual({
      "pipelines.yml/review": "success",
      "pipelines.yml/preview": "success",
      "pipelines.yml/review-stack": "success",
      "pipelines.yml/review-stack-destroy": "skipped",
      "pipelines.yml/deploy-dev": "skipped",
      "pipelines.yml/deploy-prod": "skipped",
      [COMMENT]: "success",
    });
    expect(
      comments(pr)
        .map((c) => c.body.split("\n")[0])
        .sort(),
    ).toEqual([
      "<!-- pulumi-pipelines-preview -->",
      "<!-- pulumi-pipelines-review -->",
      "<!-- pulumi-pipelines-review-stack -->",
    ]);
    const review = comment(pr, "review");
    expect(review).toMatch(/^## dev: /m);
    expect(review).toMatch(/^## prod: /m);
    expect(review).toContain(spec.added(1));
    expect(review).toContain("```mermaid");
    expect(comment(pr, "preview")).toContain(spec.added(1));
    const outcome = comment(pr, "review-stack");
    expect(outcome).toContain(`Review stack \`pr-${pr}-dev\``);
    if (spec.engine === "mage") {
      expect(outcome).toMatch(
        /\| `orders etl` \| ✅ passed \| +\| \[run \d+\]\(http:\/\/127\.0\.0\.1:\d+\/pipelines\/pr_\d+_orders_etl\/runs\/\d+\) \|/,
      );
      // The run on dev's server: the review's copy, its blocks completed.
      const runs = await mageRuns(servers.dev.mage!, `pr_${pr}_orders_etl`);
      expect(runs.map((x) => x.status)).toEqual(["completed"]);
    } else {
      // Started on dev's server under the prefix, and each materialized view read back.
      expect(outcome).toMatch(
        /\| `fraud-detection` \| ✅ passed \| daily_spend: 0 row\(s\), suspicious: 0 row\(s\) \|/,
      );
      expect(servers.dev.feldera?.pipelines.get(`pr-${pr}-fraud-detection`)?.runtime).toBe("Running");
    }
    // Neither stack's own pipelines changed.
    expect(await servers.prod.code()).toBe(prodBefore);
  }, 900_000);

  it("a second push updates the same comments and runs the review stack again", async () => {
    edit(spec.codeFile, (c) => spec.edit(c, 2));
    repo.git("commit", "-qam", "Tune again");
    const r = await runEvent(setup, repo.pullRequest("tune", pr));
    expect(summary(r)["pipelines.yml/review-stack"], logs(r)).toBe("success");
    expect(summary(r)[COMMENT], logs(r)).toBe("success");
    expect(comments(pr)).toHaveLength(3);
    expect(repo.github().calls.filter((c) => c.method === "issues.updateComment")).toHaveLength(3);
    expect(comment(pr, "review")).toContain(spec.added(2));
    if (spec.engine === "mage") {
      const runs = await mageRuns(servers.dev.mage!, `pr_${pr}_orders_etl`);
      expect(runs.map((x) => x.status)).toEqual(["completed", "completed"]);
    }
  }, 900_000);

  if (spec.engine === "mage")
    it("a pull request whose block raises gets 'failed' with the block's name; the nightly sweep removes its review stack once it closed", async () => {
      repo.git("checkout", "-q", "-b", "broken", "main");
      edit(spec.codeFile, (c) =>
        c.replace("    orders = orders.dropna", "    raise ValueError('no orders today')\n    orders = orders.dropna"),
      );
      repo.git("commit", "-qam", "Break clean_orders");
      const event = repo.pullRequest("broken");
      const r = await runEvent(setup, event);
      expect(summary(r)["pipelines.yml/review-stack"], logs(r)).toBe("failure");
      expect(summary(r)[COMMENT], logs(r)).toBe("success");
      expect(comment(event.number, "review-stack")).toMatch(/\| `orders etl` \| ❌ failed \| `clean_orders` \|/);
      // Closed while its workflow did not run (cancelled, say): the review stack stays until the nightly sweep.
      repo.closePullRequest(event.number);
      const nightly = await runEvent(setup, repo.schedule("17 4 * * *"));
      expect(summary(nightly), logs(nightly)).toEqual({ "drift.yml/drift": "success", "drift.yml/sweep": "success" });
      expect(nightly.jobs.find((j) => j.job === "sweep")!.log).toContain(`Removed pr-${event.number}-dev`);
      expect(await mageRuns(servers.dev.mage!, `pr_${event.number}_orders_etl`)).toEqual([]);
      expect(repo.github().issues.filter((i) => !("pull_request" in i))).toEqual([]);
      repo.git("checkout", "-q", "tune");
    }, 900_000);

  it("a pull request that breaks a guardrail: the review names it first, the job fails, nothing runs or deploys", async () => {
    const before = { dev: await servers.dev.snapshot(), prod: await servers.prod.snapshot() };
    repo.git("checkout", "-q", "-b", "reckless", "main");
    edit(spec.declaration, spec.violation.change);
    repo.git("commit", "-qam", "A change the guardrails stop");
    const event = repo.pullRequest("reckless", undefined, { labels: spec.allow });
    const r = await runEvent(setup, event);
    expect(summary(r), logs(r)).toEqual(REVIEW_ONLY("failure"));
    const review = r.jobs.find((j) => j.job === "review")!;
    expect(review.steps.find((s) => s.outcome === "failure")?.name).toMatch(/^Guardrails/);
    expect(review.log).toContain(`MANDATORY ${spec.violation.rule} ${spec.violation.resource}: `);
    // The comment says it before anything else, in each stack's section.
    const body = comment(event.number, "review");
    for (const stack of ["dev", "prod"]) {
      const section = body.slice(body.indexOf(`## ${stack}: `));
      expect(section.split("\n").slice(2, 5)).toEqual([
        "> [!CAUTION]",
        "> **Guardrails: 1 mandatory violation.** The deploy fails until each is fixed or allowed.",
        expect.stringContaining(`> - \`${spec.violation.resource}\` · **${spec.violation.rule}**: `),
      ]);
    }
    expect({ dev: await servers.dev.snapshot(), prod: await servers.prod.snapshot() }).toEqual(before);
    repo.closePullRequest(event.number);
    repo.git("checkout", "-q", "tune");
  }, 900_000);

  it("a pull request from a fork gets its review through the comment workflow, with no secrets and no review stack", async () => {
    repo.git("checkout", "-q", "-b", "outside", "main");
    edit(spec.codeFile, (c) => spec.edit(c, 3));
    repo.git("commit", "-qam", "A contributor's tune");
    const event = repo.pullRequest("outside", undefined, { fork: "contributor/pipelines", labels: spec.allow });
    const r = await runEvent(setup, event);
    expect(summary(r), logs(r)).toEqual(REVIEW_ONLY("success"));
    // The fork's run could not write; the comment workflow (the default branch's, with a token that can) did.
    const writes = repo.github().calls.filter((c) => c.method === "issues.createComment");
    expect(writes.at(-1)!.params.issue_number).toBe(event.number);
    expect(comments(event.number).map((c) => c.body.split("\n")[0])).toEqual(["<!-- pulumi-pipelines-review -->"]);
    expect(comment(event.number, "review")).toContain(spec.added(3));
    repo.git("checkout", "-q", "tune");
  }, 900_000);

  it("merging destroys the review stack, leaving dev as it was, then deploys dev and, once approved, prod's values", async () => {
    const closed = await runEvent(setup, repo.closePullRequest(pr, { merged: true }));
    expect(summary(closed)["pipelines.yml/review-stack-destroy"], logs(closed)).toBe("success");
    expect(await servers.dev.snapshot()).toBe(devBefore);
    // One stack read at a time: Pulumi's PostgreSQL backend can deadlock reading many at once (reviewStack.ts).
    const stacks = await sh("pulumi", ["stack", "ls", "--json"], dir, {
      ...devEnv(),
      PULUMI_DIY_BACKEND_PARALLEL: "1",
    });
    expect(
      JSON.parse(stacks.stdout)
        .map((s: { name: string }) => s.name)
        .sort(),
    ).toEqual(["dev", "prod"]);

    repo.git("checkout", "-q", "main");
    repo.git("merge", "-q", "--no-ff", "tune", "-m", `Merge pull request #${pr} from tune`);
    approvals.length = 0;
    const r = await runEvent(setup, repo.push());
    expect(summary(r), logs(r)).toEqual(DEPLOYED);
    // Each deploy ran the guardrails, allowed what the merged pull request's labels allow (a Feldera stop).
    for (const job of r.jobs.filter((j) => j.job.startsWith("deploy-"))) {
      // ✅, or ⚠️ with the advisory findings on the samples (no owner tag).
      expect(job.log).toMatch(/Policies:\s+\S+ pulumi-pipelines@v/);
      expect(job.log).not.toContain("[mandatory]");
      expect(job.log).toContain(`PIPELINES_POLICY_ALLOW=${spec.allow.join(",")}\n`);
    }
    const declared = fs.readFileSync(file(spec.codeFile), "utf8").trim();
    expect(approvals).toEqual([
      {
        job: "pipelines.yml/deploy-prod",
        dev: expect.stringContaining(declared),
        prod: expect.not.stringContaining(declared),
      },
    ]);
    expect(await servers.prod.code()).toContain(declared);
    if (spec.engine === "mage") {
      const status = async (client: MageClient) =>
        (await mageSchedules(client, "orders_etl")).map((s) => [s.name, s.status, s.schedule_interval]);
      expect(await status(servers.dev.mage!)).toEqual([["daily", "inactive", "@daily"]]);
      expect(await status(testClient())).toEqual([["daily", "active", "@hourly"]]);
    }
  }, 900_000);

  // Drift is read from the sandbox Mage (a Feldera emulator has no UI to edit in behind the stack's back).
  if (spec.engine === "mage")
    it("the nightly drift run opens an issue for the stack that drifted, and sweeps no review stack of an open pull request", async () => {
      const blockFile = encodeURIComponent("transformers/clean_orders.py");
      await testClient().call("PUT", `/api/file_contents/${blockFile}`, {
        body: { file_content: { content: "# hotfix made in the UI\n" } },
      });
      const drifted = await runEvent(setup, repo.schedule("17 4 * * *"));
      expect(summary(drifted), logs(drifted)).toEqual({ "drift.yml/drift": "success", "drift.yml/sweep": "success" });
      const open = repo.github().issues.filter((i) => i.state === "open" && !("pull_request" in i));
      expect(open.map((i) => [i.title, i.labels.map((l) => l.name)])).toEqual([
        ["Pipeline drift on prod", ["pipeline-drift"]],
      ]);
      expect(open[0].body).toContain("hotfix made in the UI");
      const up = await sh(
        "pulumi",
        ["up", "--refresh", "--yes", "--skip-preview", "--non-interactive", "--stack", "prod"],
        dir,
        devEnv(),
      );
      expect(up.code, up.output).toBe(0);
      const calm = await runEvent(setup, repo.schedule("17 4 * * *"));
      expect(summary(calm), logs(calm)).toEqual({ "drift.yml/drift": "success", "drift.yml/sweep": "success" });
      expect(repo.github().issues.find((i) => i.number === open[0].number)!.state).toBe("closed");
    }, 900_000);
});

/** The shell lines under "Next:" in init's output, comments kept (bash ignores them). */
function printedSteps(output: string): string[] {
  const lines = output.split("\n");
  const start = lines.indexOf("Next:");
  const end = lines.indexOf("", start);
  return lines.slice(start + 1, end).map((l) => l.trim());
}

function testClientOf(mage: { url: string; email?: string; password?: string }): MageClient {
  return mageClient({ url: mage.url, email: mage.email, password: mage.password });
}

async function mageBlock(
  client: MageClient,
  pipeline: string,
  block: string,
): Promise<{ content: string } | undefined> {
  const res = await client
    .call<any>("GET", `/api/pipelines/${pipeline}`, { query: { includes_content: "true", includes_outputs: "false" } })
    .catch(() => undefined);
  return res?.pipeline?.blocks?.find((b: any) => b.uuid === block);
}

async function mageRuns(client: MageClient, pipeline: string): Promise<{ id: number; status: string }[]> {
  const res = await client.call<any>("GET", "/api/pipeline_runs", {
    query: { pipeline_uuid: pipeline, _limit: "100" },
  });
  return (res.pipeline_runs ?? []).map((r: any) => ({ id: r.id, status: r.status })).reverse();
}

async function mageSchedules(client: MageClient, pipeline: string): Promise<any[]> {
  const res = await client.call<any>("GET", `/api/pipelines/${pipeline}/pipeline_schedules`, {
    query: { _limit: "100" },
  });
  return res.pipeline_schedules ?? [];
}

/** Every pipeline (with its blocks' code), trigger and run of a Mage server, as JSON. */
async function mageSnapshot(client: MageClient): Promise<string> {
  const list = await client.call<any>("GET", "/api/pipelines", { query: { _limit: "1000" } });
  const pipelines = [];
  for (const p of (list.pipelines ?? []).sort((a: any, b: any) => a.uuid.localeCompare(b.uuid))) {
    const detail = await client.call<any>("GET", `/api/pipelines/${p.uuid}`, {
      query: { includes_content: "true", includes_outputs: "false" },
    });
    pipelines.push(detail.pipeline);
  }
  const schedules = await client.call<any>("GET", "/api/pipeline_schedules", { query: { _limit: "1000" } });
  const runs = await client.call<any>("GET", "/api/pipeline_runs", { query: { _limit: "1000" } });
  return JSON.stringify({ pipelines, schedules: schedules.pipeline_schedules, runs: runs.pipeline_runs }, null, 1);
}
