// Declares the Mage project a model step describes (test/model/project.ts),
// read from the JSON file named by stack config e2e:declaration. Resource names
// are the model's stable keys, so a rename is an edit of `name`, as a user
// would make it in a program.
import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { mage } from "pulumi-pipelines";
import type { Project } from "../../../model/project";

const project: Project = JSON.parse(fs.readFileSync(new pulumi.Config("e2e").require("declaration"), "utf8"));

for (const p of project.pipelines) {
  const pipeline = new mage.Pipeline(p.key, {
    name: p.name,
    type: p.type,
    description: p.description,
    tags: p.tags,
    variables: p.variables,
    ...p.runSettings,
  });
  const made = new Map<string, mage.Block>();
  // The model keeps blocks upstream-first, so every upstream block exists when a block refers to it.
  for (const b of p.blocks) {
    const block = new mage.Block(b.key, {
      pipeline,
      name: b.name,
      type: b.type,
      language: b.language,
      code: b.code,
      upstream: b.upstream.map((u) => made.get(u)!),
      configuration: b.configuration,
      extensionUuid: b.extensionUuid,
      ...b.settings,
    });
    made.set(b.key, block);
  }
  for (const s of p.schedules) {
    new mage.Schedule(s.key, {
      pipeline,
      name: s.name,
      type: s.type,
      interval: s.interval,
      startTime: s.startTime,
      status: s.status,
      variables: s.variables,
      settings: s.settings,
      tags: s.tags,
      eventMatchers: s.eventMatchers,
    });
  }
}
