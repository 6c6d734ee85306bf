// Step 1: pipeline + loader → transformer → exporter, a daily trigger and an api trigger.
// Step 2: the transformer's code and the daily trigger's interval change.
// Step 3: the exporter and the daily trigger are gone from the program.
import * as pulumi from "@pulumi/pulumi";
import { mage } from "pulumi-pipelines";

const cfg = new pulumi.Config("e2e");
const step = cfg.requireNumber("step");

const pipeline = new mage.Pipeline("pipeline", {
  name: cfg.require("pipelineName"),
  description: "e2e lifecycle",
  tags: ["e2e"],
  variables: { env: "test", api_token: pulumi.secret(cfg.require("apiToken")) },
});

const loader = new mage.Block("loader", {
  pipeline,
  name: `${cfg.require("blockPrefix")}_load`,
  type: "data_loader",
  code: "@data_loader\ndef load(*args, **kwargs):\n    return [1, 2, 3]\n",
});

const transformer = new mage.Block("transformer", {
  pipeline,
  name: `${cfg.require("blockPrefix")}_double`,
  type: "transformer",
  code:
    step === 1
      ? "@transformer\ndef double(rows, *args, **kwargs):\n    return [r * 2 for r in rows]\n"
      : "@transformer\ndef double(rows, *args, **kwargs):\n    return [r * 3 for r in rows]  # tripled\n",
  upstream: [loader],
});

if (step < 3) {
  new mage.Block("exporter", {
    pipeline,
    name: `${cfg.require("blockPrefix")}_export`,
    type: "data_exporter",
    code: "@data_exporter\ndef export(rows, *args, **kwargs):\n    print(rows)\n",
    upstream: [transformer],
  });
  new mage.Schedule("daily", {
    pipeline,
    name: "daily",
    type: "time",
    interval: step === 1 ? "@daily" : "@hourly",
    startTime: "2031-01-01T00:00:00Z",
    status: "inactive",
  });
}

const hook = new mage.Schedule("hook", { pipeline, name: "hook", type: "api", status: "active", tags: ["e2e"] });

export const pipelineUuid = pipeline.uuid;
export const hookRunUrl = hook.runUrl;
export const hookId = hook.scheduleId;
