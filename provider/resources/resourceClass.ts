// The one resource class every kind's TypeScript class is made from (resources/<engine>/index.ts): a dynamic
// resource whose inputs are the args with files read, resources given by name, and the digests of the secrets they
// reference; whose outputs are every input and the kind's own outputs; and whose static get() reads a live object
// by id. What differs between kinds is the descriptor (kind.ts), not code here.
import * as pulumi from "@pulumi/pulumi";
import { DynamicResource } from "./dynamicResource";
import { type Kind, type OutputField, providerModule, providerSource, readFiles, registeredFields } from "./kind";
import { type LookupState, lookupInputs } from "./lookup";
import { projectRoot } from "./projectRoot";
import { withSecretDigests } from "./secretArgs";

type TsType<T extends OutputField["type"]> = T extends "number"
  ? number
  : T extends "string[]"
    ? string[]
    : T extends "Record<string, string>"
      ? Record<string, string>
      : T extends "Record<string, unknown>"
        ? Record<string, unknown>
        : string;

/** A kind's typed outputs: every input as the server holds it, and the kind's own outputs. */
export type OutputsOf<Inputs, Outputs extends Readonly<Record<string, OutputField>>> = {
  readonly [K in keyof Inputs]-?: pulumi.Output<Exclude<Inputs[K], undefined>>;
} & { readonly [K in keyof Outputs]: pulumi.Output<TsType<Outputs[K]["type"]>> };

/** The class of a kind, as TypeScript programs use it (`new mage.Block(name, args, opts)`, `mage.Block.get(…)`). */
export interface ResourceClass<Args, Instance> {
  new (name: string, args: Args, opts?: pulumi.CustomResourceOptions): Instance;
  /** The live object `id` on `state.target` (and for Mage blocks and triggers `state.pipeline`), read into the stack and never written. */
  get(name: string, id: pulumi.Input<string>, state?: LookupState, opts?: pulumi.CustomResourceOptions): Instance;
}

/** The provider text a kind's resources store in state: it loads the kind's provider module at call time. */
export const providerText = (kind: Pick<Kind, "engine" | "name">): string => providerSource(providerModule(kind));

export function resourceClass<Args extends object, Instance extends DynamicResource>(
  kind: Kind,
): ResourceClass<Args, Instance> {
  const provider = providerText(kind);
  const outputs = registeredFields(kind);
  const secretOutputs = kind.secretOutputs?.length ? { additionalSecretOutputs: [...kind.secretOutputs] } : {};

  class Resource extends DynamicResource {
    constructor(name: string, args: Args, opts?: pulumi.CustomResourceOptions) {
      const inputs =
        opts?.id !== undefined
          ? lookupInputs(args as LookupState, outputs)
          : withSecretDigests(name, { ...unset(outputs), ...inputsOf(kind, name, args as Record<string, unknown>) });
      super(provider, name, inputs, pulumi.mergeOptions(opts, secretOutputs), kind.engine, kind.name);
    }

    static get(name: string, id: pulumi.Input<string>, state: LookupState = {}, opts?: pulumi.CustomResourceOptions) {
      return new Resource(name, state as Args, { ...opts, id });
    }
  }
  Object.defineProperty(Resource, "name", { value: kind.name });
  return Resource as unknown as ResourceClass<Args, Instance>;
}

/** Every output registered, so each typed property is an Output; those not given are filled in by the provider. */
const unset = (keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, undefined]));

/**
 * The args as the provider's inputs: files read (relative to the Pulumi project), and a resource given where a
 * name goes (a block's pipeline, its upstream blocks) as that resource's name. By name, not uuid: a name is an
 * input, so it stays known while the referenced resource is being updated in a preview.
 */
function inputsOf(kind: Kind, name: string, args: Record<string, unknown>): Record<string, unknown> {
  const byName = (v: unknown) => (pulumi.CustomResource.isInstance(v) ? (v as { name?: unknown }).name : v);
  const given = Object.fromEntries(
    Object.entries(args).map(([k, v]) => [k, Array.isArray(v) ? v.map(byName) : byName(v)]),
  );
  return readFiles(kind, given, projectRoot(), `${kind.name} ${name}`);
}
