import * as pulumi from "@pulumi/pulumi";
import { mage } from "pulumi-pipelines";

const cfg = new pulumi.Config("e2e");
new mage.Pipeline("kept", { name: cfg.require("kept") }, { retainOnDelete: true });
new mage.Pipeline("guarded", { name: cfg.require("guarded") }, { protect: cfg.getBoolean("protect") ?? true });
