// GitHub Actions expressions, evaluated by GitHub's own implementation
// (@actions/expressions, from actions/languageservices), with the job status
// functions the runner supplies.
import { data, Evaluator, Lexer, Parser } from "@actions/expressions";

export type Contexts = Record<string, unknown>;

/** How the job has gone so far, for success(), failure(), always() and cancelled(). */
export type Status = "success" | "failure";

const STATUS_FUNCTIONS = ["success", "failure", "always", "cancelled"] as const;

function evaluate(expression: string, contexts: Contexts, status: Status): data.ExpressionData {
  const lexed = new Lexer(expression).lex();
  const expr = new Parser(
    lexed.tokens,
    Object.keys(contexts),
    STATUS_FUNCTIONS.map((name) => ({ name, minArgs: 0, maxArgs: 0 })),
  ).parse();
  const values = new data.Dictionary(
    ...Object.entries(contexts).map(([key, value]) => ({
      key,
      value: JSON.parse(JSON.stringify(value ?? null), data.reviver) as data.ExpressionData,
    })),
  );
  const functions = new Map(
    STATUS_FUNCTIONS.map((name) => [
      name,
      {
        name,
        minArgs: 0,
        maxArgs: 0,
        call: () =>
          new data.BooleanData(
            name === "always"
              ? true
              : name === "cancelled"
                ? false
                : name === "success"
                  ? status === "success"
                  : status === "failure",
          ),
      },
    ]),
  );
  return new Evaluator(expr, values, functions).evaluate();
}

/** Every `${{ … }}` in `text` replaced by its value as a string, as the runner does for `run`, `with` and `env`. */
export function interpolate(text: string, contexts: Contexts, status: Status = "success"): string {
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, e: string) => evaluate(e.trim(), contexts, status).coerceString());
}

/**
 * An `if:` condition. It may be written with or without `${{ }}`; without a
 * status function it means `success() && (…)` (GitHub: "a default status check
 * of success() is applied unless you include one of these functions").
 */
export function condition(text: string | boolean | undefined, contexts: Contexts, status: Status): boolean {
  if (text === undefined) return status === "success";
  if (typeof text === "boolean") return text && status === "success";
  const whole = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(text);
  const expression = whole ? whole[1].trim() : text;
  const checksStatus = STATUS_FUNCTIONS.some((f) => new RegExp(`\\b${f}\\s*\\(`).test(expression));
  if (!checksStatus && status !== "success") return false;
  return truthy(evaluate(expression, contexts, status));
}

/** GitHub's truthiness: false, 0, NaN, '' and null are false, anything else true. */
function truthy(d: data.ExpressionData): boolean {
  switch (d.kind) {
    case data.Kind.Boolean:
      return d.coerceString() === "true";
    case data.Kind.Null:
      return false;
    case data.Kind.Number:
      return d.number() !== 0 && !Number.isNaN(d.number());
    case data.Kind.String:
      return d.coerceString() !== "";
    default:
      return true;
  }
}
