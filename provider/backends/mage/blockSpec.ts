// A Mage block as declared and as read back, in one normalised shape (BlockSpec), so diff compares like with like.

import { sortDeep } from "../shared/json";
import type { SpecInput } from "../shared/specInput";
import type { BlockInfo, BlockLanguage, BlockType, ExecutorType } from "./api";
import { DBT_DERIVED, isDbtModel } from "./blockRules";
import { blockUuid, pipelineUuid } from "./names";

export interface BlockSpec {
  pipeline: string;
  name: string;
  type: BlockType;
  language: BlockLanguage;
  code: string;
  upstream: string[];
  configuration: Record<string, unknown>;
  extensionUuid: string;
  /** Mage's RetryConfig keys; `{}` when unset (Mage stores null). */
  retryConfig: Record<string, unknown>;
  timeout: number | null;
  /** local_python when unset: Mage creates blocks with it, and runs null or local_python on the pipeline's executor. */
  executorType: ExecutorType;
  color: string | null;
}

/** What normalizeBlock takes: the spec, its defaults optional (code: none for global_data_product blocks). */
export type BlockInput = SpecInput<BlockSpec, "pipeline" | "name" | "type">;

/** The settings as a block nobody configured has them (what Mage's create gives it). */
export function unsetBlockSettings(): Pick<BlockSpec, "retryConfig" | "timeout" | "executorType" | "color"> {
  const { retryConfig, timeout, executorType, color } = normalizeBlock({
    pipeline: "",
    name: "",
    type: "custom",
    code: "",
  });
  return { retryConfig, timeout, executorType, color };
}

/** `pipeline` and `upstream` may be names or uuids; both normalise to uuids. */
export function normalizeBlock(input: BlockInput): BlockSpec {
  return {
    pipeline: pipelineUuid(input.pipeline),
    name: input.name,
    type: input.type,
    language: input.language ?? "python",
    code: input.code ?? "",
    upstream: (input.upstream ?? []).map(blockUuid),
    configuration: sortDeep(declaredConfiguration(input)) as Record<string, unknown>,
    extensionUuid: input.extensionUuid ?? "",
    retryConfig: sortDeep(input.retryConfig ?? {}) as Record<string, unknown>,
    timeout: input.timeout ?? null,
    executorType: input.executorType ?? "local_python",
    color: input.color ?? null,
  };
}

function declaredConfiguration(
  input: Pick<BlockInput, "type" | "language" | "configuration">,
): Record<string, unknown> {
  const all = input.configuration ?? {};
  if (input.type !== "dbt") return all;
  const derived = isDbtModel(input) ? DBT_DERIVED.model : DBT_DERIVED.command;
  return Object.fromEntries(Object.entries(all).filter(([k]) => !derived.includes(k)));
}

export function blockFromRemote(pipeline: string, remote: BlockInfo): BlockSpec {
  return normalizeBlock({
    pipeline,
    // A dbt model is known by its path (its uuid), whatever name the editor showed when it was added.
    name: isDbtModel(remote) ? remote.uuid : remote.name,
    type: remote.type,
    language: remote.language,
    code: remote.content ?? "",
    upstream: remote.upstream_blocks ?? [],
    configuration: remote.configuration ?? {},
    extensionUuid: remote.extension_uuid ?? "",
    // Mage's null is no setting: the default, as a declaration without one.
    retryConfig: remote.retry_config ?? undefined,
    timeout: remote.timeout,
    executorType: remote.executor_type ?? undefined,
    color: remote.color,
  });
}
