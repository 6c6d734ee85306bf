// A fit, and a second run whose entry takes the fit's parameters.
import * as pulumi from "@pulumi/pulumi";
import { ionworks } from "pulumi-pipelines";

const cfg = new pulumi.Config("e2e");

const fit = new ionworks.Pipeline("fit", {
  name: cfg.require("fitName"),
  blocks: [
    { name: "known", type: "entry", config: { values: { "Positive electrode thickness [m]": 7.56e-5 } } },
    {
      name: "fit_ocp",
      type: "data_fit",
      config: {
        objectives: { ocp: { type: "MSMRHalfCell", data: "db:measurement-1" } },
        parameters: {
          "Positive electrode capacity [A.h]": { initial_value: 5.0, bounds: [4.0, cfg.requireNumber("upper")] },
        },
        ...(cfg.getBoolean("fail") ? { source: "emulator:fail:SOLVER_ERROR:optimizer diverged" } : {}),
      },
    },
    {
      name: "check",
      type: "validation",
      config: { objectives: { ocp: { type: "MSMRHalfCell", data: "db:measurement-2" } } },
    },
  ],
});

const chained = new ionworks.Pipeline("chained", {
  name: "uses the fit",
  blocks: [{ name: "from_fit", type: "entry", config: { pipelineId: fit.id } }],
});

export const fitted = fit.result;
export const chainedResult = chained.result;
