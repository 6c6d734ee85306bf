// pulumi-pipelines migrate --to plugin|dynamic: moves a stack's resources from one family
// (resources/families.ts) to the other in its state, without a request to any server. Each of our resources gets
// the other family's type and URN, and the references to it follow; a dynamic resource's `__provider` text goes
// or comes back; the provider reference is dropped, so the engine adds the new package's default provider with
// the stack's config on the next run (deploy.addDefaultProviders in the Pulumi engine), and an old default
// provider nothing refers to any more is removed. State goes through `pulumi stack export` and
// `pulumi stack import`, so it works on every backend, and secrets stay the ciphertexts they were.
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { FAMILIES, type Family, isFamily } from "../resources/families";
import { providerModule, providerSource } from "../resources/kind";
import { KINDS, resourceTypeOf, tokenOf } from "../resources/kinds";
import { EXIT, type Out, parseCommand, usageError } from "./args";
import { pulumiOutput } from "./process";

export const MIGRATE = {
  name: "migrate",
  usage: `migrate --to plugin|dynamic [--stack <stack>] [--backup <file>]
                 move the stack's resources to the other resource family in its state, calling no
                 server, and set its pipelines:family; the old state is kept in --backup (default
                 ./<stack>-state-backup-<time>.json, secrets still encrypted); run pulumi preview after`,
  options: { to: { type: "string" }, stack: { type: "string" }, backup: { type: "string" } },
  positionals: 0,
} as const;

