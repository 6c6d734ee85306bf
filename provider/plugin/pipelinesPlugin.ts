// The provider plugin's adapter: the provider protocol's calls, as plain
// functions over JSON, onto the same kinds the dynamic resources use
// (resources/kinds.ts). Every rule, diff and backend call is the kinds' own;
// what this adds is what a dynamic resource's class does in the program: the
// secret digests that let a new secret value show as a change, a block's
// codeFile read into its code, and outputs that are secret marked so.

import { sameJson } from "../backends/shared/json";
import { readDeclaredFile } from "../declarations/files";
import { markSecret, SECRET_DIGESTS, secretDigests, secretKeys, secretNames, unwrap } from "../declarations/secrets";
import type { TargetSource } from "../resources/config";
import { type CheckFailure, type Kind, type KindProvider, kindProvider } from "../resources/kindProvider";
import { KINDS, RESOURCE_TYPES, type ResourceType, resourceTypeOf, tokenOf } from "../resources/kinds";
import { projectRoot } from "../resources/projectRoot";

type Props = Record<string, unknown>;

export interface DiffResult {
  changes?: boolean;
  replaces?: string[];
  deleteBeforeReplace?: boolean;
}

/** The kind a type token names (`pipelines:mage:Block`); anything else is not this package's. */
export function kindOfToken(token: string): ResourceType {
  const type = resourceTypeOf(token);
  if (!type || tokenOf(type) !== token)
    throw new Error(`unknown resource type '${token}' (this plugin serves ${RESOURCE_TYPES.map(tokenOf).join(", ")})`);
  return type;
}

export class PipelinesPlugin {
  private targets: TargetSource = {};
  /** Each kind's provider, made from the kinds' table for this plugin (one per provider instance of a stack). */
  private readonly providers = Object.fromEntries(
    RESOURCE_TYPES.map((t) => [t, kindProvider(KINDS[t].kind as Kind<object>)]),
  ) as Record<ResourceType, KindProvider>;

  /** Stack config (`pipelines:targets`, `pipelines:secrets`, `pipelines:mage`, …), decrypted by the engine. */
  async configure(config: ReadonlyMap<string, string>): Promise<void> {
    const source = { get: (key: string) => config.get(key) };
    this.targets = { config: source };
    // Each kind's provider keeps the config it is handed, as the dynamic provider host hands it.
    for (const provider of Object.values(this.providers))
      await provider.configure?.({ config: source } as Parameters<NonNullable<KindProvider["configure"]>>[0]);
  }

  async check(token: string, olds: Props, news: Props): Promise<{ inputs: Props; failures: CheckFailure[] }> {
    const type = kindOfToken(token);
    const secret = secretKeys(news);
    let given: Props;
    try {
      given = withDeclaredCode(type, unwrap(news) as Props);
    } catch (e) {
      return { inputs: news, failures: [{ property: "codeFile", reason: (e as Error).message }] };
    }
    const { [SECRET_DIGESTS]: _stale, ...declared } = given;
    // One that does not resolve is reported by check() at each place that uses it.
    const digests = secretDigests(secretNames(declared), this.targets, () => undefined);
    const inputs = Object.keys(digests).length ? { ...declared, [SECRET_DIGESTS]: digests } : declared;
    const result = await this.providers[type].check!(unwrap(olds) as Props, inputs);
    return {
      inputs: markSecret(result.inputs ?? inputs, [...secret, SECRET_DIGESTS]),
      failures: [...(result.failures ?? [])],
    };
  }

  async diff(token: string, id: string, olds: Props, news: Props): Promise<DiffResult> {
    const result = await this.providers[kindOfToken(token)].diff!(id, unwrap(olds), unwrap(news));
    return {
      changes: result.changes,
      replaces: result.replaces ? [...result.replaces] : [],
      deleteBeforeReplace: result.deleteBeforeReplace,
    };
  }

  async create(token: string, inputs: Props): Promise<{ id: string; outs: Props }> {
    const type = kindOfToken(token);
    const { id, outs } = await this.providers[type].create!(unwrap(inputs));
    return { id, outs: markSecret(outs, secretFields(type, inputs)) };
  }

  /** Refresh, and import (no state yet): the object as the server holds it, and the inputs that declare it. */
  async read(token: string, id: string, props: Props): Promise<{ id: string; props?: Props; inputs?: Props }> {
    const type = kindOfToken(token);
    const found = await this.providers[type].read!(id, unwrap(props));
    if (!found.id) return { id: "" };
    const secret = secretFields(type, props);
    // An import's inputs are what a declaration writes: a field the server leaves unset (null, or the value
    // the kind says means unset) is left out, so the generated code says only what was set.
    const importing = !Object.keys(props).length;
    const inputs =
      found.inputs && importing ? withoutUnset(found.inputs as Props, KINDS[type].kind.addedKeys ?? {}) : found.inputs;
    return {
      id: found.id,
      props: found.props && markSecret(found.props, secret),
      inputs: inputs && markSecret(inputs, secret),
    };
  }

  async update(token: string, id: string, olds: Props, news: Props): Promise<Props> {
    const type = kindOfToken(token);
    const { outs } = await this.providers[type].update!(id, unwrap(olds), unwrap(news));
    return markSecret(outs, secretFields(type, news));
  }

  async delete(token: string, id: string, props: Props): Promise<void> {
    await this.providers[kindOfToken(token)].delete!(id, unwrap(props));
  }
}

/** What goes back secret: what came in secret, the kind's always-secret outputs, and the digests. */
const secretFields = (type: ResourceType, given: Props): string[] => [
  ...secretKeys(given),
  ...(KINDS[type].kind.secretOutputs ?? []),
  SECRET_DIGESTS,
];

const withoutUnset = (props: Props, unset: Readonly<Props>): Props =>
  Object.fromEntries(Object.entries(props).filter(([k, v]) => v !== null && !(k in unset && sameJson(v, unset[k]))));

/** A block's codeFile read into its code, as the Block class reads it (relative to the Pulumi project). */
function withDeclaredCode(type: ResourceType, news: Props): Props {
  if (type !== "mage:Block" || typeof news.codeFile !== "string" || news.code !== undefined) return news;
  return { ...news, code: readDeclaredFile(projectRoot(), news.codeFile, `block '${news.name}'`) };
}
