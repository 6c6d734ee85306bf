// The dependency init writes: it must install the package from where the
// user got it, as npm's own lockfile says, or the first step init prints
// (`npm install`) fails.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { installedFrom, specOf } from "../../provider/cli/init";

describe("installedFrom: the dependency that installs this package again", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  /** A project whose node_modules holds the package, with npm's hidden lockfile recording `resolved`. */
  function project(resolved: string | undefined): { root: string; project: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pp-installed-"));
    dirs.push(dir);
    const root = path.join(dir, "node_modules", "pulumi-pipelines");
    fs.mkdirSync(root, { recursive: true });
    const entry = resolved === undefined ? { version: "0.2.0" } : { version: "0.2.0", resolved };
    fs.writeFileSync(
      path.join(dir, "node_modules", ".package-lock.json"),
      JSON.stringify({ packages: { "node_modules/pulumi-pipelines": entry } }),
    );
    return { root, project: dir };
  }

  it("from the registry: the version's caret range", () => {
    const { root } = project("https://registry.npmjs.org/pulumi-pipelines/-/pulumi-pipelines-0.2.0.tgz");
    expect(installedFrom(root, "0.2.0")).toBe("^0.2.0");
  });

  it("from a tarball: its absolute path, wherever the new repository is", () => {
    const { root, project: p } = project("file:../downloads/pulumi-pipelines-0.2.0.tgz");
    expect(installedFrom(root, "0.2.0")).toBe(`file:${path.resolve(p, "../downloads/pulumi-pipelines-0.2.0.tgz")}`);
  });

  it("from git: the URL at the commit npm installed", () => {
    const url =
      "git+ssh://git@github.com/pulumi-pipelines/pulumi-pipelines.git#0123456789abcdef0123456789abcdef01234567";
    expect(installedFrom(project(url).root, "0.2.0")).toBe(url);
  });

  it("from a tarball's URL: that URL", () => {
    const url =
      "https://github.com/pulumi-pipelines/pulumi-pipelines/releases/download/v0.2.0/pulumi-pipelines-0.2.0.tgz";
    expect(installedFrom(project(url).root, "0.2.0")).toBe(url);
  });

  it("with no lockfile entry (a global install, another package manager): the caret range", () => {
    const { root } = project(undefined);
    expect(installedFrom(root, "0.2.0")).toBe("^0.2.0");
    fs.rmSync(path.join(path.dirname(root), ".package-lock.json"));
    expect(installedFrom(root, "0.2.0")).toBe("^0.2.0");
  });

  it("a checkout that is no dependency: its folder", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pp-checkout-"));
    dirs.push(dir);
    expect(installedFrom(dir, "0.2.0")).toBe(`file:${dir}`);
  });

  it("specOf leaves git and URL specs as npm resolved them", () => {
    expect(specOf("git+file:///tmp/origin#abc", "1.0.0", "/p")).toBe("git+file:///tmp/origin#abc");
    expect(specOf(undefined, "1.0.0", "/p")).toBe("^1.0.0");
  });
});