/** A resource of an exported deployment, as far as moving it needs. */
interface StateResource {
  urn: string;
  type: string;
  custom?: boolean;
  id?: string;
  provider?: string;
  parent?: string;
  deletedWith?: string;
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface Deployment {
  version: number;
  deployment: { resources?: StateResource[]; pending_operations?: unknown[]; [key: string]: unknown };
}

const DYNAMIC = "pulumi-nodejs:dynamic/";
const PROVIDER_TYPE: Record<Family, string> = {
  plugin: "pulumi:providers:pipelines",
  dynamic: "pulumi:providers:pulumi-nodejs",
};

/** The URN with its type (the last of a qualified type's `$`-parts) replaced. */
function withType(urn: string, type: string): string {
  const parts = urn.split("::");
  const qualified = parts[2].split("$");
  qualified[qualified.length - 1] = type;
  parts[2] = qualified.join("$");
  return parts.join("::");
}

/**
 * The deployment with every resource of ours moved `to` the family, and how many moved. Throws when the stack has
 * pending operations: an interrupted update must be settled (pulumi refresh, or pulumi cancel) before a move.
 */
export function migrateDeployment(state: Deployment, to: Family): { state: Deployment; moved: number } {
  const pending = state.deployment.pending_operations ?? [];
  if (pending.length)
    throw new Error(
      `the stack has ${pending.length} pending operation(s) from an interrupted update: settle them first (pulumi refresh)`,
    );
  const renamed = new Map<string, string>();
  const resources = (state.deployment.resources ?? []).map((r) => {
    const kind = resourceTypeOf(r.type);
    if (!kind || (r.type.startsWith(DYNAMIC) ? "dynamic" : "plugin") === to) return r;
    const type = to === "plugin" ? tokenOf(kind) : `${DYNAMIC}${kind}`;
    const urn = withType(r.urn, type);
    renamed.set(r.urn, urn);
    const { provider: _provider, ...rest } = r;
    return { ...rest, urn, type, inputs: providerText(r.inputs, to, kind), outputs: providerText(r.outputs, to, kind) };
  });
  const follow = (urn: string | undefined) => (urn === undefined ? undefined : (renamed.get(urn) ?? urn));
  const moved = resources.map((r) => ({
    ...r,
    ...(r.parent !== undefined ? { parent: follow(r.parent) } : {}),
    ...(r.deletedWith !== undefined ? { deletedWith: follow(r.deletedWith) } : {}),
    ...(r.dependencies ? { dependencies: r.dependencies.map((d) => follow(d)!) } : {}),
    ...(r.propertyDependencies
      ? {
          propertyDependencies: Object.fromEntries(
            Object.entries(r.propertyDependencies).map(([k, v]) => [k, v.map((d) => follow(d)!)]),
          ),
        }
      : {}),
  }));
  // The old family's default provider, once nothing refers to it (a preview would show it deleted).
  const from: Family = to === "plugin" ? "dynamic" : "plugin";
  const referenced = new Set(
    moved.flatMap((r) => (r.provider ? [r.provider.split("::").slice(0, -1).join("::")] : [])),
  );
  const kept = moved.filter(
    (r) =>
      !(r.type === PROVIDER_TYPE[from] && r.urn.split("::").pop()!.startsWith("default") && !referenced.has(r.urn)),
  );
  return { state: { ...state, deployment: { ...state.deployment, resources: kept } }, moved: renamed.size };
}

/** A dynamic resource's inputs and outputs carry the text that loads its provider; the plugin's do not. */
function providerText(
  props: Record<string, unknown> | undefined,
  to: Family,
  kind: keyof typeof KINDS,
): Record<string, unknown> | undefined {
  if (!props) return props;
  const { __provider: _text, ...rest } = props;
  return to === "dynamic" ? { ...rest, __provider: providerSource(providerModule(KINDS[kind])) } : rest;
}

export async function migrateCommand(args: string[], out: Out, err: Out = process.stderr): Promise<number> {
  const parsed = parseCommand(MIGRATE, args, out, err);
  if (typeof parsed === "number") return parsed;
  const to = parsed.values.to;
  if (!isFamily(to)) return usageError(MIGRATE, `--to: ${FAMILIES.join(" or ")}${to ? ` (got '${to}')` : ""}`, err);
  const stackArgs = parsed.values.stack ? ["--stack", parsed.values.stack] : [];
  try {
    const stack = parsed.values.stack ?? (await pulumiOutput(["stack", "--show-name"])).trim();
    const exported = JSON.parse(await pulumiOutput(["stack", "export", ...stackArgs])) as Deployment;
    const { state, moved } = migrateDeployment(exported, to);
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    const backup = path.resolve(parsed.values.backup ?? `${stack.replace(/\//g, "_")}-state-backup-${stamp}.json`);
    fs.writeFileSync(backup, `${JSON.stringify(exported, null, 2)}\n`, { mode: 0o600 });
    if (moved) {
      const next = `${backup.replace(/\.json$/, "")}.migrated.json`;
      fs.writeFileSync(next, JSON.stringify(state), { mode: 0o600 });
      try {
        await pulumiOutput(["stack", "import", "--file", next, ...stackArgs]);
      } finally {
        fs.rmSync(next, { force: true });
      }
    }
    await pulumiOutput(["config", "set", "pipelines:family", to, ...stackArgs]);
    out.write(
      [
        `${stack}: ${moved} resource(s) moved to the ${to} family in the state, no server called; pipelines:family is ${to}.`,
        `The state before: ${backup} (restore it with pulumi stack import --file).`,
        "Next: pulumi preview, which shows no change.",
        ...projectAdvice(to),
        "",
      ].join("\n"),
    );
    return EXIT.ok;
  } catch (e) {
    err.write(`migrate: ${(e as Error).message}\n`);
    return EXIT.failed;
  }
}

interface Project {
  runtime?: string | { name?: string; options?: { compiler?: string } };
  plugins?: { providers?: { name?: string }[] };
}

/** What the project's Pulumi.yaml (in the working directory) still needs for the stack's new family. */
function projectAdvice(to: Family): string[] {
  const file = path.resolve("Pulumi.yaml");
  const project = (fs.existsSync(file) ? parse(fs.readFileSync(file, "utf8")) : {}) as Project | null;
  const runtime = typeof project?.runtime === "object" ? project.runtime : undefined;
  const compiled = runtime?.name === "yaml" && /\bcompile\b/.test(runtime.options?.compiler ?? "");
  if (to === "plugin" && !(project?.plugins?.providers ?? []).some((p) => p?.name === "pipelines"))
    return [
      "Pulumi.yaml names no pipelines plugin: add plugins: providers: [{ name: pipelines, path: ./node_modules/.bin }].",
    ];
  if (to === "dynamic" && compiled)
    return [
      "Pulumi.yaml runs the compiled program, which registers the plugin family only: switch it to the Node program",
      '(runtime: nodejs, main: index.js holding require("pulumi-pipelines/program"); docs/gitops.md) before the next preview.',
    ];
  return [];
}
