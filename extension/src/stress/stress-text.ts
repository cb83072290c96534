// stress-text.ts - the pure parts of `Toro: Stress with HTTP`: the forwarded URL in a toroSession event
// body, the load choices offered, and the words of the progress notification and of the result. Unit-tested
// without VS Code (test/unit/stress-text.test.ts); stress-command.ts does the VS Code side.

import type { LoadProgress, LoadResult } from "@toro-studio/cli/stress";
import { checkLoopbackUrl } from "@toro-studio/debug-adapter";

export const STRESS_CONNECTIONS = 32;

/** What one stress run asks for: a duration or a number of requests, over `connections`. */
export interface StressPlan {
  label: string;
  connections: number;
  durationSeconds?: number;
  requests?: number;
}

export const STRESS_PLANS: readonly StressPlan[] = [
  { label: "10 seconds", connections: STRESS_CONNECTIONS, durationSeconds: 10 },
  { label: "30 seconds", connections: STRESS_CONNECTIONS, durationSeconds: 30 },
  { label: "60 seconds", connections: STRESS_CONNECTIONS, durationSeconds: 60 },
  { label: "10,000 requests", connections: STRESS_CONNECTIONS, requests: 10_000 },
];

/**
 * The forwarded URL of a toroSession event body (`network.url`, present when the session was launched with
 * `"network": true`), or undefined. Only a loopback http URL is accepted, whatever the body says.
 */
export function forwardedUrlOf(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const network = (body as { network?: unknown }).network;
  if (typeof network !== "object" || network === null) return undefined;
  const url = (network as { url?: unknown }).url;
  if (typeof url !== "string") return undefined;
  try {
    return checkLoopbackUrl(url).href;
  } catch {
    return undefined;
  }
}

/** Why there is nothing to stress, for the error message. */
export function noTargetMessage(sessionName: string | undefined): string {
  if (sessionName === undefined) {
    return (
      'Toro: Stress with HTTP needs a running Toro session launched with "network": true ' +
      "(for example samples/http-server); start one with F5 or Run Without Debugging first."
    );
  }
  return (
    `Toro: the session "${sessionName}" has no forwarded port. Add "network": true to its launch ` +
    'configuration (or use "profile": "network") and restart it.'
  );
}

const count = (value: number) => Math.round(value).toLocaleString("en-US");

/** The notification's line while the load runs; `increment` is the progress bar's step in percent. */
export function progressReport(
  progress: LoadProgress,
  plan: StressPlan,
  previousResponses: number,
): { message: string; increment: number } {
  const done =
    plan.requests !== undefined
      ? (100 * (progress.responses - previousResponses)) / plan.requests
      : plan.durationSeconds !== undefined
        ? 100 / plan.durationSeconds
        : 0;
  return {
    message:
      `${progress.elapsedSeconds.toFixed(0)} s: ${count(progress.requestsPerSecond)} req/s, ` +
      `${count(progress.responses)} responses` +
      (progress.errors > 0 ? `, ${count(progress.errors)} errors` : ""),
    increment: Math.max(0, done),
  };
}

/** One line for the message shown at the end. */
export function resultSummary(result: LoadResult): string {
  const latency = result.latencyMilliseconds;
  const failures = result.errors + result.timeouts + result.non2xx + result.mismatches;
  return (
    `Toro stress ${result.stoppedEarly ? "stopped" : "done"}: ${count(result.requestsPerSecond)} req/s over ` +
    `${result.durationSeconds.toFixed(1)} s (${count(result.responses)} responses)` +
    (latency === null ? "" : `, p50 ${latency.p50.toFixed(2)} ms, p99 ${latency.p99.toFixed(1)} ms`) +
    (failures === 0
      ? ", no errors."
      : `, ${count(result.errors)} errors, ${count(result.timeouts)} timeouts, ${count(result.non2xx)} non-2xx.`) +
    " The Cores view shows the cores halting again."
  );
}
