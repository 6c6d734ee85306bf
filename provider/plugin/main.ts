#!/usr/bin/env node
// pulumi-resource-pipelines: the provider plugin Pulumi programs in any
// language reach the kinds through (Python, Go, C#, YAML; see README). The
// engine starts it, reads the port it serves on from stdout, and talks gRPC.
import * as fs from "node:fs";
import * as path from "node:path";
import { serve } from "./server";

/** The package root, from dist/provider/plugin/ or provider/plugin/. */
function packageRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, "package.json"))) dir = path.dirname(dir);
  return dir;
}

const root = packageRoot();
const version = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).version as string;

if (process.argv.includes("--version")) {
  process.stdout.write(`${version}\n`);
} else {
  serve(version, () => fs.readFileSync(path.join(root, "schemas", "pulumi.schema.json"), "utf8")).then(
    (port) => process.stdout.write(`${port}\n`),
    (e: Error) => {
      process.stderr.write(`pulumi-resource-pipelines: ${e.message}\n`);
      process.exit(1);
    },
  );
}
