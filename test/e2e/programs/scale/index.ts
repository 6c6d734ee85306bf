// e2e:n pipelines on e2e:engine, named <e2e:prefix>-<i>:
//   mage: pipeline + 4 chained blocks + 1 trigger each (6 resources);
//   feldera, ionworks: one pipeline each.
import * as pulumi from "@pulumi/pulumi";
import { feldera, ionworks, mage } from "pulumi-pipelines";

const cfg = new pulumi.Config("e2e");
const engine = cfg.require("engine");
const n = cfg.requireNumber("n");
const prefix = cfg.require("prefix");

for (let i = 0; i < n; i++) {
  const name = `${prefix}-${i}`;
  if (engine === "mage") {
    const pipeline = new mage.Pipeline(name, { name, tags: ["scale"], variables: { index: i } });
    let upstream: mage.Block | undefined;
    for (const [j, type] of (["data_loader", "transformer", "transformer", "data_exporter"] as const).entries()) {
      upstream = new mage.Block(`${name}/b${j}`, {
        pipeline,
        name: `${prefix.replace(/-/g, "_")}_${i}_b${j}`,
        type,
        code: `# block ${j} of pipeline ${i}\nvalue = ${i * 10 + j}\n`,
        upstream: upstream ? [upstream] : [],
      });
    }
    new mage.Schedule(`${name}/hourly`, { pipeline, name: "hourly", type: "time", interval: "@hourly", startTime: "2031-01-01T00:00:00Z", tags: ["scale"] });
  } else if (engine === "feldera") {
    new feldera.Pipeline(name, { name, runtimeConfig: { workers: 2 }, blocks: [{ name: "t", sql: `CREATE TABLE t${i} (x INT);` }] });
  } else {
    new ionworks.Pipeline(name, { name, blocks: [{ name: "params", type: "entry", config: { values: { index: i } } }] });
  }
}
