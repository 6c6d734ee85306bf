// The two resource families a kind can be registered in: `dynamic`, the TypeScript classes (Pulumi's Node
// dynamic-provider host runs the kind in the program's process); `plugin`, the Pulumi package's own type
// (`pipelines:<engine>:<Kind>`), served by the provider plugin as Python, Go and Pulumi YAML programs use it.
// The GitOps program registers its declarations in the family stack config `pipelines:family` names.
// No Pulumi import here: the CLI reads these without loading the SDK.

export const FAMILIES = ["plugin", "dynamic"] as const;
export type Family = (typeof FAMILIES)[number];

export const isFamily = (value: unknown): value is Family => (FAMILIES as readonly unknown[]).includes(value);

/**
 * The family when `pipelines:family` is not set: `dynamic`, the one every stack had before the setting existed,
 * so a stack keeps its resources until it moves them. `init` writes `plugin` for a new repository.
 */
export const DEFAULT_FAMILY: Family = "dynamic";
