// A throw-away Pulumi stack on this machine, for the demo and the tests: a
// local file backend, an empty passphrase, and stack config kept outside the
// program's folder. Not part of the package (scripts/ is not shipped).
import * as fs from "node:fs";
import * as path from "node:path";

/** Environment for running the CLI fully offline against a local file backend. */
export function pulumiEnv(bin: string, stateDir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  fs.mkdirSync(path.join(stateDir, "backend"), { recursive: true });
  fs.mkdirSync(path.join(stateDir, "home"), { recursive: true });
  return {
    ...process.env,
    PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}`,
    PULUMI_BACKEND_URL: `file://${path.join(stateDir, "backend")}`,
    PULUMI_HOME: path.join(stateDir, "home"),
    PULUMI_CONFIG_PASSPHRASE: "",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
    PULUMI_NODEJS_TRANSPILE_ONLY: "false",
    ...extra,
  };
}

/**
 * `pulumi stack init` writes Pulumi.<stack>.yaml (the passphrase salt) into the
 * program directory and has no --config-file flag; the tools keep stack config
 * in their state folder instead, so the file is moved there.
 */
export function moveStackFile(programDir: string, stack: string, configFile: string): void {
  const written = path.join(programDir, `Pulumi.${stack}.yaml`);
  if (fs.existsSync(written)) {
    fs.copyFileSync(written, configFile);
    fs.rmSync(written);
  }
}
