// ionworks.Pipeline: id = the run's id. Name and description update in place; project, options or blocks replace
// it, which submits a new run (compute is spent again); the new run is made before the old is deleted.

import { ionworksClient } from "../../backends/ionworks/client";
import {
  configHash,
  createIonworks,
  deleteIonworks,
  type IonworksInput,
  type IonworksSpec,
  normalizeIonworks,
  readIonworks,
  readIonworksAsDeclared,
  updateIonworks,
  type WaitOptions,
} from "../../backends/ionworks/pipeline";
import {
  type IonworksPlan,
  ionworksCreatePlan,
  ionworksPlanText,
  ionworksUpdatePlan,
} from "../../backends/ionworks/plan";
import { KIND_SECRET_PLACES } from "../../declarations/secrets";
import { DEFAULT_IONWORKS_TARGET, ionworksTarget, type TargetSource } from "../config";
import type { Kind } from "../kind";

type State = IonworksSpec & { target: string };

const client = (targets: TargetSource, state: { target?: unknown }) =>
  ionworksClient(ionworksTarget(targets, state.target as string));

/** How long a run is waited for when timeoutSeconds is unset (its description in declarations/types.ts says so). */
export const DEFAULT_RUN_TIMEOUT_SECONDS = 3600;

function waitOptions(inputs: Record<string, unknown>): WaitOptions {
  const timeout = Number(inputs.timeoutSeconds);
  const poll = Number(process.env.PULUMI_PIPELINES_POLL_MS);
  return {
    waitFor: (inputs.waitFor as WaitOptions["waitFor"]) ?? "completed",
    timeoutMs: (timeout > 0 ? timeout : DEFAULT_RUN_TIMEOUT_SECONDS) * 1000,
    pollMs: poll > 0 ? poll : 2_000,
    maxPollMs: poll > 0 ? poll * 4 : 30_000,
  };
}

/** The kind's descriptor (resources/kind.ts): what every path derives this resource from. */
export const kind: Kind<State> = {
  engine: "ionworks",
  name: "Pipeline",
  outputs: {
    status: {
      type: "string",
      doc: "The run's status on Ionworks as of the last up or refresh (pending, running, completed, failed, cancelled).",
    },
    error: { type: "string", doc: 'Why the run failed, "" when it did not.' },
    elementStatuses: { type: "Record<string, string>", doc: "Each element's status in the run, by block name." },
    result: { type: "Record<string, unknown>", doc: "Parameter values the run produced (available once completed)." },
    configHash: {
      type: "string",
      doc: "SHA-256 of the submitted configuration (project, options, elements in order): refresh compares it instead of the server's echo.",
    },
    updatePlan: { type: "string", doc: "What an update does (shown by preview): a replace re-runs the compute." },
  },
  display: {
    blocks: {
      as: "entries",
      what: "config",
      language: "json",
      text: (element) => `type: ${element.type}\n${JSON.stringify(element.config ?? {}, null, 2)}\n`,
    },
  },
  doc: {
    page: "ionworks-pipeline.md",
    summary: "An Ionworks pipeline run: its elements (entry, calculation, fit, validation) submitted as one run.",
    yaml: "an entry of `pipelines:` with `engine: ionworks`",
    importId: "the run's id",
  },
  replaceKeys: ["target", "project", "options", "blocks"],
  // A new run never collides with the old one: it is submitted first, the old run deleted after.
  identity: false,
  passthrough: ["adopt", "waitFor", "timeoutSeconds", "updatePlan"],
  secrets: KIND_SECRET_PLACES["ionworks:Pipeline"],
  plan: (olds, news) => ({ text: ionworksPlanText(ionworksPlan(olds, news)), effects: [] }),
  inputs: "IonworksPipelineInputs",
  rules: "ionworks.Pipeline",
  normalize: (news) => ({
    target: (news.target as string) ?? DEFAULT_IONWORKS_TARGET,
    ...normalizeIonworks(news as IonworksInput),
  }),
  async create(spec, inputs, targets) {
    const c = client(targets, spec);
    const { id, live } = await createIonworks(c, spec, waitOptions(inputs), { adopt: inputs.adopt === true });
    // `spec` carries secret values; the hash in state is of the declaration, references and all.
    const declared = normalizeIonworks(inputs as IonworksInput);
    return { id, extra: { ...live, configHash: configHash(declared, spec.project ?? c.project ?? "") } };
  },
  async read(id, state, targets) {
    const target = (state.target as string | undefined) ?? DEFAULT_IONWORKS_TARGET;
    if (!Array.isArray(state.blocks)) {
      // Read by id alone (Pipeline.get, an import): the run's stored configuration is the declaration.
      const run = await readIonworksAsDeclared(client(targets, state), id);
      return (
        run && {
          spec: { target, ...run.spec },
          extra: { status: run.status, error: run.error, configHash: run.configHash },
        }
      );
    }
    const live = await readIonworks(client(targets, state), id);
    if (!live) return undefined;
    const declared = { ...normalizeIonworks(state as IonworksInput), target };
    // The stored config is compared through the hash of what was submitted, not the server's echo.
    return {
      spec: { ...declared, name: live.name, description: live.description },
      extra: { status: live.status, error: live.error },
    };
  },
  update: async (id, old, next, _state, targets) => {
    await updateIonworks(client(targets, next), id, old, next);
    return undefined;
  },
  delete: (id, state, targets) => deleteIonworks(client(targets, state), id),
};

/** The `updatePlan` the preview shows: whether a new run (and its compute) is submitted. */
export function ionworksPlan(olds: Record<string, unknown> | undefined, news: Record<string, unknown>): IonworksPlan {
  return olds
    ? ionworksUpdatePlan(normalizeIonworks(olds as IonworksInput), normalizeIonworks(news as IonworksInput))
    : ionworksCreatePlan(news.adopt === true);
}
