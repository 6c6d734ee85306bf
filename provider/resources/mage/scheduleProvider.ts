// The stable module the provider text in state loads (pulumi-pipelines/runtime/mage/…): the kind's dynamic provider.
import { kindProvider } from "../kindProvider";
import { kind } from "./schedule";

export const provider = kindProvider(kind);
