// A GitHub repository as the workflow runner sees it: a bare "origin" that a
// developer's clone pushes to, pull requests as GitHub makes them
// (refs/pull/<n>/head, and refs/pull/<n>/merge: the head merged into the base,
// which is what a pull_request run checks out), and the events each action
// sends, with the files they change.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { GitHubEvent } from "./runner";

const IDENTITY = {
  GIT_AUTHOR_NAME: "dev",
  GIT_AUTHOR_EMAIL: "dev@example.com",
  GIT_COMMITTER_NAME: "dev",
  GIT_COMMITTER_EMAIL: "dev@example.com",
};

export class GitHubRepository {
  readonly origin: string;
  /** The stand-in GitHub API's issues and comments (./github-script.cjs). */
  readonly state: string;

  constructor(
    root: string,
    /** The developer's clone, where commits are made. */
    readonly clone: string,
    readonly defaultBranch = "main",
  ) {
    this.origin = path.join(root, "origin.git");
    this.state = path.join(root, "github.json");
    execFileSync("git", ["init", "-q", "--bare", "-b", defaultBranch, this.origin]);
  }

  git(...args: string[]): string {
    return execFileSync("git", args, { cwd: this.clone, encoding: "utf8", env: { ...process.env, ...IDENTITY } });
  }

  private bare(...args: string[]): string {
    return execFileSync("git", ["-C", this.origin, ...args], {
      encoding: "utf8",
      env: { ...process.env, ...IDENTITY },
    });
  }

  /** `git push origin <branch>` from the clone: the push event GitHub sends for it. */
  push(branch = this.defaultBranch): GitHubEvent {
    const before = this.refExists(`refs/heads/${branch}`) ? this.bare("rev-parse", `refs/heads/${branch}`).trim() : "";
    this.git("push", "-q", "origin", `HEAD:refs/heads/${branch}`);
    const after = this.bare("rev-parse", `refs/heads/${branch}`).trim();
    const changedFiles = before
      ? this.bare("diff", "--name-only", before, after).split("\n").filter(Boolean)
      : this.bare("ls-tree", "-r", "--name-only", after).split("\n").filter(Boolean);
    return {
      trigger: { event: "push", branch, changedFiles },
      ref: `refs/heads/${branch}`,
      payload: { ref: `refs/heads/${branch}`, before: before || "0".repeat(40), after },
    };
  }

  /**
   * Opens a pull request of `head` (pushed first) into the default branch, or
   * `synchronize`s it when `number` is given: GitHub makes the merge commit and
   * an issue of the same number. `fork` names the contributor's repository it comes from; `labels` are the pull
   * request's labels (kept on later events).
   */
  pullRequest(
    head: string,
    number?: number,
    opts: { fork?: string; labels?: string[] } = {},
  ): GitHubEvent & { number: number } {
    const action = number ? "synchronize" : "opened";
    // Pull requests and issues share GitHub's numbers.
    const n = number ?? (this.github() as { nextId?: number }).nextId ?? 1;
    this.git("push", "-q", "-f", "origin", `${head}:refs/heads/${head}`);
    this.bare("update-ref", `refs/pull/${n}/head`, `refs/heads/${head}`);
    const base = this.bare("rev-parse", `refs/heads/${this.defaultBranch}`).trim();
    const headSha = this.bare("rev-parse", `refs/pull/${n}/head`).trim();
    const tree = this.bare("merge-tree", "--write-tree", base, headSha).split("\n")[0];
    const merge = this.bare(
      "commit-tree",
      tree,
      "-p",
      base,
      "-p",
      headSha,
      "-m",
      `Merge ${headSha} into ${base}`,
    ).trim();
    this.bare("update-ref", `refs/pull/${n}/merge`, merge);
    const labels = this.recordPull(n, head, headSha, opts.labels);
    const changedFiles = this.bare("diff", "--name-only", `${base}...${headSha}`).split("\n").filter(Boolean);
    const pull_request = {
      number: n,
      labels,
      // From a fork, the head branch lives in the contributor's repository.
      head: { ref: head, sha: headSha, repo: { full_name: opts.fork ?? "acme/pipelines" } },
      base: { ref: this.defaultBranch, sha: base, repo: { full_name: "acme/pipelines" } },
    };
    return {
      number: n,
      trigger: { event: "pull_request", action, branch: this.defaultBranch, changedFiles },
      ref: `refs/pull/${n}/merge`,
      baseRef: this.defaultBranch,
      headRef: head,
      payload: { action, number: n, pull_request },
    };
  }

  /** The schedule event: the workflows of the default branch's head. */
  schedule(cron: string): GitHubEvent {
    return { trigger: { event: "schedule" }, ref: `refs/heads/${this.defaultBranch}`, payload: { schedule: cron } };
  }

  /** The stand-in's issues, comments and recorded calls. */
  github(): {
    issues: { number: number; title: string; body: string; state: string; labels: { name: string }[] }[];
    comments: { id: number; issue_number: number; body: string }[];
    calls: { method: string; params: Record<string, unknown> }[];
  } {
    return fs.existsSync(this.state)
      ? JSON.parse(fs.readFileSync(this.state, "utf8"))
      : { issues: [], comments: [], calls: [] };
  }

  /**
   * Closes pull request `number` (merged or not): GitHub's `closed` event, which runs the workflows of its merge
   * commit as the pull request's other events do.
   */
  closePullRequest(number: number, opts: { merged?: boolean; fork?: string } = {}): GitHubEvent {
    const state = this.github() as any;
    const pull = state.issues.find((i: { number: number }) => i.number === number);
    pull.state = "closed";
    if (opts.merged) pull.pull_request.merged_at = new Date().toISOString();
    fs.writeFileSync(this.state, JSON.stringify(state, null, 2));
    const base = this.bare("rev-parse", `refs/heads/${this.defaultBranch}`).trim();
    const pull_request = {
      number,
      labels: pull.labels,
      merged: opts.merged ?? false,
      head: { ref: pull.title, sha: pull.pull_request.head_sha, repo: { full_name: opts.fork ?? "acme/pipelines" } },
      base: { ref: this.defaultBranch, sha: base, repo: { full_name: "acme/pipelines" } },
    };
    return {
      trigger: { event: "pull_request", action: "closed", branch: this.defaultBranch, changedFiles: [] },
      ref: `refs/pull/${number}/merge`,
      baseRef: this.defaultBranch,
      headRef: pull.title,
      payload: { action: "closed", number, pull_request },
    };
  }

  /**
   * The pull request's issue (GitHub numbers both alike), with the sha its head is at and its labels (those given,
   * else those it has): the labels as an event carries them.
   */
  private recordPull(number: number, head: string, headSha: string, labels?: string[]): { name: string }[] {
    const state = { nextId: 1, ...this.github() } as any;
    let pull = state.issues.find((i: { number: number }) => i.number === number);
    if (pull) pull.pull_request = { head_sha: headSha };
    else {
      pull = { number, title: head, body: "", state: "open", labels: [], pull_request: { head_sha: headSha } };
      state.issues.push(pull);
    }
    if (labels) pull.labels = labels.map((name) => ({ name }));
    state.nextId = Math.max(state.nextId, number + 1);
    fs.writeFileSync(this.state, JSON.stringify(state, null, 2));
    return pull.labels;
  }

  private refExists(ref: string): boolean {
    try {
      this.bare("rev-parse", "--verify", "-q", ref);
      return true;
    } catch {
      return false;
    }
  }
}
