// stress-pure.test.ts - the parts of `toro stress` that need no server: the loopback-only URL check, the
// latency percentiles, the printed report, and the new-connection mode against Node's own HTTP server. Pairs with src/engine/network/loopback-url.ts and
// src/stress/.

import * as http from "node:http";
import * as net from "node:net";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { checkLoopbackUrl, isLoopbackHost } from "@toro-studio/debug-adapter";
import { LatencyRecorder } from "../../src/stress/latency-recorder";
import { LoadResult, runLoad, shareOut } from "../../src/stress/load-generator";
import {
  CONNECT_RETRY_MAX_MS,
  connectRetryDelayMs,
  parseClosedResponse,
} from "../../src/stress/new-connection-load";
import { formatLoadResult, formatStatusCounts, loadSucceeded } from "../../src/stress/stress-report";

describe("loopback-only URLs", () => {
  it("accepts 127.0.0.0/8, localhost and [::1], in the forms URL parsing normalises", () => {
    for (const url of [
      "http://127.0.0.1:8080/",
      "http://127.255.0.9/stats",
      "http://localhost:3000",
      "http://[::1]:8080/",
      "http://127.1:8080/",
      "http://0x7f.0.0.1/",
      "https://127.0.0.1/",
    ]) {
      expect(() => checkLoopbackUrl(url), url).not.toThrow();
    }
    expect(checkLoopbackUrl("http://127.1:8080").href).toBe("http://127.0.0.1:8080/");
  });

  it("refuses every other host, scheme or text with what was expected", () => {
    const refused: [string, RegExp][] = [
      ["http://10.0.2.15/", /refusing to put load on "10.0.2.15", which is not a loopback address; expected/],
      ["http://example.com/", /refusing to put load on "example.com"/],
      ["http://128.0.0.1/", /refusing to put load on "128.0.0.1"/],
      ["http://0.0.0.0:8080/", /refusing to put load on "0.0.0.0"/],
      ["http://localhost.example.com/", /refusing to put load on "localhost.example.com"/],
      ["http://[::ffff:7f00:1]/", /refusing to put load on "\[::ffff:7f00:1\]"/],
      ["http://127.0.0.1.nip.io/", /refusing to put load on "127.0.0.1.nip.io"/],
      ["ftp://127.0.0.1/", /unsupported scheme "ftp:"/],
      ["127.0.0.1:8080", /unsupported scheme "127.0.0.1:"|not a URL/],
      ["not a url", /not a URL: "not a url"; expected an http:\/\/ URL on this machine's loopback interface/],
    ];
    for (const [url, message] of refused) expect(() => checkLoopbackUrl(url), url).toThrow(message);
    expect(isLoopbackHost("127.0.0.256")).toBe(false);
  });

  it("the load generator refuses a non-loopback URL before connecting", async () => {
    await expect(runLoad({ url: "http://192.0.2.1/", requests: 1 })).rejects.toThrow(
      /not a loopback address/,
    );
  });
});

describe("requests shared over the connections", () => {
  it("gives every connection its part, the remainder to the first ones, none lost", () => {
    expect(shareOut(10_000, 32).reduce((sum, part) => sum + part, 0)).toBe(10_000);
    expect(shareOut(10, 4)).toEqual([3, 3, 2, 2]);
    expect(shareOut(2, 4)).toEqual([1, 1, 0, 0]);
  });
});

describe("latency percentiles", () => {
  it("nearest-rank p50 and p99 over every recorded value", () => {
    const recorder = new LatencyRecorder();
    expect(recorder.summary()).toBeNull();
    for (let value = 1; value <= 2000; value++) recorder.record(value / 10); // beyond the first buffer
    expect(recorder.size).toBe(2000);
    expect(recorder.summary()).toEqual({ p50: 100, p99: 198, max: 200, mean: 100.05 });
  });
});

describe("stress report", () => {
  const result: LoadResult = {
    url: "http://127.0.0.1:8080/",
    mode: "keep-alive",
    connections: 32,
    durationSeconds: 10.02,
    responses: 91234,
    requestsPerSecond: 9105.19,
    latencyMilliseconds: { p50: 2.345, p99: 15.32, max: 4366, mean: 3.1 },
    errors: 0,
    timeouts: 0,
    non2xx: 0,
    mismatches: 0,
    connectRetries: 0,
    statusCounts: { "200": 91234 },
    bytesRead: 1,
    lastResponseAtMs: 1,
    stoppedEarly: false,
  };

  it("prints requests/s, latency p50/p99, errors, timeouts and non-2xx", () => {
    expect(formatLoadResult(result)).toEqual([
      "http://127.0.0.1:8080/: 32 keep-alive connections, 10.0 s",
      "  requests/s  9105.2 (91,234 responses)",
      "  latency     p50 2.35 ms, p99 15.3 ms, max 4,366 ms",
      "  errors      0, timeouts 0, non-2xx 0",
      "  status      200 x 91,234",
    ]);
    expect(loadSucceeded(result)).toBe(true);
  });

  it("counts a run with any failure as failed, and sorts status codes", () => {
    expect(loadSucceeded({ ...result, timeouts: 1 })).toBe(false);
    expect(loadSucceeded({ ...result, non2xx: 3, statusCounts: { "200": 1, "400": 3 } })).toBe(false);
    expect(loadSucceeded({ ...result, responses: 0 })).toBe(false);
    expect(formatStatusCounts({ "431": 2, "200": 1000, "400": 1 })).toBe("200 x 1,000, 400 x 1, 431 x 2");
    expect(formatLoadResult({ ...result, latencyMilliseconds: null, mismatches: 2 })).toContain(
      "  errors      0, timeouts 0, non-2xx 0, wrong body 2",
    );
  });

  it("names a new-connection load and its connect retries", () => {
    const lines = formatLoadResult({ ...result, mode: "new-connection", connections: 8, connectRetries: 12 });
    expect(lines[0]).toBe("http://127.0.0.1:8080/: 8 loops of one new connection per request, 10.0 s");
    expect(lines[3]).toBe("  errors      0, timeouts 0, non-2xx 0, connects retried 12");
  });
});

describe("new-connection answers", () => {
  it("takes the status and the body after the head from a whole answer", () => {
    const parsed = parseClosedResponse(
      Buffer.from("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello"),
    );
    expect(parsed?.status).toBe(200);
    expect(parsed?.body.toString()).toBe("hello");
    expect(parseClosedResponse(Buffer.from("HTTP/1.0 431 Too Large\r\n\r\n"))?.status).toBe(431);
  });

  it("refuses what has no status line (a reset or a close before the answer)", () => {
    expect(parseClosedResponse(Buffer.alloc(0))).toBeNull();
    expect(parseClosedResponse(Buffer.from("garbage\r\n\r\n"))).toBeNull();
  });
});

describe("new-connection connect retries", () => {
  it("retry a lost SYN soon, then back off by doubling up to the old fixed 100 ms", () => {
    expect([0, 1, 2, 3, 4, 10].map(connectRetryDelayMs)).toEqual([20, 40, 80, 100, 100, 100]);
    expect(connectRetryDelayMs(50)).toBe(CONNECT_RETRY_MAX_MS);
  });
});

describe("new-connection load against Node's HTTP server", () => {
  it("opens one connection per request, and every answer counts", async () => {
    let connections = 0;
    const server = http.createServer((request, response) => {
      response.setHeader("Connection", "close");
      response.end(request.headers.connection === "close" ? "closed" : "kept");
    });
    server.on("connection", () => connections++);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const result = await runLoad({
        url: `http://127.0.0.1:${port}/`,
        connections: 4,
        requests: 60,
        rampIntervalMs: 0,
        newConnections: true,
        expectBody: "closed",
      });
      expect(result.mode).toBe("new-connection");
      expect(result.responses).toBe(60);
      expect(result.statusCounts).toEqual({ "200": 60 });
      expect(result.mismatches).toBe(0);
      expect(loadSucceeded(result)).toBe(true);
      expect(connections).toBe(60 + result.connectRetries);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("counts a server that closes without answering as errors", async () => {
    const server = net.createServer((socket) => socket.resume().end()); // reads (or the close would wait) and never answers
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const result = await runLoad({
        url: `http://127.0.0.1:${port}/`,
        connections: 2,
        requests: 10,
        rampIntervalMs: 0,
        newConnections: true,
      });
      expect(result.responses).toBe(0);
      expect(result.errors).toBe(10);
      expect(loadSucceeded(result)).toBe(false);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
