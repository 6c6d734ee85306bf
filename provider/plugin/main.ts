#!/usr/bin/env node
// pulumi-resource-pipelines: the provider plugin Pulumi programs in any
// language reach the kinds through (Python, Go, YAML; see docs/languages.md).
// The engine starts it, reads the port it serves on from stdout, and talks
// gRPC. It runs from the npm package (node_modules/.bin) or as the single
// executable of the plugin archive (scripts/pluginArchive.ts); its version is
// the schema's.
import { readSchema } from "./schema";
import { serve } from "./server";

const schema = readSchema();
const version = (JSON.parse(schema) as { version: string }).version;

if (process.argv.includes("--version")) {
  process.stdout.write(`${version}\n`);
} else {
  serve(version, () => schema).then(
    (port) => process.stdout.write(`${port}\n`),
    (e: Error) => {
      process.stderr.write(`pulumi-resource-pipelines: ${e.message}\n`);
      process.exit(1);
    },
  );
}
