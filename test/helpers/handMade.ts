// Objects made outside any stack, the way each engine's UI or SDK makes them
// (their own calls to the engine's API): what `pulumi import` is for.
import { felderaClient } from "../../provider/backends/feldera/client";
import type { FelderaEmulator } from "../fakes/feldera/emulator";
import type { IonworksEmulator } from "../fakes/ionworks/emulator";
import { testClient } from "./mage";
import { until } from "./until";

/** A Mage pipeline with a variable, a block and a time trigger, as the UI makes them; resolves with the trigger's id. */
export async function mageByHand(uuid: string, name: string): Promise<{ triggerId: number }> {
  const mage = testClient();
  await mage.call<any>("POST", "/api/pipelines", {
    body: { pipeline: { name, type: "python", description: "Made in the UI", tags: ["legacy"] } },
  });
  await mage.call<any>("POST", `/api/pipelines/${uuid}/variables`, {
    body: { variable: { name: "source", value: "s3://bucket/orders" } },
  });
  await mage.call<any>("POST", `/api/pipelines/${uuid}/blocks`, {
    body: {
      block: {
        name: "load_orders",
        type: "data_loader",
        language: "python",
        content: "@data_loader\ndef load(*a, **k):\n    return [1, 2]\n",
      },
    },
  });
  const { pipeline_schedule } = await mage.call<any>("POST", `/api/pipelines/${uuid}/pipeline_schedules`, {
    body: {
      pipeline_schedule: {
        name: "nightly",
        schedule_type: "time",
        schedule_interval: "@daily",
        start_time: "2030-01-01 02:00:00",
      },
    },
  });
  return { triggerId: pipeline_schedule.id };
}

/** A Feldera pipeline made with Feldera's API. */
export async function felderaByHand(emu: FelderaEmulator, apiKey: string, name: string): Promise<void> {
  await felderaClient({ url: emu.url, apiKey }).call<any>("POST", "/v0/pipelines", {
    body: { name, description: "Made by hand", program_code: "CREATE TABLE payments (id INT);\n" },
  });
}

/** An Ionworks run submitted the way its SDK submits one, once it has completed; resolves with its id. */
export async function ionworksByHand(emu: IonworksEmulator, apiKey: string, name: string): Promise<string> {
  const submitted = await fetch(`${emu.url}/pipelines`, {
    method: "POST",
    headers: { "x-api-key": apiKey, "content-type": "application/json" },
    body: JSON.stringify({
      project_id: emu.projectId,
      name,
      options: {},
      elements: { entry: { element_type: "entry", values: { "Nominal cell capacity [A.h]": 5 } } },
    }),
  });
  if (submitted.status !== 201) throw new Error(`Ionworks refused the run: ${submitted.status}`);
  const id = ((await submitted.json()) as { id: string }).id;
  await until("the run to finish", () => emu.runs.get(id)?.status === "completed");
  return id;
}
