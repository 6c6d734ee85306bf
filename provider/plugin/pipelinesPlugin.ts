// The provider plugin's adapter: the provider protocol's calls, as plain
// functions over JSON, onto the same kinds the dynamic resources use
// (resources/kinds.ts), through the same calls (resources/kindCalls.ts). What
// a dynamic resource's class does in the program happens here in check():
// files read into their content (the kind's file fields), and the digests
// that let a new secret value show as a change. Outputs that are secret go
// back marked so.

import { sameJson } from "../backends/shared/json";
import { markSecret, SECRET_DIGESTS, secretDigests, secretKeys, secretNames, unwrap } from "../declarations/secrets";
import type { TargetSource } from "../resources/config";
import { FileFieldError, importRefusal, readFiles } from "../resources/kind";
import { callsOf, type KindCalls } from "../resources/kindCalls";
import { KINDS, RESOURCE_TYPES, type ResourceType, resourceTypeOf, tokenOf } from "../resources/kinds";
import { projectRoot } from "../resources/projectRoot";
import type { CheckFailure } from "../resources/validate";

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
  /** Each kind's calls, as every adapter shares them. */
  private readonly calls = Object.fromEntries(RESOURCE_TYPES.map((t) => [t, callsOf(KINDS[t])])) as Record<
    ResourceType,
    KindCalls
  >;

  /** Stack config (`pipelines:targets`, `pipelines:secrets`, `pipelines:mage`, …), decrypted by the engine. */
  async configure(config: ReadonlyMap<string, string>): Promise<void> {
    this.targets = { config: { get: (key: string) => config.get(key) } };
  }

  async check(token: string, olds: Props, news: Props): Promise<{ inputs: Props; failures: CheckFailure[] }> {
    const type = kindOfToken(token);
    const secret = secretKeys(news);
    let given: Props;
    try {
      given = readFiles(KINDS[type], unwrap(news) as Props, projectRoot(), `${KINDS[type].name} ${String(news.name)}`);
    } catch (e) {
      if (!(e instanceof FileFieldError)) throw e;
      return { inputs: news, failures: [{ property: e.field, reason: e.message }] };
    }
    const { [SECRET_DIGESTS]: _stale, ...declared } = given;
    // One that does not resolve is reported by check() at each place that uses it.
    const digests = secretDigests(secretNames(declared), this.targets, () => undefined);
    const inputs = Object.keys(digests).length ? { ...declared, [SECRET_DIGESTS]: digests } : declared;
    const result = await this.calls[type].check(unwrap(olds) as Props, inputs, this.targets);
    return { inputs: markSecret(result.inputs, [...secret, SECRET_DIGESTS]), failures: result.failures };
  }

  async diff(token: string, _id: string, olds: Props, news: Props): Promise<DiffResult> {
    const { changes, replaces, deleteBeforeReplace } = this.calls[kindOfToken(token)].diff(
      unwrap(olds) as Props,
      unwrap(news) as Props,
    );
    return { changes, replaces, deleteBeforeReplace };
  }

  async create(token: string, inputs: Props): Promise<{ id: string; outs: Props }> {
    const type = kindOfToken(token);
    const { id, outs } = await this.calls[type].create(unwrap(inputs) as Props, this.targets);
    return { id, outs: markSecret(outs, secretFields(type, inputs)) };
  }

  /** Refresh, and import (no state yet): the object as the server holds it, and the inputs that declare it. */
  async read(token: string, id: string, props: Props): Promise<{ id: string; props?: Props; inputs?: Props }> {
    const type = kindOfToken(token);
    const importing = !Object.keys(props).length;
    const refusal = importRefusal(KINDS[type]);
    // Its reading would give no declaration to write (a secret's value never comes back): say so, not "missing".
    if (importing && refusal) throw new Error(`${token} cannot be imported or looked up: ${refusal}`);
    const found = await this.calls[type].read(id, unwrap(props) as Props, this.targets);
    if (!found.id) return { id: "" };
    const secret = secretFields(type, props);
    // An import's inputs are what a declaration writes: a field the server leaves unset (null, or the value
    // the kind says means unset) is left out, so the generated code says only what was set.
    const inputs = found.inputs && importing ? withoutUnset(found.inputs, KINDS[type].addedKeys ?? {}) : found.inputs;
    return {
      id: found.id,
      props: found.props && markSecret(found.props, secret),
      inputs: inputs && markSecret(inputs, secret),
    };
  }

  async update(token: string, id: string, olds: Props, news: Props): Promise<Props> {
    const type = kindOfToken(token);
    const { outs } = await this.calls[type].update(id, unwrap(olds) as Props, unwrap(news) as Props, this.targets);
    return markSecret(outs, secretFields(type, news));
  }

  async delete(token: string, id: string, props: Props): Promise<void> {
    await this.calls[kindOfToken(token)].delete(id, unwrap(props) as Props, this.targets);
  }
}

/** What goes back secret: what came in secret, the kind's always-secret outputs, and the digests. */
const secretFields = (type: ResourceType, given: Props): string[] => [
  ...secretKeys(given),
  ...(KINDS[type].secretOutputs ?? []),
  SECRET_DIGESTS,
];

const withoutUnset = (props: Props, unset: Readonly<Props>): Props =>
  Object.fromEntries(Object.entries(props).filter(([k, v]) => v !== null && !(k in unset && sameJson(v, unset[k]))));
