// pulumi-pipelines diff: a review of what a change does to the pipelines.
//   --preview <file|->    from `pulumi preview --json` output (its digest, or its event stream, which also
//                         carries the policy packs' violations: PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true)
//   --base <git-ref>      from two revisions of the YAML declarations alone
//                         (no credentials, no server, no Pulumi)
//   --format markdown|json|text, --fail-on replace|delete|violation (exit 2), --title,
//   --no-graph (leave out the graph of each changed pipeline),
//   with --base and --stack, the guardrails (policy/rules.ts) on the declarations, configured by the
//   stack's committed pipelines:policy: violations come first in the review
//   --drift (with --preview of `pulumi preview --refresh --json --show-sames`: a drift
//            report of what differs on the servers; exit 2 when anything does)
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { formatError } from "../declarations/errors";
import { type LoadResult, loadPaths } from "../declarations/loader";
import {
  allowedRules,
  type GuardedResource,
  policyConfigOf,
  STACK_POLICY_KEY,
  type Violation,
  violations,
} from "../policy/rules";
import { declaredResources } from "../program/declaredResources";
import { asDrift, type Change, reviewGraphs } from "../review/changes";
import { changesFromDeclarations, declaredViews } from "../review/fromDeclarations";
import { changesFromPreview, type Preview, viewsFromPreview } from "../review/fromPreview";
import type { PipelineGraph } from "../review/graph";
import { isEventStream, readEventStream } from "../review/previewEvents";
import { renderJson, renderMarkdown, renderText } from "../review/render";
import { EXIT, type Out, parseCommand, usageError } from "./args";
import { committedConfigValue } from "./stackConfig";

export const DIFF = {
  name: "diff",
  usage: `diff --preview <file|-> | --base <git-ref> [paths…] [--stack <name>]
                 a review of what a change does to the pipelines (Markdown for a PR comment);
                 --preview reads 'pulumi preview --json', or its event stream
                 (PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true), which lists a --policy-pack's violations first;
                 --stack with --base: as that stack sees the declarations (its \`environments\` values),
                 and the guardrails as its committed pipelines:policy configures them (violations first;
                 PIPELINES_POLICY_ALLOW lists rules a pull request's labels allow);
                 --format markdown|json|text, --fail-on replace|delete|violation (exit 2; violation: a
                 mandatory guardrail), --title <text>,
                 --no-graph (no Mermaid graph of each changed pipeline),
                 --drift with --preview of 'pulumi preview --refresh --json --show-sames': a drift
                 report of what differs on the servers (exit 2 when anything does)`,
  options: {
    preview: { type: "string" },
    base: { type: "string" },
    format: { type: "string", default: "markdown" },
    "fail-on": { type: "string" },
    title: { type: "string" },
    "no-graph": { type: "boolean", default: false },
    drift: { type: "boolean", default: false },
    stack: { type: "string" },
  },
  positionals: Number.POSITIVE_INFINITY,
} as const;

export async function diffCommand(
  args: string[],
  out: Out,
  readStdin: () => string = () => fs.readFileSync(0, "utf8"),
  err: Out = process.stderr,
): Promise<number> {
  // The review goes to stdout and nothing else does: workflows redirect it into the PR comment.
  const parsed = parseCommand(DIFF, args, out, err);
  if (typeof parsed === "number") return parsed;
  const opts = parsed.values;
  const paths = parsed.positionals;
  const drawGraphs = !opts["no-graph"];
  const drift = opts.drift;
  const format = opts.format;
  if (!["markdown", "json", "text"].includes(format)) return usageError(DIFF, `unknown --format '${format}'`, err);
  if (opts["fail-on"] !== undefined && !["replace", "delete", "violation"].includes(opts["fail-on"]))
    return usageError(DIFF, `--fail-on takes replace, delete or violation, not '${opts["fail-on"]}'`, err);
  if (opts["fail-on"] === "violation" && opts.base !== undefined && opts.stack === undefined)
    return usageError(
      DIFF,
      "--fail-on violation with --base runs the guardrails for a stack: give --stack <name>",
      err,
    );
  if ((opts.preview === undefined) === (opts.base === undefined))
    return usageError(DIFF, "give exactly one of --preview <file|-> and --base <git-ref>", err);
  if (drift && opts.preview === undefined)
    return usageError(
      DIFF,
      "--drift reads a preview: pulumi preview --refresh --json --show-sames | … diff --drift --preview -",
      err,
    );

  let changes: Change[];
  let graphs: PipelineGraph[] = [];
  let found: Violation[] | undefined;
  if (opts.preview !== undefined) {
    const text = opts.preview === "-" ? readStdin() : fs.readFileSync(opts.preview, "utf8");
    let preview: unknown;
    try {
      if (isEventStream(text)) {
        const read = readEventStream(text);
        preview = read.preview;
        found = read.violations;
      } else preview = JSON.parse(text);
    } catch {
      err.write(
        `${opts.preview === "-" ? "standard input" : opts.preview} is not the JSON of 'pulumi preview --json'\n`,
      );
      return EXIT.failed;
    }
    changes = changesFromPreview(preview as Preview);
    const views = viewsFromPreview(preview as Preview);
    // A drift report draws the servers' graph over the declared one.
    if (drawGraphs)
      graphs = drift
        ? reviewGraphs(views.after, views.before, changes, views.partial)
        : reviewGraphs(views.before, views.after, changes, views.partial);
    if (drift) changes = asDrift(changes);
  } else {
    const result = await fromGit(opts.base!, paths.length ? paths : ["pipelines"], err, opts.stack);
    if (!result) return EXIT.failed;
    changes = result.changes;
    if (drawGraphs) graphs = result.graphs;
    if (opts.stack !== undefined) {
      try {
        found = guardrails(result.checked, opts.stack);
      } catch (e) {
        err.write(`${(e as Error).message}\n`);
        return EXIT.failed;
      }
    }
  }

  out.write(
    format === "json"
      ? renderJson(changes, drawGraphs ? graphs : undefined, drift, found)
      : format === "text"
        ? renderText(changes, drift, found)
        : renderMarkdown(changes, { title: opts.title, graphs, drift, violations: found }),
  );
  if (drift) return changes.length ? EXIT.finding : EXIT.ok;
  const failOn = opts["fail-on"];
  if (failOn === "violation") {
    if (!found) {
      err.write(
        "--fail-on violation: 'pulumi preview --json' has no policy findings; stream it (PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true) with --policy-pack\n",
      );
      return EXIT.failed;
    }
    return found.some((v) => v.enforcement === "mandatory") ? EXIT.finding : EXIT.ok;
  }
  const gate = failOn === "replace" ? ["replace"] : failOn === "delete" ? ["replace", "delete"] : [];
  return changes.some((c) => gate.includes(c.action)) ? EXIT.finding : EXIT.ok;
}

