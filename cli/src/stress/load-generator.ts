// load-generator.ts - HTTP load on one loopback URL through autocannon (keep-alive connections, one request
// in flight per connection), opened one at a time (a ramp), with our own per-response latency record, status
// counts, progress once a second, and the host time of the last response (where time-to-idle starts). Used
// by `toro stress`, the `network` bench rows and the network tests. With `newConnections` each request gets
// a connection of its own instead (new-connection-load.ts, like `ab` without -k). Pairs with
// stress-report.ts (text) and latency-recorder.ts.

import autocannon from "autocannon";
import { performance } from "node:perf_hooks";
import { checkLoopbackUrl } from "@toro-studio/debug-adapter";
import { LatencyRecorder, LatencySummary } from "./latency-recorder";
import { runNewConnectionLoop } from "./new-connection-load";

/**
 * QEMU's forwarded port listens with a backlog of one: connects that arrive together lose their SYN or
 * final ACK, which the host retries after 1, 3, 7, 15, 31 s, so such a connection may start half a minute
 * late (or its request reach the guest after the load has ended). Hence the ramp: each connection is a
 * one-connection autocannon run started this long after the previous one, time enough for QEMU to accept.
 */
export const DEFAULT_RAMP_INTERVAL_MS = 25;
/** Above the 15 s retry, for a connection that was dropped anyway. */
export const DEFAULT_TIMEOUT_SECONDS = 20;
export const DEFAULT_CONNECTIONS = 32;
export const DEFAULT_DURATION_SECONDS = 10;
const PROGRESS_INTERVAL_MS = 1000;
/** autocannon's default of 1 s would let a run go on for up to a second after its end. */
const SAMPLE_INTERVAL_MS = 50;

export interface LoadOptions {
  /** Checked again here: only loopback URLs are ever loaded (loopback-url.ts). */
  url: string;
  connections?: number;
  /** Run this long from the start (default 10 s; connections opened during the ramp run for the rest) ... */
  durationSeconds?: number;
  /** ... or until this many responses, shared out over the connections (takes precedence). */
  requests?: number;
  timeoutSeconds?: number;
  /** Time between opening two connections; 0 opens all at once. */
  rampIntervalMs?: number;
  /** Count every response whose body differs as a mismatch. */
  expectBody?: string;
  /** A new connection per request (`Connection: close`) instead of keep-alive connections. */
  newConnections?: boolean;
  /** Called about once a second while the load runs. */
  onProgress?: (progress: LoadProgress) => void;
  /** Aborting stops the load early; the result then has `stoppedEarly: true`. */
  signal?: AbortSignal;
}

export interface LoadProgress {
  elapsedSeconds: number;
  responses: number;
  /** Responses per second since the previous progress report. */
  requestsPerSecond: number;
  errors: number;
}

export interface LoadResult {
  url: string;
  /** "keep-alive" connections, or a "new-connection" per request. */
  mode: "keep-alive" | "new-connection";
  /** Connections opened, or concurrent connection loops with newConnections (fewer than asked when
   * `requests` is smaller, or the load was stopped). */
  connections: number;
  /** Wall time of the run, seconds. */
  durationSeconds: number;
  /** Complete responses, any status. */
  responses: number;
  /** responses per second from the start to the last response. */
  requestsPerSecond: number;
  /** Over every response, null when there was none. */
  latencyMilliseconds: LatencySummary | null;
  /** Connection errors other than timeouts (refused, reset, ...). */
  errors: number;
  timeouts: number;
  non2xx: number;
  /** Responses whose body differed from `expectBody` (0 without it). */
  mismatches: number;
  /** New-connection loads: connects abandoned and started again (a SYN the host dropped); 0 otherwise. */
  connectRetries: number;
  /** Responses per status code, e.g. { "200": 9990, "400": 10 }. */
  statusCounts: Record<string, number>;
  /** Bytes of 2xx responses (autocannon counts only those). */
  bytesRead: number;
  /** performance.now() of the last complete response, null without any. */
  lastResponseAtMs: number | null;
  stoppedEarly: boolean;
}

