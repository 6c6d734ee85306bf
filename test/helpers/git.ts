// git in a test's throw-away repository, with a fixed identity (CI machines have none).
import { execFileSync } from "node:child_process";

const IDENTITY = { GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@e", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@e" };

/** A git runner for the repository `dir()` names when it runs (tests make theirs in beforeAll). */
export function gitIn(dir: () => string): (...args: string[]) => string {
  return (...args) => execFileSync("git", args, { cwd: dir(), encoding: "utf8", env: { ...process.env, ...IDENTITY } });
}
