// A loopback HTTP proxy that injects faults between the provider and a
// server (real Mage or an emulator), reproducibly from a seed:
//   503, 429 with Retry-After, connection reset before the request is
//   forwarded, connection reset after it was forwarded (the server acted but
//   the client never hears), or 2 s of latency.
// It records what reached the server, so tests can tell retries from duplicates.
import * as http from "node:http";
import type { Socket } from "node:net";
import { forward, listenOnLoopback } from "./forward";

export type Fault = "503" | "429" | "reset-before" | "reset-after" | "latency";
export const FAULTS: Fault[] = ["503", "429", "reset-before", "reset-after", "latency"];

export interface FaultProxyOptions {
  upstream: string;
  seed: number;
  /** Share of requests that get a fault (0..1). */
  rate: number;
  faults?: Fault[];
  latencyMs?: number;
  /** Requests whose path matches are never faulted (e.g. the test's own setup). */
  spare?: RegExp;
}

export interface FaultProxy {
  url: string;
  injected: Record<Fault, number>;
  /** Requests that reached the server. */
  forwarded: { method: string; path: string; status: number }[];
  setRate(rate: number): void;
  close(): Promise<void>;
}

/** mulberry32: small, fast and the same on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function startFaultProxy(opts: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(opts.upstream);
  const random = seededRandom(opts.seed);
  const faults = opts.faults ?? FAULTS;
  let rate = opts.rate;
  const injected = Object.fromEntries(FAULTS.map((f) => [f, 0])) as Record<Fault, number>;
  const forwarded: FaultProxy["forwarded"] = [];
  const sockets = new Set<Socket>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const spared = opts.spare?.test(req.url ?? "");
      const fault = !spared && random() < rate ? faults[Math.floor(random() * faults.length)] : undefined;
      if (fault) injected[fault]++;
      if (fault === "503") return void res.writeHead(503, { "content-type": "text/plain" }).end("Service Unavailable");
      if (fault === "429")
        return void res.writeHead(429, { "retry-after": "1", "content-type": "text/plain" }).end("Too Many Requests");
      if (fault === "reset-before") return void req.socket.destroy();
      const send = () =>
        forward(
          target,
          req,
          res,
          (up) => {
            const body: Buffer[] = [];
            up.on("data", (c) => body.push(c));
            up.on("end", () => {
              forwarded.push({ method: req.method ?? "GET", path: req.url ?? "/", status: up.statusCode ?? 0 });
              if (fault === "reset-after") return void req.socket.destroy(); // the server acted; the client never hears
              res.writeHead(up.statusCode ?? 502, up.headers);
              res.end(Buffer.concat(body));
            });
          },
          Buffer.concat(chunks),
        );
      if (fault === "latency") setTimeout(send, opts.latencyMs ?? 2000);
      else send();
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  const port = await listenOnLoopback(server);
  return {
    url: `http://127.0.0.1:${port}`,
    injected,
    forwarded,
    setRate: (r) => (rate = r),
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
