// Loads the YAML declarations under a folder and registers their resources.
// Invalid declarations fail with every error, before any resource (and so
// before any call to a server) exists.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { formatError } from "../spec/errors";
import { loadPaths } from "../spec/loader";
import { deployFeldera } from "./feldera";
import { deployIonworks } from "./ionworks";
import { deployMage } from "./mage";

/** `root` is the Pulumi project directory: error paths and code files are given relative to it. */
export function deploy(folder: string, root: string): void {
  const result = loadPaths([folder]);
  const rel = (file: string) => path.relative(root, file) || file;
  if (result.errors.length) {
    const lines = result.errors.map((e) => formatError({ ...e, file: rel(e.file) }));
    throw new pulumi.RunError(`${result.errors.length} error(s) in the pipeline declarations:\n${lines.join("\n")}`);
  }
  if (!result.files.length) pulumi.log.warn(`no *.yaml declarations under ${rel(folder)}`);
  for (const p of result.pipelines) {
    if (p.decl.engine === "mage") deployMage(p.decl, p.dir, root);
    else if (p.decl.engine === "feldera") deployFeldera(p.decl, p.dir, root);
  }
  // Ionworks pipelines may take each other's results: created together, in dependency order.
  deployIonworks(result.pipelines.flatMap((p) => (p.decl.engine === "ionworks" ? [p.decl] : [])));
}
