// One pipeline per engine; e2e:description changes all three. The Mage pipeline
// also carries pipeline secrets, as a Pulumi secret input and as a reference.
import * as pulumi from "@pulumi/pulumi";
import { feldera, ionworks, mage } from "pulumi-pipelines";

const cfg = new pulumi.Config("e2e");
const description = cfg.require("description");

new mage.Pipeline("mage", {
  name: cfg.require("mageName"),
  description,
  // A Pulumi secret input, and a secret reference: neither value may reach state or output.
  variables: { as_pulumi_secret: cfg.requireSecret("variableSecret"), by_reference: { secret: "TS_TOKEN" } },
});
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