/**
 * Declarations at `ref` against the working tree, both read from disk with no network (as `stack` sees them);
 * undefined when either cannot be read, after saying why on `err`.
 */
export async function fromGit(
  ref: string,
  paths: string[],
  err: Out,
  stack: string | undefined,
): Promise<{ changes: Change[]; graphs: PipelineGraph[]; head: LoadResult; checked: GuardedResource[] } | undefined> {
  let root: string;
  try {
    root = execFileSync("git", ["rev-parse", "--show-toplevel"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    }).trim();
  } catch {
    err.write("diff --base needs to run inside a git repository\n");
    return undefined;
  }
  const rel = paths.map((p) => path.relative(root, path.resolve(p)));
  const baseDir = fs.mkdtempSync(path.join(os.tmpdir(), "pipelines-base-"));
  try {
    let archive: Buffer;
    try {
      archive = execFileSync("git", ["archive", "--format=tar", ref], {
        cwd: root,
        maxBuffer: 1 << 30,
        stdio: ["ignore", "pipe", "pipe"],
      });
    } catch (e) {
      err.write(
        `cannot read revision '${ref}': ${(e as { stderr?: Buffer }).stderr?.toString().trim() || String(e)}\n`,
      );
      return undefined;
    }
    execFileSync("tar", ["-x", "-C", baseDir], { input: archive });
    const head = loadPaths(
      rel.map((p) => path.join(root, p)),
      { stack },
    );
    const basePaths = rel.map((p) => path.join(baseDir, p)).filter((p) => fs.existsSync(p));
    const base = basePaths.length ? loadPaths(basePaths, { stack }) : { pipelines: [], secrets: [], errors: [] };
    for (const [label, result, dir] of [
      ["this revision", head, root],
      [ref, base, baseDir],
    ] as const) {
      if (result.errors.length) {
        err.write(
          `the declarations at ${label} are invalid:\n${result.errors.map((e) => formatError({ ...e, file: path.relative(dir, e.file) })).join("\n")}\n`,
        );
        return undefined;
      }
    }
    const before = declaredResources(base.pipelines, baseDir, base.secrets);
    const after = declaredResources(head.pipelines, root, head.secrets);
    const { changes, checked } = await changesFromDeclarations(before, baseDir, after, root);
    const graphs = reviewGraphs(declaredViews(before, baseDir), declaredViews(after, root), changes);
    return { changes, graphs, head, checked };
  } finally {
    fs.rmSync(baseDir, { recursive: true, force: true });
  }
}

/**
 * The guardrails on the declared resources, as `stack` configures them in its committed stack file (the pack reads
 * the same key from the stack's config when Pulumi runs it), with the rules the environment allows.
 */
function guardrails(checked: GuardedResource[], stack: string): Violation[] {
  const name = stack.split("/").pop()!;
  const config = policyConfigOf(
    committedConfigValue(name, STACK_POLICY_KEY),
    `${STACK_POLICY_KEY} of stack '${name}' (Pulumi.${name}.yaml)`,
  );
  return violations(checked, { stack: name, config, allowed: allowedRules() });
}
