#!/usr/bin/env node
// pulumi-analyzer-policy-pipelines: how Pulumi starts a policy pack whose PulumiPolicy.yaml says `runtime:
// pipelines`. A runtime with no language host is run by the program `pulumi-analyzer-policy-<runtime>` (found in
// Pulumi.yaml's plugins.analyzers or on PATH), in the pack's folder, given the engine's address (pulumi
// sdk/go/common/resource/plugin/analyzer_plugin.go). It runs the pack as Pulumi's Node host does
// (@pulumi/pulumi's cmd/run-policy-pack), so a pack runs the same under any Pulumi CLI, including one whose Node
// language host cannot run policy packs; and Pulumi hands it the stack's name and config (PULUMI_STACK,
// PULUMI_CONFIG), which the rules read per stack.
import * as fs from "node:fs";
import * as path from "node:path";

const [engine] = process.argv.slice(2);
// The package's own pack is main.ts beside this file; any other pack folder runs its package.json's main.
const root = path.resolve(__dirname, "..", "..", "..");
const ours = fs.realpathSync(process.cwd()) === fs.realpathSync(root);
const program = ours ? path.join(__dirname, "main.js") : ".";
const from = { paths: [process.cwd(), __dirname] };
const resolved = (id: string) => {
  try {
    return require.resolve(id, from);
  } catch {
    return undefined;
  }
};
const runner = resolved("@pulumi/pulumi/cmd/run-policy-pack");
if (!runner || !resolved("@pulumi/policy")) {
  process.stderr.write(
    `pulumi-analyzer-policy-pipelines: the policy pack in ${process.cwd()} needs @pulumi/pulumi and @pulumi/policy ` +
      "installed where it can find them: npm install --save-dev @pulumi/policy\n",
  );
  process.exit(1);
}
process.argv = [process.argv[0], runner, engine, program];
require(runner);
