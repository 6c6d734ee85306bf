// A real S3-compatible server on loopback for the state backend tests: S3Proxy (org.gaul:s3proxy from Maven Central,
// run with Java 17) on its filesystem store, one bucket, and the s3:// backend URL Pulumi logs in with. The jars are
// resolved once by Maven into a cache keyed by version. Needs `java` and `mvn` (Debian: default-jre-headless, maven),
// installed here where missing when run as root; a run without them fails rather than skips.

import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { cacheRoot, isComplete, markComplete } from "../../provider/cli/cache";
import { freePort, progress, run, which } from "../../provider/cli/process";
import { until } from "./until";

/** The S3Proxy release the tests run: the first that accepts the AWS SDK's default checksums (x-amz-checksum-crc32). */
export const S3PROXY_VERSION = "4.1.0";
/** S3Proxy's Jackson needs this annotations release first on the class path. */
const JACKSON_ANNOTATIONS_VERSION = "2.22";
const BUCKET = "pulumi-state";
const IDENTITY = "s3proxy-identity";
const CREDENTIAL = "s3proxy-credential-0001";

export interface S3Sandbox {
  /** The backend URL, in the form for the AWS SDK v2 (`endpoint=http://…&use_path_style=true`). */
  url: string;
  /** The same backend in the older form (`endpoint=host:port&disableSSL=true&s3ForcePathStyle=true`). */
  legacyUrl: string;
  /** The credentials and region the CLI reads from the environment. */
  env: NodeJS.ProcessEnv;
  bucket: string;
  /** Every object in the bucket, as `<bucket>/<key>`. */
  keys(): string[];
  stop(): Promise<void>;
}

/** The two jars, resolved by Maven from Maven Central into the cache on first use. */
async function ensureJars(): Promise<string[]> {
  const dir = path.join(cacheRoot(), `s3proxy-${S3PROXY_VERSION}`);
  const repo = path.join(dir, "m2");
  const jars = [
    path.join(
      repo,
      "com/fasterxml/jackson/core/jackson-annotations",
      JACKSON_ANNOTATIONS_VERSION,
      `jackson-annotations-${JACKSON_ANNOTATIONS_VERSION}.jar`,
    ),
    path.join(repo, "org/gaul/s3proxy", S3PROXY_VERSION, `s3proxy-${S3PROXY_VERSION}-jar-with-dependencies.jar`),
  ];
  if (isComplete(dir)) return jars;
  progress(`resolving S3Proxy ${S3PROXY_VERSION} from Maven Central (first run only)…`);
  for (const artifact of [
    `com.fasterxml.jackson.core:jackson-annotations:${JACKSON_ANNOTATIONS_VERSION}`,
    `org.gaul:s3proxy:${S3PROXY_VERSION}:jar:jar-with-dependencies`,
  ])
    await run("mvn", [
      "-q",
      "-B",
      `-Dmaven.repo.local=${repo}`,
      "dependency:get",
      `-Dartifact=${artifact}`,
      "-Dtransitive=false",
    ]);
  for (const jar of jars) if (!fs.existsSync(jar)) throw new Error(`Maven did not resolve ${jar}`);
  markComplete(dir);
  return jars;
}

/** Java and Maven, installed from Debian's packages where missing and this runs as root (as npm test's PostgreSQL). */
async function ensureJavaAndMaven(): Promise<void> {
  const missing = [
    ["java", "default-jre-headless"],
    ["mvn", "maven"],
  ].filter(([tool]) => !which(tool));
  if (!missing.length) return;
  const needed = `the S3 backend tests need ${missing.map(([t]) => t).join(" and ")} on PATH (Debian: ${missing.map(([, p]) => p).join(", ")})`;
  if (process.getuid?.() !== 0 || !which("apt-get")) throw new Error(needed);
  progress(`installing ${missing.map(([, p]) => p).join(", ")} (first run on this machine)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  await run("apt-get", ["update", "-qq"], { env });
  await run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...missing.map(([, p]) => p)], { env });
  if (missing.some(([tool]) => !which(tool))) throw new Error(needed);
}

export async function startS3(): Promise<S3Sandbox> {
  await ensureJavaAndMaven();
  const jars = await ensureJars();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "s3proxy-"));
  const data = path.join(dir, "data");
  // The filesystem store keeps each bucket as a folder: making it is making the bucket.
  fs.mkdirSync(path.join(data, BUCKET), { recursive: true });
  const port = await freePort();
  const conf = path.join(dir, "s3proxy.conf");
  fs.writeFileSync(
    conf,
    [
      `s3proxy.endpoint=http://127.0.0.1:${port}`,
      "s3proxy.authorization=aws-v2-or-v4",
      `s3proxy.identity=${IDENTITY}`,
      `s3proxy.credential=${CREDENTIAL}`,
      "jclouds.provider=filesystem",
      `jclouds.filesystem.basedir=${data}`,
      "",
    ].join("\n"),
  );
  const log = path.join(dir, "s3proxy.log");
  const out = fs.openSync(log, "a");
  const child = spawn("java", ["-cp", jars.join(path.delimiter), "org.gaul.s3proxy.Main", "--properties", conf], {
    stdio: ["ignore", out, out],
  });
  fs.closeSync(out);
  const exited = new Promise<void>((r) => child.on("exit", () => r()));
  await until(
    `S3Proxy to listen on 127.0.0.1:${port} (log: ${log})`,
    async () => {
      if (child.exitCode !== null)
        throw new Error(`S3Proxy exited (${child.exitCode}):\n${fs.readFileSync(log, "utf8").slice(-2000)}`);
      return new Promise<boolean>((resolve) => {
        const socket = net.connect(port, "127.0.0.1", () => {
          socket.end();
          resolve(true);
        });
        socket.on("error", () => resolve(false));
      });
    },
    60_000,
  );
  const keys = (): string[] => {
    const out: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const full = path.join(d, e.name);
        if (e.isDirectory()) walk(full);
        else out.push(path.relative(data, full).split(path.sep).join("/"));
      }
    };
    walk(path.join(data, BUCKET));
    return out.sort();
  };
  return {
    url: `s3://${BUCKET}?endpoint=http://127.0.0.1:${port}&use_path_style=true&region=us-east-1`,
    legacyUrl: `s3://${BUCKET}?endpoint=127.0.0.1:${port}&disableSSL=true&s3ForcePathStyle=true&region=us-east-1`,
    env: { AWS_ACCESS_KEY_ID: IDENTITY, AWS_SECRET_ACCESS_KEY: CREDENTIAL, AWS_REGION: "us-east-1" },
    bucket: BUCKET,
    keys,
    async stop() {
      child.kill("SIGTERM");
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
