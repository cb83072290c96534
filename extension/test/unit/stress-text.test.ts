// stress-text.test.ts - the pure parts of `Toro: Stress with HTTP` (src/stress/stress-text.ts): the forwarded
// URL taken from a toroSession body (loopback only), the messages when there is nothing to stress, the
// progress notification's text and step, and the closing summary.

import { describe, expect, it } from "vitest";
import type { LoadResult } from "@toro-studio/cli/stress";
import {
  forwardedUrlOf,
  noTargetMessage,
  progressReport,
  resultSummary,
  STRESS_PLANS,
} from "../../src/stress/stress-text";

describe("forwardedUrlOf", () => {
  it("takes network.url from a toroSession body", () => {
    expect(forwardedUrlOf({ cpus: 4, network: { url: "http://127.0.0.1:41234/", hostPort: 41234 } })).toBe(
      "http://127.0.0.1:41234/",
    );
  });

  it("is undefined without a network, with a malformed one, or for a host that is not loopback", () => {
    expect(forwardedUrlOf({ cpus: 4 })).toBeUndefined();
    expect(forwardedUrlOf({ cpus: 4, network: null })).toBeUndefined();
    expect(forwardedUrlOf({ network: { url: 8080 } })).toBeUndefined();
    expect(forwardedUrlOf({ network: { url: "http://10.0.2.15/" } })).toBeUndefined();
    expect(forwardedUrlOf({ network: { url: "not a url" } })).toBeUndefined();
    expect(forwardedUrlOf(undefined)).toBeUndefined();
  });
});

describe("messages", () => {
  it("says what to do when there is no session, or no forwarded port", () => {
    expect(noTargetMessage(undefined)).toMatch(/needs a running Toro session launched with "network": true/);
    expect(noTargetMessage("Toro: http-server")).toMatch(
      /the session "Toro: http-server" has no forwarded port\. Add "network": true/,
    );
  });

  it("reports progress by time or by requests done", () => {
    const byTime = STRESS_PLANS[0];
    expect(byTime).toMatchObject({ durationSeconds: 10, connections: 32 });
    expect(
      progressReport(
        { elapsedSeconds: 3.2, responses: 24_000, requestsPerSecond: 8123.4, errors: 0 },
        byTime,
        16_000,
      ),
    ).toEqual({ message: "3 s: 8,123 req/s, 24,000 responses", increment: 10 });
    const byRequests = STRESS_PLANS.find((plan) => plan.requests !== undefined)!;
    expect(
      progressReport(
        { elapsedSeconds: 2, responses: 3000, requestsPerSecond: 1500, errors: 2 },
        byRequests,
        1000,
      ),
    ).toEqual({ message: "2 s: 1,500 req/s, 3,000 responses, 2 errors", increment: 20 });
  });

  it("sums the run up in one line", () => {
    const result: LoadResult = {
      url: "http://127.0.0.1:41234/",
      mode: "keep-alive",
      connections: 32,
      durationSeconds: 10.04,
      responses: 91_234,
      requestsPerSecond: 9087.1,
      latencyMilliseconds: { p50: 2.345, p99: 15.32, max: 40, mean: 3 },
      errors: 0,
      timeouts: 0,
      non2xx: 0,
      mismatches: 0,
      connectRetries: 0,
      statusCounts: { "200": 91_234 },
      bytesRead: 0,
      lastResponseAtMs: 1,
      stoppedEarly: false,
    };
    expect(resultSummary(result)).toBe(
      "Toro stress done: 9,087 req/s over 10.0 s (91,234 responses), p50 2.35 ms, p99 15.3 ms, no errors. " +
        "The Cores view shows the cores halting again.",
    );
    expect(resultSummary({ ...result, stoppedEarly: true, timeouts: 3, latencyMilliseconds: null })).toBe(
      "Toro stress stopped: 9,087 req/s over 10.0 s (91,234 responses), 0 errors, 3 timeouts, 0 non-2xx. " +
        "The Cores view shows the cores halting again.",
    );
  });
});
