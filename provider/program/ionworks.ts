// Declared Ionworks pipelines → ionworks.Pipeline. An entry's fromPipeline
// becomes `pipelineId: <that resource's id>`: the Pulumi graph runs it first,
// and replacing it replaces the pipelines that took its results.
import { Pipeline } from "../resources/ionworks";
import type { IonworksPipeline } from "../spec/types";

/** Creates the pipelines so each comes after the ones it takes results from (the loader refused cycles). */
export function deployIonworks(decls: IonworksPipeline[]): Map<string, Pipeline> {
  const made = new Map<string, Pipeline>();
  const key = (target: string, name: string) => `${target}/${name}`;
  const byKey = new Map(decls.map((d) => [key(d.target, d.name), d]));
  const visit = (decl: IonworksPipeline): Pipeline => {
    const k = key(decl.target, decl.name);
    const done = made.get(k);
    if (done) return done;
    const blocks = decl.blocks.map((b) => {
      if (b.fromPipeline === undefined) return { name: b.name, type: b.type, config: b.config };
      const upstream = visit(byKey.get(key(decl.target, b.fromPipeline))!);
      return { name: b.name, type: b.type, config: { ...b.config, pipelineId: upstream.id } };
    });
    const resource = new Pipeline(k, {
      target: decl.target,
      name: decl.name,
      description: decl.description,
      project: decl.project,
      options: decl.options,
      waitFor: decl.waitFor,
      timeoutSeconds: decl.timeoutSeconds,
      blocks,
    });
    made.set(k, resource);
    return resource;
  };
  decls.forEach(visit);
  return made;
}
