// The rules of one declaration that no schema can express, per kind, with one wording. The YAML cross-check
// runs them on each declared pipeline, block and schedule (adding the pipeline's path in front), and each
// provider's check() runs them on the resource's inputs (a TypeScript program's and the GitOps program's alike);
// so `interval: "0 3 * *"` fails the same way in both. Rules across declarations (names unique across files,
// upstream blocks declared, cycles, files present) stay in crossCheck.ts.
//
// Each rule names the fields it reads: check() runs it only once all of them are known (a preview may not know an
// output yet), the YAML path always.
import { type IonworksBlock, inlineDataProblems } from "../backends/ionworks/pipeline";
import { dataProductProblems, dbtProblems } from "../backends/mage/blockRules";
import { copyProblems } from "../backends/mage/names";
import { intervalProblem } from "./cron";
import type { PathPart } from "./errors";

/** A problem at a field of the declaration; `key` when the field itself should go (the error points at its key). */
export interface Problem {
  path: PathPart[];
  message: string;
  key?: boolean;
}

/** The declaration as a plain object: a YAML element or a resource's inputs. */
type Decl = Record<string, unknown>;

export interface Rule {
  reads: string[];
  check: (d: Decl) => Problem[];
}

const rule = (reads: string[], check: (d: Decl) => Problem[]): Rule => ({ reads, check });

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Pipeline and trigger variables become Python globals. */
const variableNames = (field: string) =>
  rule([field], (d) =>
    Object.keys(isObject(d[field]) ? d[field] : {})
      .filter((name) => !IDENTIFIER.test(name))
      .map((name) => ({
        path: [field, name],
        message: `variable name '${name}' must be a Python identifier`,
        key: true,
      })),
  );

/** `field` is for `only` declarations only. */
const appliesTo = (field: string, only: string, noun: string, present: (v: unknown) => boolean = isSet) =>
  rule(["type", field], (d) =>
    d.type !== only && present(d[field])
      ? [{ path: [field], message: `${noun} to ${only} triggers only, not '${d.type}'`, key: true }]
      : [],
  );

const magePipeline: Rule[] = [
  variableNames("variables"),
  rule(["name", "cloneFrom"], (d) =>
    typeof d.name === "string" && typeof d.cloneFrom === "string"
      ? copyProblems(d.name, d.cloneFrom).map((c) => ({ path: [c.field], message: c.message }))
      : [],
  ),
];

const EXTENSION_UNSET: string[] = ["retryConfig", "timeout", "executorType"];

const mageBlock: Rule[] = [
  rule(["type", "code", "codeFile"], (d) =>
    d.type !== "global_data_product" && d.code === undefined && d.codeFile === undefined
      ? [{ path: ["code"], message: "needs 'code' (inline) or 'codeFile' (a file)" }]
      : [],
  ),
  rule(["type", "code", "codeFile", "configuration"], (d) => dataProductProblems(d as never)),
  rule(["name", "type", "language", "configuration"], (d) =>
    typeof d.name === "string" ? dbtProblems(d as never) : [],
  ),
  rule(["type", "extensionUuid"], (d) => {
    if (d.type === "extension" && !d.extensionUuid)
      return [{ path: ["extensionUuid"], message: "is required for extension blocks (e.g. great_expectations)" }];
    if (d.type !== "extension" && d.extensionUuid)
      return [{ path: ["extensionUuid"], message: `applies to extension blocks only, not '${d.type}'`, key: true }];
    return [];
  }),
  // Mage's block create ignores these, and its update of an extension block is never written (see recreated()).
  rule(["type", ...EXTENSION_UNSET], (d) =>
    d.type !== "extension"
      ? []
      : EXTENSION_UNSET.filter((k) => ![undefined, "local_python"].includes(d[k] as string)).map((k) => ({
          path: [k],
          message: "Mage 0.9.80 cannot keep it on an extension block",
          key: true,
        })),
  ),
];

