// One set of rules: every case of the bad-input corpus, declared as a TypeScript program would declare it (each
// pipeline, block and schedule as a resource's inputs, code files read into `code` as the resource classes read
// them), goes through each kind's check(); every failure check() reports must be the YAML loader's error at the
// same place with the same words, and every YAML error that is a rule of one declaration must come from check().
// What only YAML can say (its syntax, keys a resource does not have, files, and rules across declarations) is
// listed below with why.
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { parse } from "yaml";
import { loadPaths } from "../../provider/declarations/loader";
import { provider as felderaPipeline } from "../../provider/resources/feldera/pipelineProvider";
import { provider as ionworksPipeline } from "../../provider/resources/ionworks/pipelineProvider";
import type { DynamicProvider as KindProvider } from "../../provider/resources/kindProvider";
import { provider as mageBlock } from "../../provider/resources/mage/blockProvider";
import { provider as magePipeline } from "../../provider/resources/mage/pipelineProvider";
import { provider as mageSchedule } from "../../provider/resources/mage/scheduleProvider";
import { provider as mageSecret } from "../../provider/resources/mage/secretProvider";

const dir = path.join(__dirname, "..", "corpus", "bad");
const cases = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith(".yaml"))
  .sort();

type Decl = Record<string, any>;
interface Declared {
  at: string;
  provider: KindProvider;
  inputs: Decl;
}

/** The resources a TypeScript program declares for this file's pipelines, with where each sits in the YAML. */
function declared(file: string): Declared[] {
  let doc: any;
  try {
    doc = parse(fs.readFileSync(file, "utf8"));
  } catch {
    return [];
  }
  const out: Declared[] = [];
  (Array.isArray(doc?.secrets) ? doc.secrets : []).forEach((x: Decl, i: number) => {
    // In TypeScript a value may come from anywhere (pulumi.secret of config); a reference is what YAML allows.
    if (x?.engine === "mage" && typeof x.value === "object")
      out.push({
        at: `secrets[${i}]`,
        provider: mageSecret,
        inputs: { target: x.target, name: x.name, value: x.value },
      });
  });
  (Array.isArray(doc?.pipelines) ? doc.pipelines : []).forEach((p: Decl, i: number) => {
    if (!p || typeof p !== "object") return;
    const { engine, blocks, schedules, ...rest } = p;
    const at = `pipelines[${i}]`;
    if (engine === "mage") {
      out.push({ at, provider: magePipeline, inputs: rest });
      (Array.isArray(blocks) ? blocks : []).forEach((b: Decl, j: number) => {
        // A block names its pipeline by the pipeline's name (or resource); a name that is itself wrong is the pipeline's error.
        const inputs: Decl = { target: p.target, pipeline: typeof p.name === "string" ? p.name : "p", ...b };
        if (typeof b?.codeFile === "string") {
          const full = path.resolve(dir, b.codeFile);
          if (!fs.existsSync(full) || b.code !== undefined) return; // the Block class refuses these itself
          inputs.code = fs.readFileSync(full, "utf8");
        }
        out.push({ at: `${at}.blocks[${j}]`, provider: mageBlock, inputs });
      });
      for (const [j, s] of (Array.isArray(schedules) ? schedules : []).entries())
        out.push({
          at: `${at}.schedules[${j}]`,
          provider: mageSchedule,
          inputs: { target: p.target, pipeline: typeof p.name === "string" ? p.name : "p", ...s },
        });
    } else if (engine === "feldera" && schedules === undefined) {
      // The Pipeline class reads sqlFile, udfRustFile and udfTomlFile into sql, udfRust and udfToml.
      const { udfRustFile, udfTomlFile, ...fields } = rest;
      const sqlBlocks = Array.isArray(blocks)
        ? blocks.map((b: Decl) => {
            if (typeof b?.sqlFile !== "string") return b;
            const { sqlFile, ...block } = b;
            return { ...block, sql: b.sql ?? readOr(sqlFile), file: sqlFile };
          })
        : blocks;
      const udf = (inline: unknown, file: unknown) => inline ?? (typeof file === "string" ? readOr(file) : undefined);
      out.push({
        at,
        provider: felderaPipeline,
        inputs: {
          ...fields,
          blocks: sqlBlocks,
          udfRust: udf(rest.udfRust, udfRustFile),
          udfToml: udf(rest.udfToml, udfTomlFile),
        },
      });
    } else if (engine === "ionworks" && schedules === undefined) {
      // A TypeScript program passes the other run's id as config.pipelineId where YAML names it in fromPipeline.
      const elements = Array.isArray(blocks)
        ? blocks.map((b: Decl) => {
            if (b?.fromPipeline === undefined) return b;
            const { fromPipeline, ...block } = b;
            if (b.type !== "entry") return block; // only an entry takes another run's id
            return { ...block, config: { ...b.config, pipelineId: `${fromPipeline}-run-id` } };
          })
        : blocks;
      out.push({ at, provider: ionworksPipeline, inputs: { ...rest, blocks: elements } });
    }
  });
  return out;
}

