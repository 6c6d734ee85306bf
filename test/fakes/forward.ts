// What the test proxies (recording, fault-injecting, TLS) share: a request forwarded to one upstream server as it
// came (method, path, headers, body), and a server listening on a free loopback port.
import * as http from "node:http";
import type { AddressInfo } from "node:net";

/** The upstream's answer passed on whole: status, headers, body. */
export const passOn = (res: http.ServerResponse) => (up: http.IncomingMessage) => {
  res.writeHead(up.statusCode ?? 502, up.headers);
  up.pipe(res);
};

/**
 * Sends `req` to `upstream` and hands the upstream's response to `onResponse` (by default, passed on). The body is
 * `body` when the proxy read it already, else the request's own stream. An upstream that cannot be reached is a 502.
 */
export function forward(
  upstream: URL,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  onResponse: (up: http.IncomingMessage) => void = passOn(res),
  body?: Buffer,
): void {
  const out = http.request(
    {
      host: upstream.hostname,
      port: upstream.port,
      method: req.method,
      path: req.url,
      headers: { ...req.headers, host: upstream.host },
    },
    onResponse,
  );
  out.on("error", () => {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  });
  if (body) out.end(body);
  else req.pipe(out);
}

/** Starts `server` on a free loopback port and answers the port. */
export async function listenOnLoopback(server: http.Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return (server.address() as AddressInfo).port;
}
