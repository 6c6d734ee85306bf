// An HTTPS front for a local server, with a certificate from a throw-away CA
// made by openssl at start: for testing TLS verification and custom CA bundles.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as https from "node:https";
import * as os from "node:os";
import * as path from "node:path";
import { forward, listenOnLoopback } from "./forward";

export interface TlsProxy {
  url: string;
  /** The CA's certificate (PEM file) that signed the server certificate. */
  caFile: string;
  close(): Promise<void>;
}

export async function startTlsProxy(upstream: string): Promise<TlsProxy> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tls-proxy-"));
  const ssl = (...args: string[]) => {
    try {
      execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
    } catch (e) {
      throw new Error(`openssl (Debian package openssl) is needed to make test certificates: ${String(e)}`);
    }
  };
  ssl(
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "2",
    "-subj",
    "/CN=test CA",
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
  );
  ssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", "server.key", "-out", "server.csr");
  fs.writeFileSync(path.join(dir, "san.ext"), "subjectAltName=IP:127.0.0.1\n");
  ssl(
    "x509",
    "-req",
    "-in",
    "server.csr",
    "-CA",
    "ca.pem",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-days",
    "2",
    "-extfile",
    "san.ext",
    "-out",
    "server.pem",
  );
  const target = new URL(upstream);
  const server = https.createServer(
    { key: fs.readFileSync(path.join(dir, "server.key")), cert: fs.readFileSync(path.join(dir, "server.pem")) },
    (req, res) => forward(target, req, res),
  );
  const port = await listenOnLoopback(server);
  return {
    url: `https://127.0.0.1:${port}`,
    caFile: path.join(dir, "ca.pem"),
    close: () =>
      new Promise((r) =>
        server.close(() => {
          fs.rmSync(dir, { recursive: true, force: true });
          r();
        }),
      ),
  };
}
