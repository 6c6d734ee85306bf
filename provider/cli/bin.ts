#!/usr/bin/env node
// The `pulumi-pipelines` executable. `compile` is run by Pulumi's YAML language host on every preview and update
// (twice), so it loads only its own modules (half the start-up of loading every command); all else is main.ts.
import { finish } from "./args";

const [command, ...args] = process.argv.slice(2);
finish(
  command === "compile"
    ? import("./compile.js").then((c) => c.compileCommand(args, process.stdout, process.stderr))
    : import("./main.js").then((m) => m.main(process.argv.slice(2))),
);
