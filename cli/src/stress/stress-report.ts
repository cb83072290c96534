// stress-report.ts - a load run's result as the few lines `toro stress` prints (and the extension shows):
// requests per second, latency p50/p99, errors, timeouts and non-2xx answers. Pure; pairs with
// load-generator.ts (the numbers) and ../stress-command.ts.

import type { LoadProgress, LoadResult } from "./load-generator";

const count = (value: number) => Math.round(value).toLocaleString("en-US");

function milliseconds(value: number): string {
  return value < 10
    ? `${value.toFixed(2)} ms`
    : value < 100
      ? `${value.toFixed(1)} ms`
      : `${count(value)} ms`;
}

/** "200 x 9990, 400 x 10" (by status code), or "none". */
export function formatStatusCounts(statusCounts: Record<string, number>): string {
  const entries = Object.entries(statusCounts).sort(([a], [b]) => Number(a) - Number(b));
  return entries.length === 0 ? "none" : entries.map(([code, n]) => `${code} x ${count(n)}`).join(", ");
}

/** True when every request got a 2xx answer (and the expected body, when one was given). */
export function loadSucceeded(result: LoadResult): boolean {
  return (
    result.responses > 0 &&
    result.errors === 0 &&
    result.timeouts === 0 &&
    result.non2xx === 0 &&
    result.mismatches === 0
  );
}

export function formatLoadResult(result: LoadResult): string[] {
  const latency = result.latencyMilliseconds;
  return [
    `${result.url}: ${result.connections} ` +
      (result.mode === "new-connection"
        ? "loops of one new connection per request"
        : "keep-alive connections") +
      `, ${result.durationSeconds.toFixed(1)} s` +
      (result.stoppedEarly ? " (stopped early)" : ""),
    `  requests/s  ${result.requestsPerSecond.toFixed(1)} (${count(result.responses)} responses)`,
    latency === null
      ? "  latency     - (no response)"
      : `  latency     p50 ${milliseconds(latency.p50)}, p99 ${milliseconds(latency.p99)}, ` +
        `max ${milliseconds(latency.max)}`,
    `  errors      ${count(result.errors)}, timeouts ${count(result.timeouts)}, non-2xx ${count(result.non2xx)}` +
      (result.mismatches > 0 ? `, wrong body ${count(result.mismatches)}` : "") +
      (result.connectRetries > 0 ? `, connects retried ${count(result.connectRetries)}` : ""),
    `  status      ${formatStatusCounts(result.statusCounts)}`,
  ];
}

export function formatProgress(progress: LoadProgress): string {
  return (
    `${progress.elapsedSeconds.toFixed(0).padStart(3)} s  ${count(progress.requestsPerSecond).padStart(7)} req/s  ` +
    `${count(progress.responses)} responses` +
    (progress.errors > 0 ? `, ${count(progress.errors)} errors` : "")
  );
}
