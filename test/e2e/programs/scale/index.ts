// e2e:n pipelines on e2e:engine, named <e2e:prefix>-<i>:
//   mage: pipeline + 4 chained blocks + 1 trigger each (6 resources);
//   feldera, ionworks: one pipeline each.
// Changes, for the benchmark:
//   e2e:touchOne   pipeline 0 gets one block's code changed;
//   e2e:revise=k   the last k pipelines change their description, one
//                  block's code and their trigger (Feldera: SQL; Ionworks:
//                  an element's values, which re-runs it).
//   e2e:noop       Mage's resources as do-nothing dynamic resources (noop.ts):
//                  the floor the benchmark compares the provider with.
import * as pulumi from "@pulumi/pulumi";
import { feldera, ionworks, mage as provided } from "pulumi-pipelines";
import * as noop from "./noop";

const cfg = new pulumi.Config("e2e");
const engine = cfg.require("engine");
const n = cfg.requireNumber("n");
const prefix = cfg.require("prefix");
const touchOne = cfg.getBoolean("touchOne") ?? false;
const revise = cfg.getNumber("revise") ?? 0;
const mage = cfg.getBoolean("noop") ? (noop as unknown as typeof provided) : provided;

for (let i = 0; i < n; i++) {
  const name = `${prefix}-${i}`;
  const touched = touchOne && i === 0;
  const revised = i >= n - revise;
  if (engine === "mage") {
    const pipeline = new mage.Pipeline(name, {
      name,
      tags: ["scale"],
      variables: { index: i },
      description: revised ? "revised" : undefined,
    });
    let upstream: provided.Block | undefined;
    for (const [j, type] of (["data_loader", "transformer", "transformer", "data_exporter"] as const).entries()) {
      const edit = (touched && j === 1 ? "# touched\n" : "") + (revised && j === 2 ? "# revised\n" : "");
      upstream = new mage.Block(`${name}/b${j}`, {
        pipeline,
        name: `${prefix.replace(/-/g, "_")}_${i}_b${j}`,
        type,
        code: `# block ${j} of pipeline ${i}\n${edit}value = ${i * 10 + j}\n`,
        upstream: upstream ? [upstream] : [],
      });
    }
    new mage.Schedule(`${name}/hourly`, {
      pipeline,
      name: "hourly",
      type: "time",
      interval: revised ? "@daily" : "@hourly",
      startTime: "2031-01-01T00:00:00Z",
      tags: ["scale"],
    });
  } else if (engine === "feldera") {
    const column = touched || revised ? "x BIGINT" : "x INT";
    new feldera.Pipeline(name, {
      name,
      runtimeConfig: { workers: 2 },
      blocks: [{ name: "t", sql: `CREATE TABLE t${i} (${column});` }],
    });
  } else {
    const index = touched || revised ? i + 1000 : i;
    new ionworks.Pipeline(name, { name, blocks: [{ name: "params", type: "entry", config: { values: { index } } }] });
  }
}
