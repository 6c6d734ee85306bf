// `pulumi preview --json` as a stream of engine events (PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true): one JSON event a
// line. The digest form leaves policy events out, so a preview run with `--policy-pack` is read in this form to
// review its changes and the pack's violations from one run. Each step is a resourcePreEvent whose metadata holds
// what a digest step holds (op, urn, the old and new state).
import { inReviewOrder, type Violation } from "../policy/rules";
import { nameOf, type Preview, type PreviewStep } from "./fromPreview";

/** The fields read here of Pulumi's apitype.EngineEvent. */
interface EngineEvent {
  resourcePreEvent?: {
    metadata: { op: string; urn: string; old?: PreviewStep["oldState"]; new?: PreviewStep["newState"] };
  };
  policyEvent?: {
    resourceUrn?: string;
    /** The policy's description, then each message it reported. */
    message: string;
    policyName: string;
    policyPackName: string;
    /** "mandatory", "advisory", "remediate" or "disabled". */
    enforcementLevel: string;
  };
}

/** Whether `text` is an event stream rather than a digest: JSON lines, each with a sequence number. */
export function isEventStream(text: string): boolean {
  return /^\s*\{"sequence":/.test(text);
}

/** The preview's steps and the policy packs' violations from an event stream. */
export function readEventStream(text: string): { preview: Preview; violations: Violation[] } {
  const steps: PreviewStep[] = [];
  const violations: Violation[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    const event = JSON.parse(line) as EngineEvent;
    const step = event.resourcePreEvent?.metadata;
    if (step)
      steps.push({ op: step.op, urn: step.urn, oldState: step.old ?? undefined, newState: step.new ?? undefined });
    const policy = event.policyEvent;
    if (policy) violations.push(violationOf(policy));
  }
  return {
    preview: { steps },
    violations: inReviewOrder(violations),
  };
}

function violationOf(policy: NonNullable<EngineEvent["policyEvent"]>): Violation {
  const resource = policy.resourceUrn ? nameOf(policy.resourceUrn) : "(the stack)";
  // The first line is the policy's description; the rest is what it reported, each message once prefixed with the
  // resource's name by the package's rules (a team's own may not).
  const [, ...reported] = policy.message.trimEnd().split("\n");
  const message = (reported.length ? reported : [policy.message.trim()])
    .map((m) => (m.startsWith(`${resource}: `) ? m.slice(resource.length + 2) : m))
    .join("; ");
  return {
    rule:
      policy.policyPackName === "pulumi-pipelines"
        ? policy.policyName
        : `${policy.policyPackName}/${policy.policyName}`,
    enforcement: policy.enforcementLevel === "mandatory" ? "mandatory" : "advisory",
    resource,
    message,
  };
}
