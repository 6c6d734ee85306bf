// The GitOps program of the root Pulumi.yaml: deploys every YAML declaration
// under the folder named by stack config `pipelines:path` (default pipelines/).
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { projectRoot } from "../resources/projectRoot";
import { deploy } from "./deploy";

const root = projectRoot();
deploy(path.resolve(root, new pulumi.Config("pipelines").get("path") ?? "pipelines"), root);
