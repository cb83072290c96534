// network-load.ts - the `network` bench rows: samples/http-server on N vCPUs under one idle policy gets
// `seconds` of HTTP load through the forwarded port (32 keep-alive connections, or 8 loops of one new
// connection per request, like `ab -c 8`), then `seconds` of nothing. Measured: requests/s and latency,
// QEMU's host CPU during the load and after it, time to idle (from the last response to the first 100 ms
// in which QEMU used under 2% of one host core, sampled every 10 ms: cpu-trace.ts), when every core was
// halted for 500 ms without a wake-up (the guest's view) and the wake-ups after that. Pairs with
// network-report.ts; uses ../stress/load-generator.ts and ../../engine/network/.

import {
  BuildOutputs,
  coreCycles,
  CoreRecord,
  CpuTrace,
  IdlePolicy,
  IdleWatch,
  ProcessCpuSampler,
  QemuProfile,
  isUnreadable,
  startHttpServerGuest,
  TelemetrySnapshot,
  timeToQuiet,
  ToroError,
} from "@toro-studio/debug-adapter";
import { runLoad } from "../stress/load-generator";

export const NETWORK_CONNECTIONS = 32;
/** New-connection loads: as many concurrent connections as `ab -c 8`. */
export const NEW_CONNECTION_CONCURRENCY = 8;
/** Time to idle ends at the first window this long ... */
export const QUIET_WINDOW_MS = 100;
/** ... in which QEMU used less than this share of one host core. */
export const QUIET_HOST_CPU_PERCENT = 2;

export type NetworkLoadMode = "keep-alive" | "new-connection";
/** The idle watch starts this long before the load's end, so it sees the last response's moment. */
const WATCH_LEAD_MS = 300;
/** "All halted" is every core halted, with no wake-up, for this long. */
export const QUIET_MS = 500;

/** Which row: the guest's vCPUs and idle policy, the load, and the bench round it belongs to (1-based). */
export interface NetworkRowKey {
  cpus: number;
  policy: IdlePolicy;
  mode: NetworkLoadMode;
  round: number;
}

export interface NetworkLoadRow extends NetworkRowKey {
  connections: number;
  requestsPerSecond: number;
  p50Milliseconds: number | null;
  p99Milliseconds: number | null;
  /** Errors + timeouts + non-2xx answers. */
  failures: number;
  /** New-connection loads: connects abandoned (a SYN lost at QEMU's listen queue) and started again. */
  connectRetries: number;
  /** QEMU's host CPU during the load, percent of one host core. */
  loadHostCpuPercent: number | null;
  /** QEMU's host CPU in the `seconds` after the load. */
  afterHostCpuPercent: number | null;
  /** From the last response to the first quiet host-CPU window; null when none came in the window. */
  timeToIdleMilliseconds: number | null;
  /** From the last response to the start of the first stretch with every core halted for QUIET_MS. */
  timeToAllHaltedMilliseconds: number | null;
  /** Wake-ups (halts, all cores) from then to the window's end: late connections and timers. */
  wakeupsAfterIdle: number | null;
  /** Per core, what it did during the load (telemetry before and after it); empty when unreadable. */
  loadCores: CoreLoadCounters[];
}

/** One core's counters over the load: how the work spread and what woke the idle cores. */
export interface CoreLoadCounters {
  /**
   * Busy cycles (running a thread, closed intervals) over the window's length in guest TSC cycles (the
   * host time between the two reads at the guest's TSC rate), percent.
   */
  busyPercent: number;
  /** Halts: each one a wake-up after it. */
  halts: number;
  /** Of the wake-ups, those by a timer interrupt and by an IPI. */
  timerWakes: number;
  ipiWakes: number;
  framesIn: number;
}

