// What a Mage block declaration must satisfy beyond its schema, as (field path, problem) lists:
// called by the YAML check and the provider's check() alike, so both say the same.

import { blockUuid } from "./names";

/** A dbt model block: Mage's uuid for it is the model file's path in the project, without `.sql`. */
export function isDbtModel(spec: { type: string; language?: string }): boolean {
  return spec.type === "dbt" && spec.language === "sql";
}

/**
 * Configuration keys Mage fills in for dbt blocks from what is declared (the
 * model's path, the command block's own file): neither declared nor compared.
 */
export const DBT_DERIVED = { model: ["file_path", "file_source", "dbt_project_name"], command: ["file_source"] };

/** A block field's problem; `key` when the field itself should go (an error points at its key). */
export interface BlockProblem {
  path: string[];
  message: string;
  key?: boolean;
}

/**
 * What a dbt block needs beyond its schema, as a list of (field path, problem):
 * shared by the YAML check and the provider's, so both say the same.
 */
export function dbtProblems(b: {
  name: string;
  type: string;
  language?: string;
  configuration?: Record<string, unknown>;
}): BlockProblem[] {
  if (b.type !== "dbt") return [];
  if (b.language !== "sql" && b.language !== "yaml")
    return [{ path: ["language"], message: "a dbt block is a model (language sql) or a dbt command (language yaml)" }];
  const out: BlockProblem[] = [];
  const model = b.language === "sql";
  if (model && (blockUuid(b.name) !== b.name || !b.name.startsWith("dbt/") || b.name.endsWith(".sql")))
    out.push({
      path: ["name"],
      message:
        "a dbt model block's name is its model file's path in the Mage project without .sql (Mage's uuid for it), e.g. dbt/demo/models/orders",
    });
  if (!model && typeof b.configuration?.dbt_project_name !== "string")
    out.push({
      path: ["configuration"],
      message: "a dbt command block names its dbt project in configuration.dbt_project_name (e.g. dbt/demo)",
    });
  for (const key of model ? DBT_DERIVED.model : DBT_DERIVED.command)
    if (b.configuration?.[key] !== undefined)
      out.push({
        path: ["configuration", key],
        message: `Mage sets it from the block's ${model ? "name" : "own file"}: leave it out`,
        key: true,
      });
  return out;
}

const GDP_NO_CODE = "a global_data_product block has no code; Mage runs the global data product it names";

/**
 * A global_data_product block has no code and names its product; no other
 * block names one. As (field path, problem), for the YAML check and the
 * provider's alike (the provider sees codeFile as code).
 */
export function dataProductProblems(b: {
  type: string;
  code?: unknown;
  codeFile?: unknown;
  configuration?: Record<string, unknown>;
}): BlockProblem[] {
  const product = b.configuration?.global_data_product;
  if (b.type !== "global_data_product")
    return product === undefined
      ? []
      : [
          {
            path: ["configuration", "global_data_product"],
            message: `applies to global_data_product blocks only, not '${b.type}'`,
            key: true,
          },
        ];
  const out: BlockProblem[] = (["code", "codeFile"] as const)
    .filter((key) => b[key] !== undefined && b[key] !== "")
    .map((key) => ({ path: [key], message: `${GDP_NO_CODE}: leave it out`, key: true }));
  if (product === undefined)
    out.push({
      path: ["configuration"],
      message: "global_data_product blocks name the product Mage runs in configuration.global_data_product.uuid",
    });
  return out;
}