/** `total` shared out over `parts` as evenly as possible (the first ones get the remainder). */
export function shareOut(total: number, parts: number): number[] {
  return Array.from(
    { length: parts },
    (_, index) => Math.floor(total / parts) + (index < total % parts ? 1 : 0),
  );
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

function requestRate(responses: number, startedAtMs: number, lastResponseAtMs: number | null): number {
  const seconds = lastResponseAtMs === null ? 0 : (lastResponseAtMs - startedAtMs) / 1000;
  return seconds > 0 ? responses / seconds : 0;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const url = checkLoopbackUrl(options.url).href;
  const connections = options.connections ?? DEFAULT_CONNECTIONS;
  const durationMs = (options.durationSeconds ?? DEFAULT_DURATION_SECONDS) * 1000;
  const shares = options.requests === undefined ? undefined : shareOut(options.requests, connections);
  const rampIntervalMs = options.rampIntervalMs ?? DEFAULT_RAMP_INTERVAL_MS;
  const latencies = new LatencyRecorder();
  const instances: autocannon.Instance[] = [];
  const finished: Promise<autocannon.Result | undefined>[] = [];
  let lastResponseAtMs: number | null = null;
  let errors = 0;
  /** What autocannon's results say for keep-alive loads, counted here for new-connection loops. */
  const own = { loops: 0, errors: 0, timeouts: 0, non2xx: 0, mismatches: 0, bytes: 0, connectRetries: 0 };
  const ownStatus: Record<string, number> = {};
  let stopped = false;
  const startedAtMs = performance.now();

  const stop = () => {
    stopped = true;
    for (const instance of instances) instance.stop();
  };
  options.signal?.addEventListener("abort", stop, { once: true });
  if (options.signal?.aborted) stop();
  // A load for a duration ends at one moment: autocannon alone notices its duration at its next sample,
  // so its connections would close up to SAMPLE_INTERVAL_MS apart, after the last response; stopping every
  // instance together closes them at once, and the server's time to idle starts from one moment.
  const endTimer = shares === undefined ? setTimeout(stop, durationMs) : undefined;

  let responsesAtLastReport = 0;
  let lastReportAtMs = startedAtMs;
  const progress = setInterval(() => {
    const nowMs = performance.now();
    options.onProgress?.({
      elapsedSeconds: (nowMs - startedAtMs) / 1000,
      responses: latencies.size,
      requestsPerSecond: ((latencies.size - responsesAtLastReport) * 1000) / (nowMs - lastReportAtMs),
      errors,
    });
    responsesAtLastReport = latencies.size;
    lastReportAtMs = nowMs;
  }, PROGRESS_INTERVAL_MS);

  try {
    for (let index = 0; index < connections && !stopped; index++) {
      if (index > 0 && rampIntervalMs > 0) await sleep(rampIntervalMs);
      const remainingMs = durationMs - (performance.now() - startedAtMs);
      if (stopped || (shares === undefined && remainingMs <= 0) || shares?.[index] === 0) break;
      if (options.newConnections) {
        own.loops++;
        const loop = runNewConnectionLoop({
          url: new URL(url),
          endAtMs: startedAtMs + durationMs,
          requests: shares?.[index],
          timeoutMs: (options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
          expectBody: options.expectBody,
          isStopped: () => stopped,
          onResponse: (status, latencyMs, matched, bytes) => {
            latencies.record(latencyMs);
            lastResponseAtMs = performance.now();
            ownStatus[status] = (ownStatus[status] ?? 0) + 1;
            if (status < 200 || status > 299) own.non2xx++;
            else own.bytes += bytes;
            if (!matched) own.mismatches++;
          },
          onConnectRetry: () => own.connectRetries++,
          onError: (timedOut) => {
            errors++;
            if (timedOut) own.timeouts++;
            else own.errors++;
          },
        });
        finished.push(loop.then(() => undefined));
        continue;
      }
      finished.push(
        new Promise((resolve, reject) => {
          const instance = autocannon(
            {
              url,
              connections: 1,
              ...(shares === undefined ? { duration: remainingMs / 1000 } : { amount: shares[index] }),
              timeout: options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
              // autocannon notices its end (duration over, requests done, stop()) at its next sample.
              sampleInt: SAMPLE_INTERVAL_MS,
              ...(options.expectBody === undefined ? {} : { expectBody: options.expectBody }),
            },
            (error, result) =>
              error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(result),
          );
          instance.on("response", (_client, _status, _bytes, responseTime) => {
            latencies.record(responseTime);
            lastResponseAtMs = performance.now();
          });
          instance.on("reqError", () => errors++);
          instances.push(instance);
        }),
      );
    }
    const results = (await Promise.all(finished)).filter((result) => result !== undefined);
    const durationSeconds = (performance.now() - startedAtMs) / 1000;
    const sum = (pick: (result: autocannon.Result) => number) =>
      results.reduce((total, result) => total + pick(result), 0);
    const statusCounts: Record<string, number> = { ...ownStatus };
    for (const result of results) {
      for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) {
        statusCounts[code] = (statusCounts[code] ?? 0) + (stats.count ?? 0);
      }
    }
    return {
      url,
      mode: options.newConnections ? "new-connection" : "keep-alive",
      connections: results.length + own.loops,
      durationSeconds,
      responses: latencies.size,
      requestsPerSecond: requestRate(latencies.size, startedAtMs, lastResponseAtMs),
      latencyMilliseconds: latencies.summary(),
      errors: sum((result) => result.errors - result.timeouts) + own.errors,
      timeouts: sum((result) => result.timeouts) + own.timeouts,
      non2xx: sum((result) => result.non2xx) + own.non2xx,
      mismatches: sum((result) => result.mismatches) + own.mismatches,
      connectRetries: own.connectRetries,
      statusCounts,
      bytesRead: sum((result) => result.throughput.total) + own.bytes,
      lastResponseAtMs,
      stoppedEarly: options.signal?.aborted ?? false,
    };
  } finally {
    clearInterval(progress);
    clearTimeout(endTimer);
    options.signal?.removeEventListener("abort", stop);
    if (!stopped) for (const instance of instances) instance.stop();
  }
}
