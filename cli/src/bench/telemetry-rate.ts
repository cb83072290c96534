// telemetry-rate.ts - benchmark row "telemetry: sustained snapshot rate". With every core of the compute
// sample busy (records rewritten all the time, so the seqlock retries are exercised), it measures: the most
// decoded snapshots per second from the RAM file (reads back to back), what the poller delivers when asked
// for 50 Hz, the most snapshots per second through QMP (pmemsave, the attach fallback), and the most whole
// `toro exporter` scrapes per second (discovery of the run folders, every VM's block, QEMU's CPU, the
// exposition text). Pairs with bench-command.ts and ../../engine/telemetry/, ../../engine/exporter/.

import * as path from "node:path";
import { performance } from "node:perf_hooks";
import {
  BuildOutputs,
  decodeTelemetry,
  Exporter,
  formatExposition,
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
  /** Whole exporter scrapes back to back over the run folders next to this VM's (`vms` VMs in the last one);
   * unreadable: scrapes where a VM's block could not be read. */
  exporterMaximum: RateMeasurement & { vms: number };
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

    const exporter = new Exporter({ runsDirectory: path.dirname(run.qemu.directory) });
    let exporterMaximum: RateMeasurement & { vms: number };
    try {
      exporterMaximum = await countScrapes(windowSeconds, exporter);
    } finally {
      await exporter.close();
    }

    return {
      cores: run.qemu.settings.cpus,
      exporterMaximum,
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

/** Whole scrapes (collect + Prometheus text) back to back for `seconds`. */
async function countScrapes(seconds: number, exporter: Exporter): Promise<RateMeasurement & { vms: number }> {
  const start = performance.now();
  const end = start + seconds * 1000;
  let scrapes = 0;
  let unreadable = 0;
  let vms = 0;
  while (performance.now() < end) {
    const families = await exporter.collect();
    formatExposition(families, "prometheus");
    const up = families.find((family) => family.name === "toro_vm_up")?.samples ?? [];
    vms = up.length;
    if (up.some((sample) => sample.value === 0)) unreadable++;
    scrapes++;
  }
  return { hz: scrapes / ((performance.now() - start) / 1000), snapshots: scrapes, torn: 0, unreadable, vms };
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
