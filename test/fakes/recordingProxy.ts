// A loopback HTTP proxy that forwards every request to one upstream server
// and records method and path, so tests and benchmarks can count what the
// provider really sent (e.g. "0 writes on a no-change preview").
import * as http from "node:http";
import { forward, listenOnLoopback, passOn } from "./forward";

export interface RecordedRequest {
  method: string;
  path: string;
  /** When it arrived and how long the upstream took to answer (ms). */
  at: number;
  ms?: number;
  /** With `bodies`: what the upstream answered. */
  response?: string;
}

export interface RecordingProxy {
  url: string;
  requests: RecordedRequest[];
  writes(): RecordedRequest[];
  reset(): void;
  /** Holds every request from now on (they arrive and are recorded, unanswered) until the returned release(). */
  hold(): () => void;
  close(): Promise<void>;
}

export async function startRecordingProxy(upstream: string, opts: { bodies?: boolean } = {}): Promise<RecordingProxy> {
  const target = new URL(upstream);
  const requests: RecordedRequest[] = [];
  let held: Promise<void> = Promise.resolve();
  const server = http.createServer(async (req, res) => {
    const recorded: RecordedRequest = { method: req.method ?? "GET", path: req.url ?? "/", at: performance.now() };
    requests.push(recorded);
    res.on("finish", () => (recorded.ms = performance.now() - recorded.at));
    await held;
    forward(target, req, res, (up) => {
      if (opts.bodies) {
        const chunks: Buffer[] = [];
        up.on("data", (c: Buffer) => chunks.push(c));
        up.on("end", () => (recorded.response = Buffer.concat(chunks).toString("utf8")));
      }
      passOn(res)(up);
    });
  });
  const port = await listenOnLoopback(server);
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    writes: () => requests.filter((r) => r.method !== "GET"),
    reset: () => void requests.splice(0),
    hold: () => {
      let release = () => {};
      held = new Promise((r) => (release = r));
      return release;
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}