const mageSchedule: Rule[] = [
  rule(["type", "interval"], (d) => {
    if (d.type === "time" && d.interval === undefined)
      return [
        { path: ["interval"], message: "is required for time triggers (@daily, @hourly, … or a cron expression)" },
      ];
    return [];
  }),
  appliesTo("interval", "time", "applies"),
  rule(["interval"], (d) => {
    const problem = typeof d.interval === "string" ? intervalProblem(d.interval) : undefined;
    return problem ? [{ path: ["interval"], message: problem }] : [];
  }),
  rule(["startTime"], (d) =>
    typeof d.startTime === "string" && !isIsoDateTime(d.startTime)
      ? [{ path: ["startTime"], message: `'${d.startTime}' is not an ISO-8601 date-time (e.g. 2030-01-01T06:00:00Z)` }]
      : [],
  ),
  variableNames("variables"),
  appliesTo("rotateToken", "api", "applies"),
  appliesTo("eventMatchers", "event", "apply", (v) => Array.isArray(v) && v.length > 0),
  rule(["eventMatchers"], (d) =>
    duplicates(d.eventMatchers, "eventMatchers", (n) => `event matcher '${n}' is declared twice in this trigger`),
  ),
];

/** Feldera's pipeline names (its API refuses others): letters, digits, '-' and '_', at most 63. */
const FELDERA_NAME = /^([A-Za-z0-9][-A-Za-z0-9_]*)?[A-Za-z0-9]$/;

/** A pipeline of `what`s needs one at least. */
const someBlocks = (what: string) =>
  rule(["blocks"], (d) =>
    Array.isArray(d.blocks) && d.blocks.length === 0
      ? [{ path: ["blocks"], message: `needs at least one ${what}` }]
      : [],
  );

const felderaPipeline: Rule[] = [
  someBlocks("SQL block"),
  rule(["name"], (d) =>
    typeof d.name === "string" && d.name && !(FELDERA_NAME.test(d.name) && d.name.length <= 63)
      ? [
          {
            path: ["name"],
            message: `'${d.name}' is not a Feldera pipeline name (letters, digits, '-', '_'; not starting or ending with '-' or '_'; at most 63)`,
          },
        ]
      : [],
  ),
  rule(["blocks"], (d) => duplicates(d.blocks, "blocks", (n) => `block '${n}' is declared twice in this pipeline`)),
];

const ionworksPipeline: Rule[] = [
  someBlocks("element block"),
  rule(["blocks"], (d) => [
    ...(Array.isArray(d.blocks) ? d.blocks : []).flatMap((b, i) =>
      typeof b?.name === "string" && /^(0|[1-9]\d*)$/.test(b.name)
        ? [
            {
              path: ["blocks", i, "name"],
              message: `element name '${b.name}' is integer-like; JSON objects put such keys first, which would change the run order: use a name with a letter (e.g. 'step_${b.name}')`,
            },
          ]
        : [],
    ),
    ...duplicates(d.blocks, "blocks", (n) => `block '${n}' is declared twice in this pipeline`),
  ]),
  rule(["blocks"], (d) =>
    Array.isArray(d.blocks)
      ? inlineDataProblems(d.blocks as IonworksBlock[]).map((message) => ({ path: ["blocks"], message }))
      : [],
  ),
];

/** The rules of each kind, by its name in reviews and errors. */
export const RULES = {
  "mage.Pipeline": magePipeline,
  "mage.Block": mageBlock,
  "mage.Schedule": mageSchedule,
  "feldera.Pipeline": felderaPipeline,
  "ionworks.Pipeline": ionworksPipeline,
} as const satisfies Record<string, Rule[]>;

export type RuledKind = keyof typeof RULES;

/** Every problem of one declaration; `ready(reads)` says whether a rule's fields are all known. */
export function declarationProblems(
  kind: RuledKind,
  d: Decl,
  ready: (reads: string[]) => boolean = () => true,
): Problem[] {
  return RULES[kind].filter((r) => ready(r.reads)).flatMap((r) => r.check(d));
}

/** A second element with the same name, at its name. */
function duplicates(list: unknown, field: string, message: (name: string) => string): Problem[] {
  const seen = new Set<string>();
  const out: Problem[] = [];
  (Array.isArray(list) ? list : []).forEach((item, i) => {
    const name = item?.name;
    if (typeof name !== "string") return;
    if (seen.has(name)) out.push({ path: [field, i, "name"], message: message(name) });
    seen.add(name);
  });
  return out;
}

function isSet(v: unknown): boolean {
  return v !== undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** ISO 8601 as Mage's trigger form takes it: a date, or a date-time with an optional offset. */
export function isIsoDateTime(s: string): boolean {
  return (
    /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(s) &&
    !Number.isNaN(Date.parse(s.replace(" ", "T")))
  );
}
