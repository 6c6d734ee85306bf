// mage.Secret: a value in Mage's secrets store, from a secret reference. Mage never gives a value back, so refresh
// sees whether the secret exists, not what it holds; a new value (its digest changed) is written again.
import { mageClient } from "../../backends/mage/client";
import { createSecret, deleteSecret, replaceSecretValue, secretExists } from "../../backends/mage/secret";
import { isSecretRef, KIND_SECRET_PLACES, type SecretRef } from "../../declarations/secrets";
import { DEFAULT_MAGE_TARGET, mageTarget, type TargetSource } from "../config";
import type { Kind } from "../kind";

/** `value` is the reference in state; the backend gets the value in its place. */
type State = { target: string; name: string; value: SecretRef | string };

const client = (targets: TargetSource, state: { target?: unknown }) =>
  mageClient(mageTarget(targets, state.target as string));

/** The kind's descriptor (resources/kind.ts): what every path derives this resource from. */
export const kind: Kind<State> = {
  engine: "mage",
  name: "Secret",
  outputs: {},
  doc: {
    page: "mage-secret.md",
    summary: "A secret in Mage's secrets store, its value taken from stack config or the environment.",
    yaml: "an entry of the file's top-level `secrets:`",
    importId: "none: Mage never returns a secret's value, so declare it with `adopt: true` instead",
  },
  replaceKeys: ["target", "name"],
  identity: { keys: ["target", "name"], of: (s) => `${s.target}/${s.name}` },
  passthrough: ["adopt"],
  secrets: KIND_SECRET_PLACES["mage:Secret"],
  inputs: "MageSecretInputs",
  // The value is a reference and nothing else: checked as written, not as the string it stands for.
  checkAsWritten: true,
  validate: (news) =>
    news.value !== undefined && !isSecretRef(news.value)
      ? [{ property: "value", reason: "must be a secret reference ({ secret: NAME }), so state never holds the value" }]
      : [],
  normalize: (news) => ({
    target: (news.target as string) ?? DEFAULT_MAGE_TARGET,
    name: news.name as string,
    value: news.value as SecretRef,
  }),
  async create(spec, inputs, targets) {
    await createSecret(
      client(targets, spec),
      { name: spec.name, value: spec.value as string },
      {
        adopt: inputs.adopt === true,
      },
    );
    return { id: spec.name };
  },
  async read(id, state, targets) {
    if (!(await secretExists(client(targets, state), id))) return undefined;
    // What it holds cannot be read: the state's reference stands.
    return { spec: { target: state.target as string, name: id, value: state.value as SecretRef } };
  },
  update: async (id, _old, next, _state, targets) => {
    await replaceSecretValue(client(targets, next), { name: id, value: next.value as string });
    return undefined;
  },
  delete: (id, state, targets) => deleteSecret(client(targets, state), id),
};
