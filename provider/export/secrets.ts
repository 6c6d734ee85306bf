// What an export does with the credentials it reads from a live server: a
// value that is one of the stack's secrets (pipelines:secrets, with --stack)
// becomes a reference where a declaration takes one, and its placeholder
// everywhere else; a value that looks like a credential but is no known
// secret is named in a warning (never printed) so the user can move it out.
import { formatPath } from "../declarations/errors";
import {
  DECLARATION_SECRET_PLACES,
  inPlace,
  placeholder,
  type SecretPlaces,
  scrubSecrets,
} from "../declarations/secrets";
import type { PipelineDeclaration } from "../declarations/types";
import type { ExportedFile } from "./files";

/** Keys whose values are credentials in the engines' own vocabularies (connector configs, env, variables). */
const CREDENTIAL_KEY = /(pass(word|wd)?|secret|token|api[_.-]?key|access[_.-]?key|private[_.-]?key|credential)/i;
/** "key": "value" pairs inside text (Feldera connector JSON in SQL). */
const TEXT_PAIR = /"([^"\\]+)"\s*:\s*"((?:[^"\\]|\\.)*)"/g;

export interface SecretMapping {
  declaration: PipelineDeclaration;
  files: ExportedFile[];
  warnings: string[];
}

/** `files` are the declaration's own code/SQL files; `declarationPath` names it in warnings. */
export function referenceSecrets(
  declaration: PipelineDeclaration,
  files: ExportedFile[],
  secrets: ReadonlyMap<string, string>,
  declarationPath: string,
): SecretMapping {
  const places = DECLARATION_SECRET_PLACES[declaration.engine];
  const warnings: string[] = [];
  const mapped = mapValues(declaration, [], places, secrets, (where, name) =>
    warnings.push(
      `${declarationPath}: ${where} holds the value of secret ${name}; written as ${placeholder(name)}, which this field does not resolve: move it where secrets go`,
    ),
  ) as PipelineDeclaration;
  for (const where of credentialLookalikes(mapped, [], places))
    warnings.push(
      `${declarationPath}: ${where} looks like a credential that is no secret of the stack; declare it as { secret: NAME } and set pipelines:secrets.NAME`,
    );
  const textFiles = new Set(textFilesOf(declaration));
  const outFiles = files.map((f) => {
    const content = scrubSecrets(f.content, secrets) as string;
    if (content !== f.content && !textFiles.has(f.path))
      warnings.push(
        `${f.path} held the value of a stack secret, written as its \${secret:NAME}, which this file does not resolve (Mage code reads secrets with get_secret_value)`,
      );
    for (const key of textCredentials(content))
      warnings.push(
        `${f.path}: "${key}" looks like a credential that is no secret of the stack; write \${secret:NAME}`,
      );
    return { ...f, content };
  });
  return { declaration: mapped, files: outFiles, warnings };
}

function mapValues(
  value: unknown,
  path: (string | number)[],
  places: SecretPlaces,
  secrets: ReadonlyMap<string, string>,
  misplaced: (where: string, name: string) => void,
): unknown {
  if (typeof value === "string") {
    const whole = [...secrets].find(([, v]) => v === value);
    if (whole && inPlace(places.values, path)) return { secret: whole[0] };
    const scrubbed = scrubSecrets(value, secrets) as string;
    if (scrubbed !== value && !inPlace(places.text, path))
      for (const [name, v] of secrets) if (value.includes(v)) misplaced(formatPath(path), name);
    return scrubbed;
  }
  if (Array.isArray(value)) return value.map((v, i) => mapValues(v, [...path, i], places, secrets, misplaced));
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, mapValues(v, [...path, k], places, secrets, misplaced)]),
    );
  return value;
}

/** Plain strings under credential-like keys where a reference could stand. */
function credentialLookalikes(value: unknown, path: (string | number)[], places: SecretPlaces): string[] {
  if (typeof value === "string") {
    const key = String(path[path.length - 1] ?? "");
    return value && inPlace(places.values, path) && CREDENTIAL_KEY.test(key) ? [formatPath(path)] : [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => credentialLookalikes(v, [...path, i], places));
  if (value && typeof value === "object" && !("secret" in value))
    return Object.entries(value).flatMap(([k, v]) => credentialLookalikes(v, [...path, k], places));
  return [];
}

function textCredentials(text: string): string[] {
  return [...text.matchAll(TEXT_PAIR)]
    .filter(([, key, value]) => CREDENTIAL_KEY.test(key) && value && !value.startsWith("${secret:"))
    .map(([, key]) => key);
}

/** The files whose text takes ${secret:NAME} (Feldera SQL and UDFs), as export paths. */
function textFilesOf(decl: PipelineDeclaration): string[] {
  if (decl.engine !== "feldera") return [];
  const rel = (p: string | undefined) => (p ? p.replace(/^\.\.\//, "") : undefined);
  return [...decl.blocks.map((b) => rel(b.sqlFile)), rel(decl.udfRustFile), rel(decl.udfTomlFile)].filter(
    (p): p is string => p !== undefined,
  );
}
