// Feature detection at check(): a declaration that uses what the target's Mage lacks fails the preview, before any
// write, with the field, the feature and the first version that has it. The server is asked its version only when
// a declaration sets such a feature to a new value (what state already holds, the server took), once per server:
// a preview with nothing to write asks the server nothing.
import { mageClient } from "../../backends/mage/client";
import { type Feature, missingFeatures, serverVersion, usesFeature } from "../../backends/mage/features";
import { sameJson } from "../../backends/shared/json";
import { mageTarget, type TargetSource } from "../config";
import { containsUnknown } from "../diff";
import type { CheckFailure } from "../validate";

export async function featureFailures(
  features: readonly Feature[],
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  targets: TargetSource,
): Promise<CheckFailure[]> {
  const used = features.filter(
    (f) => !containsUnknown(news) && usesFeature(f, news) && !sameJson(f.value(olds), f.value(news)),
  );
  if (!used.length) return [];
  let client: ReturnType<typeof mageClient>;
  try {
    client = mageClient(mageTarget(targets, news.target as string | undefined));
  } catch {
    return []; // an unknown target is said when the resource is made
  }
  const version = await serverVersion(client);
  if (!version) return [];
  return missingFeatures(used, news, version, client.url).map((m) => ({ property: m.field, reason: m.message }));
}