/** Per-core differences between two telemetry reads (cores matched by index). */
export function coreLoadCounters(before: TelemetrySnapshot, after: TelemetrySnapshot): CoreLoadCounters[] {
  const windowCycles = ((after.hostTimeMs - before.hostTimeMs) / 1000) * after.global.tscHz;
  return after.cores
    .filter((core) => core.online)
    .map((core) => {
      const start = before.cores.find((candidate) => candidate.index === core.index);
      const delta = (pick: (record: CoreRecord) => number) => pick(core) - (start ? pick(start) : 0);
      const busy = coreCycles(core, null).busy - (start ? coreCycles(start, null).busy : 0);
      return {
        busyPercent: windowCycles > 0 ? Math.min(100, (100 * busy) / windowCycles) : 0,
        halts: delta((record) => record.halts),
        timerWakes: delta((record) => record.wakesByReason.timer),
        ipiWakes: delta((record) => record.wakesByReason.ipi),
        framesIn: delta((record) => record.network.framesIn),
      };
    });
}

export type NetworkLoadResult = NetworkLoadRow | (NetworkRowKey & { connections: number; error: string });

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

export async function measureNetworkLoad(
  build: BuildOutputs,
  profile: QemuProfile,
  key: NetworkRowKey,
  seconds: number,
  cmdline?: string,
): Promise<NetworkLoadResult> {
  const { cpus, policy, mode } = key;
  const connections = mode === "new-connection" ? NEW_CONNECTION_CONCURRENCY : NETWORK_CONNECTIONS;
  let guest;
  try {
    guest = await startHttpServerGuest({
      kernelPath: build.bootElf,
      kernelElfPath: build.kernelElf,
      profile,
      overrides: { cpus, idlePolicy: policy, network: { enabled: true }, cmdline },
    });
  } catch (error) {
    if (!(error instanceof ToroError)) throw error;
    return { ...key, connections, error: error.message.split("\n")[0] };
  }
  const { run, network } = guest;
  const watch = new IdleWatch(run.telemetry!, QUIET_MS);
  // From the start: its thread takes a while to start (150 ms measured), and samples cost nothing here.
  const trace = new CpuTrace(run.qemu.pid!);
  trace.start();
  try {
    const loadCpu = new ProcessCpuSampler(run.qemu.pid!);
    const beforeLoad = run.telemetry!.read();
    const watchTimer = setTimeout(() => watch.start(), Math.max(0, seconds * 1000 - WATCH_LEAD_MS));
    const load = await runLoad({
      url: network.url,
      connections,
      durationSeconds: seconds,
      newConnections: mode === "new-connection",
    });
    const loadHostCpuPercent = loadCpu.sample();
    const afterLoad = run.telemetry!.read();
    clearTimeout(watchTimer);
    watch.start(); // (already polling unless the load ended early)
    if (load.lastResponseAtMs !== null) watch.ignoreBefore(load.lastResponseAtMs);

    const afterCpu = new ProcessCpuSampler(run.qemu.pid!);
    await sleep(seconds * 1000);
    const afterHostCpuPercent = afterCpu.sample();
    watch.stop();
    await trace.stop();
    const idleSince = watch.idleSinceMs;
    const wakeupsAfterIdle = watch.wakeupsSinceIdle;
    return {
      ...key,
      connections,
      requestsPerSecond: load.requestsPerSecond,
      p50Milliseconds: load.latencyMilliseconds?.p50 ?? null,
      p99Milliseconds: load.latencyMilliseconds?.p99 ?? null,
      failures: load.errors + load.timeouts + load.non2xx,
      connectRetries: load.connectRetries,
      loadHostCpuPercent,
      afterHostCpuPercent,
      timeToIdleMilliseconds:
        load.lastResponseAtMs === null
          ? null
          : timeToQuiet(trace.samples, load.lastResponseAtMs, QUIET_WINDOW_MS, QUIET_HOST_CPU_PERCENT),
      timeToAllHaltedMilliseconds:
        idleSince === null || load.lastResponseAtMs === null
          ? null
          : Math.max(0, idleSince - load.lastResponseAtMs),
      wakeupsAfterIdle,
      loadCores:
        isUnreadable(beforeLoad) || isUnreadable(afterLoad) ? [] : coreLoadCounters(beforeLoad, afterLoad),
    };
  } finally {
    watch.stop();
    await trace.stop();
    await run.stop();
  }
}
