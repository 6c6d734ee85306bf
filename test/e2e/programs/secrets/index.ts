// One pipeline per engine; e2e:description changes all three.
import * as pulumi from "@pulumi/pulumi";
import { feldera, ionworks, mage } from "pulumi-pipelines";

const cfg = new pulumi.Config("e2e");
const description = cfg.require("description");

new mage.Pipeline("mage", { name: cfg.require("mageName"), description });
new feldera.Pipeline("feldera", {
  name: "secrets-check",
  description,
  blocks: [{ name: "t", sql: "CREATE TABLE t (x INT);" }],
});
new ionworks.Pipeline("ionworks", {
  name: "secrets check",
  description,
  blocks: [{ name: "e", type: "entry", config: { values: { a: 1 } } }],
});
