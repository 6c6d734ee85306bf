// What the engine sends over the provider protocol besides values: URNs and the
// stack config variables. Secrets on the wire: declarations/secrets.ts.

/** The kind of a resource from its URN (`urn:pulumi:stack::project::parent$pipelines:mage:Block::name`). */
export function typeOfUrn(urn: string): string {
  return urn.split("::")[2]?.split("$").pop() ?? "";
}

/** Stack config as the engine hands it to Configure (`pipelines:config:targets`), read as `pipelines:targets`. */
export function configVariables(variables: Iterable<[string, string]>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of variables) out.set(key.replace(/^([^:]+):config:/, "$1:"), value);
  return out;
}
