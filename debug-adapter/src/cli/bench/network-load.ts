// network-load.ts - the `network` bench rows: samples/http-server on N vCPUs under one idle policy gets
// `seconds` of HTTP load (32 keep-alive connections through the forwarded port), then `seconds` of nothing.
// Measured: requests/s and latency, QEMU's host CPU during the load and after it, time-to-idle (from the
// last response to the start of the first 500 ms in which every core stayed halted) and the wake-ups after
// it (late connections, timers). Pairs with
// network-report.ts; uses ../stress/load-generator.ts and ../../engine/network/.

import { BuildOutputs } from "../../engine/build/build-runner";
import { ToroError } from "../../engine/errors";
import { ProcessCpuSampler } from "../../engine/host/process-cpu";
import { IdleWatch } from "../../engine/network/all-halted";
import { startHttpServerGuest } from "../../engine/network/http-server-guest";
import { QemuProfile } from "../../engine/profiles/profile";
import { IdlePolicy } from "../../engine/telemetry/layout";
import { runLoad } from "../stress/load-generator";

export const NETWORK_CONNECTIONS = 32;
/** The idle watch starts this long before the load's end, so it sees the last response's moment. */
const WATCH_LEAD_MS = 300;
/** "Idle" is every core halted, with no wake-up, for this long. */
export const QUIET_MS = 500;

export interface NetworkLoadRow {
  cpus: number;
  policy: IdlePolicy;
  requestsPerSecond: number;
  p50Milliseconds: number | null;
  p99Milliseconds: number | null;
  /** Errors + timeouts + non-2xx answers. */
  failures: number;
  /** QEMU's host CPU during the load, percent of one host core. */
  loadHostCpuPercent: number | null;
  /** QEMU's host CPU in the `seconds` after the load. */
  afterHostCpuPercent: number | null;
  /** From the last response to the start of the first quiet stretch; null when none came in the window. */
  timeToIdleMilliseconds: number | null;
  /** Wake-ups (halts, all cores) from then to the window's end: late connections and timers. */
  wakeupsAfterIdle: number | null;
}

export type NetworkLoadResult = NetworkLoadRow | { cpus: number; policy: IdlePolicy; error: string };

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

export async function measureNetworkLoad(
  build: BuildOutputs,
  profile: QemuProfile,
  cpus: number,
  policy: IdlePolicy,
  seconds: number,
): Promise<NetworkLoadResult> {
  let guest;
  try {
    guest = await startHttpServerGuest({
      kernelPath: build.bootElf,
      kernelElfPath: build.kernelElf,
      profile,
      overrides: { cpus, idlePolicy: policy, network: { enabled: true } },
    });
  } catch (error) {
    if (!(error instanceof ToroError)) throw error;
    return { cpus, policy, error: error.message.split("\n")[0] };
  }
  const { run, network } = guest;
  const watch = new IdleWatch(run.telemetry!, QUIET_MS);
  try {
    const loadCpu = new ProcessCpuSampler(run.qemu.pid!);
    const watchTimer = setTimeout(() => watch.start(), Math.max(0, seconds * 1000 - WATCH_LEAD_MS));
    const load = await runLoad({
      url: network.url,
      connections: NETWORK_CONNECTIONS,
      durationSeconds: seconds,
    });
    const loadHostCpuPercent = loadCpu.sample();
    clearTimeout(watchTimer);
    watch.start(); // (already polling unless the load ended early)
    if (load.lastResponseAtMs !== null) watch.ignoreBefore(load.lastResponseAtMs);

    const afterCpu = new ProcessCpuSampler(run.qemu.pid!);
    await sleep(seconds * 1000);
    const afterHostCpuPercent = afterCpu.sample();
    watch.stop();
    const idleSince = watch.idleSinceMs;
    const wakeupsAfterIdle = watch.wakeupsSinceIdle;
    return {
      cpus,
      policy,
      requestsPerSecond: load.requestsPerSecond,
      p50Milliseconds: load.latencyMilliseconds?.p50 ?? null,
      p99Milliseconds: load.latencyMilliseconds?.p99 ?? null,
      failures: load.errors + load.timeouts + load.non2xx,
      loadHostCpuPercent,
      afterHostCpuPercent,
      timeToIdleMilliseconds:
        idleSince === null || load.lastResponseAtMs === null
          ? null
          : Math.max(0, idleSince - load.lastResponseAtMs),
      wakeupsAfterIdle,
    };
  } finally {
    watch.stop();
    await run.stop();
  }
}
