// Mage derives every uuid from a name (mage_ai/shared/utils.py clean_name);
// the provider computes it the same way so ids are known before any call.

/** Pipeline uuid: strip quotes/$/control chars, \W → _, leading digit → letter_, lowercase. */
export function pipelineUuid(name: string): string {
  return clean(name, false);
}

/** Block uuid: the same rule, but `/` survives (blocks may live in sub-folders). */
export function blockUuid(name: string): string {
  return clean(name, true);
}

/**
 * Why a pipeline cannot be made as a copy under this name, if it cannot:
 * Mage's copy (Pipeline.duplicate, 0.9.80) makes the folder under the cleaned
 * name but records and reads the copy under the name as given, so any other
 * name answers 500 and leaves a copy Mage cannot load.
 */
export function copyNameProblem(name: string): string | undefined {
  const uuid = pipelineUuid(name);
  return uuid === name
    ? undefined
    : `a pipeline made with cloneFrom needs a name that is already its Mage uuid (Mage copies under the name as given): use '${uuid}'`;
}

/** What is wrong with a copy's name and source, as (field, problem): for the YAML check and the provider's alike. */
export function copyProblems(name: string, cloneFrom: string): { field: "name" | "cloneFrom"; message: string }[] {
  const problem = copyNameProblem(name);
  if (problem) return [{ field: "name", message: problem }];
  return pipelineUuid(cloneFrom) === pipelineUuid(name)
    ? [{ field: "cloneFrom", message: "a pipeline cannot be made as a copy of itself" }]
    : [];
}

function clean(name: string, keepSlash: boolean): string {
  let s = name.replace(/["$\n\r\t\uFEFF]/g, "");
  s = s.replace(keepSlash ? /[^\p{L}\p{N}_/]/gu : /[^\p{L}\p{N}_]/gu, "_");
  if (/^\p{N}/u.test(s)) s = `letter_${s}`;
  return s.toLowerCase();
}

const EXTENSION: Record<string, string> = { python: "py", sql: "sql", r: "r", yaml: "yaml", markdown: "md" };

/**
 * Where Mage keeps a block's code, relative to the project: `<type>s/<uuid>.<ext>`
 * (custom → custom/); a dbt model's uuid is its file's path already.
 */
export function blockFilePath(type: string, uuid: string, language: string): string {
  if (type === "dbt" && language === "sql") return `${uuid}.sql`;
  const dir = type === "custom" ? "custom" : `${type}s`;
  return `${dir}/${uuid}.${EXTENSION[language] ?? "py"}`;
}
