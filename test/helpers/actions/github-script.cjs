// Runs one `actions/github-script` script as the action does: an async
// function of (require, github, context, core, …) in the job's workspace with
// the step's environment. `github` is a stand-in for the Octokit client that
// keeps a repository's issues and comments in a JSON file (so they last across
// runs) and records every call; only the methods listed here exist, so a
// script calling anything else fails loudly instead of passing unseen.
// A read-only token (a pull request from a fork) is refused every write, as GitHub refuses it.
// Usage: node github-script.cjs <request.json>  ({ script, context, stateFile, readOnly, origin })
const fs = require("node:fs");
const path = require("node:path");
const { createRequire } = require("node:module");

const request = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const state = fs.existsSync(request.stateFile)
  ? JSON.parse(fs.readFileSync(request.stateFile, "utf8"))
  : { nextId: 1, issues: [], comments: [], calls: [] };
const save = () => fs.writeFileSync(request.stateFile, JSON.stringify(state, null, 2));

const now = () => new Date().toISOString();
const issue = (n) => {
  const found = state.issues.find((i) => i.number === n);
  if (!found) throw Object.assign(new Error(`Not Found: issue ${n}`), { status: 404 });
  return found;
};
const labelsOf = (labels) => (labels ?? []).map((l) => (typeof l === "string" ? { name: l } : l));

const issues = {
  async listComments({ issue_number }) {
    issue(issue_number);
    return { data: state.comments.filter((c) => c.issue_number === issue_number) };
  },
  async createComment({ issue_number, body }) {
    issue(issue_number);
    const comment = { id: state.nextId++, issue_number, body, created_at: now(), updated_at: now() };
    state.comments.push(comment);
    return { data: comment };
  },
  async updateComment({ comment_id, body }) {
    const comment = state.comments.find((c) => c.id === comment_id);
    if (!comment) throw Object.assign(new Error(`Not Found: comment ${comment_id}`), { status: 404 });
    Object.assign(comment, { body, updated_at: now() });
    return { data: comment };
  },
  async listForRepo({ state: wanted = "open", labels }) {
    const names = labels ? String(labels).split(",") : [];
    return {
      data: state.issues.filter(
        (i) =>
          (wanted === "all" || i.state === wanted) &&
          names.every((n) => i.labels.some((l) => l.name === n)) &&
          !i.pull_request,
      ),
    };
  },
  async create({ title, body, labels }) {
    const created = { number: state.nextId++, title, body, labels: labelsOf(labels), state: "open" };
    state.issues.push(created);
    return { data: created };
  },
  async update({ issue_number, ...fields }) {
    const found = issue(issue_number);
    for (const k of ["title", "body", "state"]) if (fields[k] !== undefined) found[k] = fields[k];
    if (fields.labels) found.labels = labelsOf(fields.labels);
    return { data: found };
  },
};

/** Pull requests are issues with a `pull_request` (their head's sha), as GitHub numbers both alike. */
const pullOf = (i) => ({ number: i.number, state: i.state, title: i.title, head: { sha: i.pull_request.head_sha } });
const pulls = {
  async get({ pull_number }) {
    const found = issue(pull_number);
    if (!found.pull_request) throw Object.assign(new Error(`Not Found: pull request ${pull_number}`), { status: 404 });
    return { data: pullOf(found) };
  },
  async list({ state: wanted = "open" }) {
    return { data: state.issues.filter((i) => i.pull_request && (wanted === "all" || i.state === wanted)).map(pullOf) };
  },
};

/** Every call is recorded with its method and parameters, in order. */
function recorded(group, methods) {
  return new Proxy(methods, {
    get(target, name) {
      if (!(name in target)) throw new Error(`the GitHub stand-in has no github.rest.${group}.${String(name)}`);
      return async (params) => {
        state.calls.push({ method: `${group}.${String(name)}`, params });
        if (request.readOnly && !/^(get|list)/.test(String(name)))
          throw Object.assign(new Error("Resource not accessible by integration"), { status: 403 });
        return target[name](params);
      };
    },
  });
}

/**
 * The pull requests a commit belongs to, as GitHub answers for a commit on the default branch: the merged pull
 * request that introduced it, i.e. whose head is the commit or a parent of it (a merge commit). GitHub knows the
 * repository's history; the stand-in reads it from the bare origin.
 */
const repos = {
  async listPullRequestsAssociatedWithCommit({ commit_sha }) {
    const [sha, ...parents] = require("node:child_process")
      .execFileSync("git", ["-C", request.origin, "rev-list", "--parents", "-n", "1", commit_sha], { encoding: "utf8" })
      .trim()
      .split(" ");
    return {
      data: state.issues
        .filter((i) => i.pull_request && [sha, ...parents].includes(i.pull_request.head_sha))
        .map((i) => ({ ...pullOf(i), labels: i.labels, merged_at: i.pull_request.merged_at ?? null })),
    };
  },
};

const github = {
  rest: new Proxy(
    { issues: recorded("issues", issues), pulls: recorded("pulls", pulls), repos: recorded("repos", repos) },
    {
      get(target, name) {
        if (!(name in target)) throw new Error(`the GitHub stand-in has no github.rest.${String(name)}`);
        return target[name];
      },
    },
  ),
  /** Octokit's paginate: every page's items in one array (the stand-in has one page). */
  async paginate(method, params) {
    return (await method(params)).data;
  },
};

const core = {
  setOutput: (name, value) =>
    fs.appendFileSync(process.env.GITHUB_OUTPUT, `${name}<<EOF_${name}\n${value}\nEOF_${name}\n`),
  exportVariable: (name, value) => {
    fs.appendFileSync(process.env.GITHUB_ENV, `${name}<<EOF_${name}\n${value}\nEOF_${name}\n`);
    process.env[name] = String(value);
  },
  info: (s) => process.stdout.write(`${s}\n`),
  warning: (s) => process.stdout.write(`::warning::${s}\n`),
  error: (s) => process.stdout.write(`::error::${s}\n`),
  setFailed: (s) => {
    process.stdout.write(`::error::${s}\n`);
    process.exitCode = 1;
  },
};

// github-script's `require` resolves from the workspace, as a script's own require would.
const workspaceRequire = createRequire(path.join(process.cwd(), "noop.js"));
const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
new AsyncFunction("require", "github", "context", "core", request.script)(
  workspaceRequire,
  github,
  request.context,
  core,
)
  .then(() => save())
  .catch((e) => {
    save();
    process.stderr.write(`${e?.stack ?? e}\n`);
    process.exit(1);
  });
