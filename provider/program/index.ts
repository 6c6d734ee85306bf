// The GitOps program of the root Pulumi.yaml: deploys every YAML declaration
// under the folder named by stack config `pipelines:path` (default pipelines/).
import { projectRoot } from "../resources/projectRoot";
import { deploy } from "./deploy";

// The SDK's program runner installs source-map-support, and the SDK records a
// stack trace for every promise it makes (runtime/debuggable.js): mapping those
// traces through source maps took a third of this program's CPU at 300
// resources. The published program has no source maps to apply, so V8's own
// formatting gives the same traces.
(Error as { prepareStackTrace?: unknown }).prepareStackTrace = undefined;

deploy(projectRoot());
