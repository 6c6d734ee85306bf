// Values as the engine sends and takes them over the provider protocol, in the
// plain JSON the kinds work on. A secret travels as an object with Pulumi's
// signature key; the kinds never see one, and what was secret goes back secret.

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";

const isSecret = (v: unknown): v is { value: unknown } =>
  !!v && typeof v === "object" && (v as Record<string, unknown>)[SIG] === SECRET;

/** A value with every secret replaced by what it holds. */
export function unwrap(value: unknown): unknown {
  if (isSecret(value)) return unwrap(value.value);
  if (Array.isArray(value)) return value.map(unwrap);
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrap(v)]));
  return value;
}

/** The top-level properties that hold a secret anywhere inside them. */
export function secretKeys(props: Record<string, unknown> | undefined): string[] {
  const holds = (v: unknown): boolean =>
    isSecret(v) || (Array.isArray(v) ? v.some(holds) : !!v && typeof v === "object" && Object.values(v).some(holds));
  return Object.entries(props ?? {})
    .filter(([, v]) => holds(v))
    .map(([k]) => k);
}

/** `props` with `keys` (those present) marked secret as a whole. */
export function markSecret(props: Record<string, unknown>, keys: Iterable<string>): Record<string, unknown> {
  const out = { ...props };
  for (const k of keys) if (out[k] !== undefined && !isSecret(out[k])) out[k] = { [SIG]: SECRET, value: out[k] };
  return out;
}

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
