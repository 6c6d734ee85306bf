// Mage's own secrets store (/api/secrets): values encrypted in Mage's
// database, read by blocks with get_secret_value('<name>'). Mage 0.9.80 lets
// a client list (names only), create and delete them, nothing else
// (mage_ai/api/policies/SecretPolicy.py): a value is never read back, and a
// new value is a delete and a create. Names are unique per key
// (orchestration/db/models/secrets.py), so a create of a taken name fails.
import type { MageClient } from "./client";
import { isNotFound } from "./errors";

export interface SecretSpec {
  name: string;
  /** The value (the provider substitutes it for the declaration's reference just for the request). */
  value: string;
}

/** GET /api/secrets → {secrets: [{id, name}]} (SecretPresenter). */
interface SecretList {
  secrets: { id: number; name: string }[];
}

export async function secretExists(client: MageClient, name: string): Promise<boolean> {
  const { secrets } = await client.call<SecretList>("GET", "/api/secrets");
  return secrets.some((s) => s.name === name);
}

/** With `adopt`, a secret of that name already there is replaced; without, it is an error. */
export async function createSecret(
  client: MageClient,
  spec: SecretSpec,
  opts: { adopt?: boolean } = {},
): Promise<void> {
  if (await secretExists(client, spec.name)) {
    if (!opts.adopt)
      throw new Error(
        `Mage already has a secret '${spec.name}'; set adopt: true to take it over (its value is replaced)`,
      );
    await deleteSecret(client, spec.name);
  }
  await postSecret(client, spec);
}

/** A new value: Mage has no update for secrets. */
export async function replaceSecretValue(client: MageClient, spec: SecretSpec): Promise<void> {
  await deleteSecret(client, spec.name);
  await postSecret(client, spec);
}

function postSecret(client: MageClient, spec: SecretSpec): Promise<unknown> {
  return client.call("POST", "/api/secrets", { body: { secret: { name: spec.name, value: spec.value } } });
}

export async function deleteSecret(client: MageClient, name: string): Promise<void> {
  try {
    await client.call("DELETE", `/api/secrets/${encodeURIComponent(name)}`);
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}
