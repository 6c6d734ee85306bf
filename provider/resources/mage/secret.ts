import type * as pulumi from "@pulumi/pulumi";
import type { MageSecretInputs } from "../../declarations/types";
import { DynamicResource, providerSource } from "../dynamicResource";
import type { InputsOf } from "../inputs";
import { withSecretDigests } from "../secretArgs";

/** A secret in Mage's secrets store (see MageSecretInputs); blocks read it with get_secret_value('<name>'). */
export interface SecretArgs extends InputsOf<MageSecretInputs> {}

export const provider = providerSource("pulumi-pipelines/runtime/mage/secretProvider");

export class Secret extends DynamicResource {
  declare readonly name: pulumi.Output<string>;
  declare readonly target: pulumi.Output<string>;

  constructor(name: string, args: SecretArgs, opts?: pulumi.CustomResourceOptions) {
    super(provider, name, withSecretDigests(name, { ...args }), opts, "mage", "Secret");
  }
}
