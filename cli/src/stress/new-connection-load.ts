// new-connection-load.ts - HTTP load with a new TCP connection per request (like `ab` without -k): each of
// `connections` loops connects, sends one `Connection: close` GET, reads the answer to the server's close,
// and starts over. Plain node:net sockets, so the cost per request on the host is a connect and a close,
// not a client library's. QEMU's forwarded port listens with a backlog of one, so the host drops SYNs of
// connects that arrive together and would retry them only after 1 s: a connect not established within
// connectRetryDelayMs (20 ms, doubling up to 100 ms) is abandoned and started again on a new socket
// (counted as a connect retry). Called by load-generator.ts's runLoad (`newConnections: true`), which
// owns the options, the progress and the result; this file only drives the sockets.

import * as net from "node:net";
import { performance } from "node:perf_hooks";

/**
 * On loopback the host kernel answers a SYN in microseconds; a connect not established this long after it
 * began lost its SYN at the full listen queue (or our event loop was starved, which a retry only costs a
 * connection). The first retry comes soon, since slirp empties its queue of one on its next main-loop
 * pass; later ones back off so a burst of retries does not refill the queue.
 */
export const CONNECT_RETRY_FIRST_MS = 20;
/** The backoff's ceiling (the single delay used before, when a lost SYN cost every request 100 ms). */
export const CONNECT_RETRY_MAX_MS = 100;

/** How long the `retry`-th retry (0 = the first connect) waits for the connection: doubling, capped. */
export function connectRetryDelayMs(retry: number): number {
  return Math.min(CONNECT_RETRY_MAX_MS, CONNECT_RETRY_FIRST_MS * 2 ** retry);
}

export interface NewConnectionLoop {
  url: URL;
  /** performance.now() after which no new request starts. */
  endAtMs: number;
  /** This loop's share of responses (undefined: run until endAtMs). */
  requests: number | undefined;
  timeoutMs: number;
  expectBody: string | undefined;
  isStopped: () => boolean;
  /** One complete answer: status, latency from connect to the server's close, whether the body matched. */
  onResponse: (status: number, latencyMs: number, bodyMatched: boolean, bytes: number) => void;
  /** A connection that failed (refused, reset, closed before a status line) or timed out. */
  onError: (timedOut: boolean) => void;
  /** A connect abandoned after connectRetryDelayMs and started again. */
  onConnectRetry: () => void;
}

/** Status code and body of a whole HTTP/1.x answer, or null when no status line arrived. */
export function parseClosedResponse(raw: Buffer): { status: number; body: Buffer } | null {
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(raw.subarray(0, 16).toString("latin1"));
  if (!match) return null;
  const headEnd = raw.indexOf("\r\n\r\n");
  return { status: Number(match[1]), body: headEnd < 0 ? Buffer.alloc(0) : raw.subarray(headEnd + 4) };
}

/**
 * `startedAtMs`: when the first connect of this request began (latency counts its retries); `retry`: how
 * many connects of this request were abandoned before this one.
 */
function oneRequest(loop: NewConnectionLoop, request: Buffer, startedAtMs: number, retry = 0): Promise<void> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let settled = false;
    const socket = net.connect({ host: loop.url.hostname, port: Number(loop.url.port || 80) });
    /** Ends this socket; `outcome` reports it, or (a retry) returns the request's remaining promise. */
    const settle = (outcome: () => void | Promise<void>) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      socket.destroy();
      void Promise.resolve(outcome()).then(() => resolve());
    };
    let connected = false;
    // Timers run before the event loop polls for I/O: after a stall of our process (a busy 2-core host)
    // the connect may have completed with its event still queued. setImmediate runs after that poll, so
    // only a connect that is really still pending is abandoned (a needless retry costs the guest a
    // connection that slirp opens and we close).
    const connectTimer = setTimeout(
      () =>
        setImmediate(() => {
          if (connected || settled) return;
          if (performance.now() - startedAtMs >= loop.timeoutMs) settle(() => loop.onError(true));
          else
            settle(() => {
              loop.onConnectRetry();
              return oneRequest(loop, request, startedAtMs, retry + 1);
            });
        }),
      connectRetryDelayMs(retry),
    );
    socket.setNoDelay(true);
    socket.setTimeout(loop.timeoutMs, () => settle(() => loop.onError(true)));
    socket.on("connect", () => {
      connected = true;
      clearTimeout(connectTimer);
      socket.write(request);
    });
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", () => settle(() => loop.onError(false)));
    socket.on("close", () => settle(() => loop.onError(false))); // closed without an 'end' (after 'end': no-op)
    socket.on("end", () => {
      const raw = Buffer.concat(chunks);
      const response = parseClosedResponse(raw);
      settle(() => {
        if (response === null) loop.onError(false);
        else {
          const matched = loop.expectBody === undefined || response.body.toString() === loop.expectBody;
          loop.onResponse(response.status, performance.now() - startedAtMs, matched, raw.length);
        }
      });
    });
  });
}

/** Runs one connection slot until its share is done, the end time passes or the load is stopped. */
export async function runNewConnectionLoop(loop: NewConnectionLoop): Promise<void> {
  const host = loop.url.port ? `${loop.url.hostname}:${loop.url.port}` : loop.url.hostname;
  const request = Buffer.from(
    `GET ${loop.url.pathname}${loop.url.search} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
    "latin1",
  );
  for (let done = 0; ; done++) {
    if (loop.isStopped()) return;
    if (loop.requests === undefined ? performance.now() >= loop.endAtMs : done >= loop.requests) return;
    await oneRequest(loop, request, performance.now());
  }
}