/** A file's text, or a stand-in where it is missing (that is said by the YAML check and by the class). */
function readOr(file: string): string {
  const full = path.resolve(dir, file);
  return fs.existsSync(full) ? fs.readFileSync(full, "utf8") : "-- missing";
}

async function fromCheck(file: string): Promise<string[]> {
  const out: string[] = [];
  for (const d of declared(file)) {
    const r = await d.provider.check!({}, d.inputs);
    for (const f of r.failures ?? [])
      out.push(`${f.property === "inputs" ? d.at : `${d.at}.${f.property}`}: ${f.reason}`);
  }
  return out;
}

function fromYaml(file: string): string[] {
  return loadPaths([file]).errors.map((e) => `${e.path}: ${e.message}`);
}

/**
 * A misplaced secret reference names the places that take one: a resource's own fields in check(), the whole
 * pipeline's in YAML (a Mage pipeline's blocks and schedules are resources of their own in TypeScript).
 */
function samePlacesAside(line: string): string {
  return line.replace(/(secrets go into ).*$/, "$1…");
}

/**
 * What only the YAML check can say, and why: the file and its syntax; the keys of the YAML form (engine, target:
 * a TypeScript program names its target in stack config, fromPipeline); files (the resource classes read them and
 * refuse a missing one or both forms themselves); rules across declarations (names across a pipeline or files,
 * upstream blocks, cycles, copies, blocks of an integration pipeline); schedules under engines without any.
 */
const YAML_ONLY: RegExp[] = [
  /^secrets\[\d+\]\.value: must be a secret reference/,
  /^secrets\[\d+\]\.name: secret '.*' on target '.*' is already declared at /,
  /^(pipelines?)?: /,
  /^pipelines\[\d+\]: (missing required key '(engine|target)'|each pipeline must be a mapping)/,
  /^pipelines\[\d+\]\.(engine|target): /,
  /: file '.*' not found \(looked for /,
  /: set '\w+' or '\w+', not both$/,
  /: (block|schedule) '.*' is declared twice in this pipeline( \(Mage uuid '.*'\))?$/,
  /: pipelines? .* declared twice for target /,
  /\.upstream(\[\d+\])?: (upstream block '.*' is not declared|block '.*' cannot be its own upstream|upstream blocks form a cycle)/,
  /: pipelines (take each other's results|are copies of each other) in a circle: /,
  /\.fromPipeline: /,
  /\.blocks: an integration pipeline's blocks are its source and destination/,
  /\.schedules: (Feldera|Ionworks) has no scheduler/,
];

describe("the corpus through YAML and through check()", () => {
  // check() also resolves every reference (a deploy needs the value); validate runs without values. The names the
  // corpus uses are given values, so only where a reference stands is compared.
  beforeAll(() => {
    for (const name of ["DB_PASSWORD", "API_TOKEN", "PIPELINE_NAME", "WORKERS", "KAFKA_PASSWORD"])
      vi.stubEnv(name, "a-value-for-the-check");
    return () => vi.unstubAllEnvs();
  });
  const results = new Map<string, { yaml: string[]; ts: string[] }>();

  it.each(cases)("%s: check() says what the YAML check says", async (c) => {
    const file = path.join(dir, c);
    const yaml = fromYaml(file).map(samePlacesAside);
    const ts = (await fromCheck(file)).map(samePlacesAside);
    results.set(c, { yaml, ts });
    // Every failure of check() is the YAML error at the same place, in the same words.
    expect(ts.filter((l) => !yaml.includes(l))).toEqual([]);
    // Every YAML error check() does not give is one only YAML can say.
    expect(yaml.filter((l) => !ts.includes(l) && !YAML_ONLY.some((r) => r.test(l)))).toEqual([]);
  });

  it.each([
    ["schedule-bad-cron-fields.yaml", /\.interval: cron expression '.*' has 4 fields/],
    ["schedule-bad-cron-range.yaml", /\.interval: /],
    ["schedule-bad-start-time.yaml", /\.startTime: '.*' is not an ISO-8601 date-time/],
    ["block-extension-without-uuid.yaml", /\.extensionUuid: is required for extension blocks/],
    ["block-extension-uuid-elsewhere.yaml", /\.extensionUuid: applies to extension blocks only, not 'transformer'/],
    ["feldera-bad-name.yaml", /\.name: '.*' is not a Feldera pipeline name/],
    ["feldera-empty-blocks.yaml", /\.blocks: needs at least one SQL block/],
    ["ionworks-integer-name.yaml", /\.name: element name '\d+' is integer-like/],
  ])("%s fails the same in both, non-empty", (c, expected) => {
    const r = results.get(c)!;
    expect(r.ts.some((l) => expected.test(l))).toBe(true);
    expect(r.yaml.some((l) => expected.test(l))).toBe(true);
  });
});
