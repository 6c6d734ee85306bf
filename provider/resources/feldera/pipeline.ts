import type * as pulumi from "@pulumi/pulumi";
import { readDeclaredFile } from "../../declarations/files";
import type { FelderaPipelineInputs } from "../../declarations/types";
import { DynamicResource, providerSource } from "../dynamicResource";
import type { InputsOf } from "../inputs";
import { type LookupState, lookupInputs } from "../lookup";
import { projectRoot } from "../projectRoot";
import { withSecretDigests } from "../secretArgs";

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

/** The serialized provider (it only delegates to pulumi-pipelines/runtime/feldera/pipelineProvider). */
export const provider = providerSource("pulumi-pipelines/runtime/feldera/pipelineProvider");

export class Pipeline extends DynamicResource {
  declare readonly name: pulumi.Output<string>;
  /** Feldera's program_status: where compiling the SQL stands (Pending, CompilingSql, CompilingRust, Success, or an error). */
  declare readonly programStatus: pulumi.Output<string>;
  /** Feldera's deployment_status: Stopped, Provisioning, Running, Paused, Suspended, Stopping, … */
  declare readonly deploymentStatus: pulumi.Output<string>;
  /** Feldera's storage_status: Cleared, InUse or Clearing (a storage-bound change clears it first). */
  declare readonly storageStatus: pulumi.Output<string>;
  /** Feldera's program_version: raised by every change of the SQL or program config. */
  declare readonly programVersion: pulumi.Output<number>;
  /** Why the pipeline stopped when it failed (`code: message`), "" when it did not; `up` dismisses it by starting it. */
  declare readonly deploymentError: pulumi.Output<string>;
  /** What an update does to the running pipeline (shown by preview). */
  declare readonly updatePlan: pulumi.Output<string>;

  constructor(name: string, args: PipelineArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      provider,
      name,
      opts?.id !== undefined ? lookupInputs(args, OUTPUTS) : withSecretDigests(name, inputsOf(name, args)),
      opts,
      "feldera",
      "Pipeline",
    );
  }

  /** The live pipeline `id` (its name) on `state.target`, read into the stack and never written. */
  static get(name: string, id: pulumi.Input<string>, state: LookupState = {}, opts?: pulumi.CustomResourceOptions) {
    return new Pipeline(name, state as PipelineArgs, { ...opts, id });
  }
}

const OUTPUTS = [
  "name",
  "description",
  "blocks",
  "runtimeConfig",
  "programConfig",
  "udfRust",
  "udfToml",
  "desiredState",
  "tags",
  "programStatus",
  "deploymentStatus",
  "storageStatus",
  "programVersion",
  "deploymentError",
  "updatePlan",
];

function inputsOf(name: string, args: PipelineArgs): Record<string, unknown> {
  const { blocks, udfRustFile, udfTomlFile, ...rest } = args;
  return {
    ...rest,
    blocks: blocks.map((b) => sqlBlock(name, b)),
    udfRust: inlineOrFile(name, "udfRust", args.udfRust, udfRustFile),
    udfToml: inlineOrFile(name, "udfToml", args.udfToml, udfTomlFile),
    programStatus: undefined,
    deploymentStatus: undefined,
    storageStatus: undefined,
    programVersion: undefined,
    deploymentError: undefined,
    updatePlan: undefined,
  };
}

function sqlBlock(resource: string, b: SqlBlockArgs): { name: string; sql: string; file?: string } {
  if ((b.sql === undefined) === (b.sqlFile === undefined))
    throw new Error(`Pipeline ${resource}: block '${b.name}' needs exactly one of sql and sqlFile`);
  if (b.sql !== undefined) return { name: b.name, sql: b.sql };
  return { name: b.name, sql: readFile(resource, b.sqlFile!), file: b.sqlFile };
}

function inlineOrFile(
  resource: string,
  what: string,
  inline: pulumi.Input<string> | undefined,
  file: string | undefined,
): pulumi.Input<string> | undefined {
  if (inline !== undefined && file !== undefined)
    throw new Error(`Pipeline ${resource}: set ${what} or ${what}File, not both`);
  return file !== undefined ? readFile(resource, file) : inline;
}

function readFile(resource: string, file: string): string {
  return readDeclaredFile(projectRoot(), file, `Pipeline ${resource}`);
}
