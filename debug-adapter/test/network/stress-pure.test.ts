// stress-pure.test.ts - the parts of `toro stress` that need no server: the loopback-only URL check, the
// latency percentiles and the printed report. Pairs with src/engine/network/loopback-url.ts and
// src/cli/stress/.

import { describe, expect, it } from "vitest";
import { checkLoopbackUrl, isLoopbackHost } from "../../src/engine/network/loopback-url";
import { LatencyRecorder } from "../../src/cli/stress/latency-recorder";
import { LoadResult, runLoad, shareOut } from "../../src/cli/stress/load-generator";
import { formatLoadResult, formatStatusCounts, loadSucceeded } from "../../src/cli/stress/stress-report";

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
    connections: 32,
    durationSeconds: 10.02,
    responses: 91234,
    requestsPerSecond: 9105.19,
    latencyMilliseconds: { p50: 2.345, p99: 15.32, max: 4366, mean: 3.1 },
    errors: 0,
    timeouts: 0,
    non2xx: 0,
    mismatches: 0,
    statusCounts: { "200": 91234 },
    bytesRead: 1,
    lastResponseAtMs: 1,
    stoppedEarly: false,
  };

  it("prints requests/s, latency p50/p99, errors, timeouts and non-2xx", () => {
    expect(formatLoadResult(result)).toEqual([
      "http://127.0.0.1:8080/: 32 connections, 10.0 s",
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
});
