// The same two runs as pipelines/fits.yaml, in TypeScript: the second one's
// entry takes the first one's fitted parameters ({ pipelineId: fit.id }).
import { ionworks } from "pulumi-pipelines";

const fit = new ionworks.Pipeline("cathode-ocp-fit", {
  name: "cathode-ocp-fit",
  description: "MSMR half-cell OCP fit of the positive electrode",
  waitFor: "completed",
  timeoutSeconds: 3600,
  blocks: [
    {
      name: "known_parameters",
      type: "entry",
      config: { values: { "Ambient temperature [K]": 298.15, "Number of reactions in positive electrode": 4 } },
    },
    {
      name: "fit_ocp",
      type: "data_fit",
      config: {
        objectives: {
          ocp: {
            type: "MSMRHalfCell",
            data: "db:ocp-measurement-2026-10",
            options: {
              model: { type: "MSMRHalfCellModel", electrode: "positive", options: { "species format": "Xj" } },
            },
          },
        },
        parameters: {
          "Positive electrode capacity [A.h]": { initial_value: 5.0904, bounds: [4.9886, 6.1084] },
          "Positive electrode host site standard potential (0) [V]": { initial_value: 3.6, bounds: [3.1, 4.1] },
        },
        multistarts: 50,
      },
    },
    {
      name: "validate_ocp",
      type: "validation",
      config: {
        objectives: { ocp: { type: "MSMRHalfCell", data: "db:ocp-validation-2026-10" } },
        summary_stats: [{ type: "RMSE" }, { type: "MAE" }, { type: "Max" }],
      },
    },
  ],
});

const fullCell = new ionworks.Pipeline("full-cell-from-fit", {
  name: "full-cell-from-fit",
  description: "Full-cell parameters starting from the fitted cathode",
  blocks: [
    { name: "fitted_cathode", type: "entry", config: { pipelineId: fit.id } },
    {
      name: "electrode_balance",
      type: "calculation",
      config: { calculation: "ElectrodeVolumeFractionFromLoading", electrode: "positive", method: "loading" },
    },
  ],
});

export const fittedParameters = fit.result;
export const fullCellParameters = fullCell.result;
