// The do-nothing floor for the benchmark (npm run bench -- --program noop): the
// scale program's resources, with the same names, inputs and dependencies, as
// dynamic resources whose provider (noopProvider.js) calls no server. What the
// Pulumi CLI, the Node program and the dynamic-provider host cost for this
// graph, so the bench can show what the provider's own code adds to it.
// Like the provider's classes, the resources store a short `__provider` text
// that loads the implementation from the program's directory, so the two
// states are of the same size and only the providers differ.
import * as pulumi from "@pulumi/pulumi";

const PROVIDER = `exports.handler = () => require("node:module").createRequire(process.cwd() + "/")("./noopProvider.js").provider;\n`;

class Noop extends pulumi.CustomResource {
  declare readonly name: pulumi.Output<string>;
  constructor(type: string, name: string, props: pulumi.Inputs) {
    super(`pulumi-nodejs:dynamic/noop:${type}`, name, { ...props, __provider: PROVIDER });
  }
}

/** A resource given where a name goes, as the provider's classes pass it: by its `name` output. */
const byName = (v: unknown): unknown => (Array.isArray(v) ? v.map(byName) : v instanceof Noop ? v.name : v);

const kind = (type: string): (new (name: string, args: Record<string, unknown>) => Noop) =>
  class extends Noop {
    constructor(name: string, args: Record<string, unknown>) {
      super(type, name, Object.fromEntries(Object.entries(args).map(([k, v]) => [k, byName(v)])));
    }
  };

export const Pipeline = kind("Pipeline");
export const Block = kind("Block");
export const Schedule = kind("Schedule");
