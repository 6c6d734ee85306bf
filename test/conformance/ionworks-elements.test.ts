// The repository's Ionworks element keys (test/fixtures/ionworks/elements.json,
// which the schema's element configs come from) are what the pinned
// ionworks-schema package says: needs the vendor SDKs' virtualenv.
import * as fs from "node:fs";
import { expect, inject, it } from "vitest";
import { deriveIonworksElements, IONWORKS_ELEMENTS } from "../../scripts/ionworks-elements";

it("the Ionworks element keys are what the pinned ionworks-schema says (run npm run fixtures:ionworks)", async () => {
  expect(fs.readFileSync(IONWORKS_ELEMENTS, "utf8")).toBe(await deriveIonworksElements(inject("vendorSdks")));
}, 60_000);
