// Feldera's resource class, made from its kind's descriptor (./pipeline.ts) by the one class factory.
import type { FelderaPipelineInputs } from "../../declarations/types";
import type { DynamicResource } from "../dynamicResource";
import type { InputsOf } from "../inputs";
import { type OutputsOf, resourceClass } from "../resourceClass";
import { kind } from "./pipeline";

export type { DesiredState } from "../../backends/feldera/pipeline";

export interface SqlBlockArgs {
  name: string;
  /** SQL, inline. Exactly one of sql and sqlFile. */
  sql?: string;
  /** A .sql file, relative to the Pulumi project directory. */
  sqlFile?: string;
}

/** The declaration's fields (see FelderaPipelineInputs); SQL and UDFs may come from files. */
export interface PipelineArgs extends InputsOf<Omit<FelderaPipelineInputs, "blocks">> {
  /** SQL fragments, assembled in this order into the program. */
  blocks: SqlBlockArgs[];
  /** Rust UDF source file, relative to the Pulumi project directory. */
  udfRustFile?: string;
  /** Cargo.toml dependencies file, relative to the Pulumi project directory. */
  udfTomlFile?: string;
}
export type Pipeline = DynamicResource & OutputsOf<FelderaPipelineInputs, typeof kind.outputs>;
export const Pipeline = resourceClass<PipelineArgs, Pipeline>(kind);
