// The fields of each Mage spec, as declarations name them: shared by the
// resource classes (which the program loads, so this module imports nothing)
// and the providers.

export const PIPELINE_FIELDS = [
  "name",
  "type",
  "description",
  "tags",
  "variables",
  "retryConfig",
  "concurrencyConfig",
  "executorType",
  "runPipelineInOneProcess",
  "cacheBlockOutputInMemory",
  "settings",
] as const;

export const BLOCK_FIELDS = [
  "pipeline",
  "name",
  "type",
  "language",
  "code",
  "upstream",
  "configuration",
  "extensionUuid",
  "retryConfig",
  "timeout",
  "executorType",
  "color",
] as const;

/** A trigger's outputs that let anyone run the pipeline (the API trigger's token, and the URL that carries it): secret. */
export const TRIGGER_SECRET_OUTPUTS = ["token", "runUrl"] as const;
