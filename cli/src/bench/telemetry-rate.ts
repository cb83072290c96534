// telemetry-rate.ts - benchmark row "telemetry: sustained snapshot rate". With every core of the compute
// sample busy (records rewritten all the time, so the seqlock retries are exercised), it measures: the most
// decoded snapshots per second from the RAM file (reads back to back), what the poller delivers when asked
// for 50 Hz, and the most snapshots per second through QMP (pmemsave, the attach fallback). Pairs with
// bench-command.ts and ../../engine/telemetry/.

import { performance } from "node:perf_hooks";
import {
  BuildOutputs,
  decodeTelemetry,
  GuestRun,
  isUnreadable,
  QemuProfile,
  QmpTelemetrySource,
  RamFileSource,
  TelemetryReadResult,
} from "@toro-studio/debug-adapter";

export const POLLER_TARGET_HZ = 50;

export interface RateMeasurement {
  /** Decoded snapshots per second. */
  hz: number;
  snapshots: number;
  /** Snapshots with at least one record that never settled, and unreadable ones. */
  torn: number;
  unreadable: number;
}

export interface TelemetryRateResults {
  cores: number;
  ramFileMaximum: RateMeasurement;
  /** The poller at POLLER_TARGET_HZ: polls actually delivered per second and ticks it had to skip. */
  poller: RateMeasurement & { askedHz: number; skippedTicks: number };
  qmpMaximum: RateMeasurement & { method: string };
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

export async function measureTelemetryRate(
  build: BuildOutputs,
  profile: QemuProfile,
  windowSeconds: number,
): Promise<TelemetryRateResults> {
  const run = await GuestRun.start({
    kernelPath: build.bootElf,
    kernelElfPath: build.kernelElf,
    profile,
    overrides: { cmdline: "ms=600000" }, // busy for longer than the measurement; stopped at the end
  });
  try {
    await run.waitForReady();
    await run.qemu.serial.waitForLine((line) => line.message.startsWith("compute: "), { timeoutMs: 30_000 });

    // Back-to-back reads on the same decoder path the reader uses, without the guest-clock bookkeeping.
    const ram = new RamFileSource(run.qemu.ramPath);
    let ramFileMaximum: RateMeasurement;
    try {
      const read = ram.reader(run.telemetry!.location.physicalAddress);
      ramFileMaximum = await countFor(windowSeconds, async () => decodeTelemetry(read));
    } finally {
      ram.close();
    }

    const poller = run.createPoller({ rateHz: POLLER_TARGET_HZ });
    let delivered = 0;
    let pollerTorn = 0;
    let pollerUnreadable = 0;
    poller.onPoll((poll) => {
      delivered++;
      if (poll.unreadable !== null) pollerUnreadable++;
      else if (poll.sample!.snapshot.tornRecords > 0) pollerTorn++;
    });
    const pollerStart = performance.now();
    poller.start();
    await sleep(windowSeconds * 1000);
    await poller.close();
    const pollerSeconds = (performance.now() - pollerStart) / 1000;

    const qmp = QmpTelemetrySource.forKernel(run.qemu.qmp, build.kernelElf);
    let qmpMaximum: RateMeasurement;
    try {
      qmpMaximum = await countFor(windowSeconds, () => qmp.read());
    } finally {
      await qmp.close();
    }

    return {
      cores: run.qemu.settings.cpus,
      ramFileMaximum,
      poller: {
        askedHz: POLLER_TARGET_HZ,
        hz: delivered / pollerSeconds,
        snapshots: delivered,
        torn: pollerTorn,
        unreadable: pollerUnreadable,
        skippedTicks: poller.statistics.skippedTicks,
      },
      qmpMaximum: { ...qmpMaximum, method: qmp.memory.method },
    };
  } finally {
    await run.stop();
  }
}

/** Calls `read` back to back for `seconds`; counts results (yielding to the event loop now and then). */
async function countFor(seconds: number, read: () => Promise<TelemetryReadResult>): Promise<RateMeasurement> {
  const start = performance.now();
  const end = start + seconds * 1000;
  let snapshots = 0;
  let torn = 0;
  let unreadable = 0;
  while (performance.now() < end) {
    const result = await read();
    snapshots++;
    if (isUnreadable(result)) unreadable++;
    else if (result.tornRecords > 0) torn++;
  }
  return { hz: snapshots / ((performance.now() - start) / 1000), snapshots, torn, unreadable };
}
