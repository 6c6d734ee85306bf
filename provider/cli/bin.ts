#!/usr/bin/env node
// The `pulumi-pipelines` executable. `compile` is run by Pulumi's YAML language host on every preview and update
// (twice), so it loads only its own modules (half the start-up of loading every command); all else is main.ts.
import * as nodeModule from "node:module";
import { finish } from "./args";

// Node 22.1 and later keep the compiled code of what follows between runs (Pulumi runs `compile` on every command);
// earlier Node has no such cache and goes on without it.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const [command, ...args] = process.argv.slice(2);
finish(
  command === "compile"
    ? import("./compile.js").then((c) => c.compileCommand(args, process.stdout, process.stderr))
    : import("./main.js").then((m) => m.main(process.argv.slice(2))),
);
