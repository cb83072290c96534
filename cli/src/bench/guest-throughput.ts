// guest-throughput.ts - benchmark row "telemetry: guest throughput": what reading telemetry costs the guest.
// One boot of the compute sample (every core busy); the host runs short slices - polled from the RAM file
// at 50 Hz, polled through QMP at 50 Hz, and a "control" slice with no reader - each between two slices with
// telemetry off, and reads the guest's live iteration counters (`compute_progress` in guest RAM, one tiny
// read per boundary). Each slice is compared with the mean of the off slices around it, so the load other
// programs put on the host (which moves throughput by tens of percent from second to second on a shared
// machine) mostly cancels; the median over rounds is reported. The control slice's ratio is the noise
// floor: a polled ratio within it is no measurable cost. VM stops are counted throughout (QMP STOP events
// and query-status sampled every 100 ms). Pairs with bench-command.ts and samples/compute/main.c.

import { performance } from "node:perf_hooks";
import {
  BuildOutputs,
  ElfFile,
  findSymbol,
  GuestRun,
  QemuProfile,
  QmpTelemetrySource,
  RamFileSource,
  TelemetryPoller,
  ToroError,
  virtualToPhysical,
} from "@toro-studio/debug-adapter";
import { median } from "./statistics";

export const THROUGHPUT_POLL_HZ = 50;
/** "control": no reader, like "off", but placed and compared like the polled slices. */
export const TELEMETRY_MODES = ["off", "ram-file", "qmp", "control"] as const;
const COMPARED_MODES: TelemetryMode[] = ["ram-file", "qmp", "control"];
export type TelemetryMode = (typeof TELEMETRY_MODES)[number];

/** samples/compute/main.c: `struct compute_progress compute_progress[TORO_MAX_CPUS]`, 64 bytes per core,
 * the iteration count (u64) first. */
const PROGRESS_SYMBOL = "compute_progress";
const PROGRESS_RECORD_BYTES = 64;
const STATUS_INTERVAL_MS = 100;
/** Left out at the start: boot is over, but the workers may still be starting. */
const WARM_UP_MS = 300;
const STARTED_LINE = /^compute: \d+ cores, /;

export interface ThroughputSlice {
  mode: TelemetryMode;
  /** Guest iterations per host second over the slice, all cores together. */
  iterationsPerSecond: number;
  durationMs: number;
  polls: number;
}

export interface ThroughputResults {
  sliceMilliseconds: number;
  rounds: number;
  pollHz: number;
  slices: ThroughputSlice[];
  /** VM stops seen during the whole run (STOP events + query-status answers other than "running"). */
  vmStops: number;
  statusSamples: number;
  /** Per mode: median rate, median ratio to the neighbouring off slices, VM stops during its slices. */
  summary: {
    mode: TelemetryMode;
    medianIterationsPerSecond: number | null;
    ratioToOff: number | null;
    vmStops: number;
  }[];
}

/** Reads the compute sample's per-core iteration counters from guest RAM (sum over `cores`). */
export class ProgressReader {
  private readonly address: number;

  constructor(
    kernelElf: string,
    private readonly ram: RamFileSource,
    private readonly cores: number,
  ) {
    const elf = ElfFile.read(kernelElf);
    const physical = virtualToPhysical(elf, findSymbol(elf, PROGRESS_SYMBOL).value);
    if (physical === undefined)
      throw new ToroError(`${kernelElf}: ${PROGRESS_SYMBOL} is in no loaded segment`);
    this.address = Number(physical);
  }

  total(): number {
    const bytes = this.ram.readPhysical(this.address, this.cores * PROGRESS_RECORD_BYTES);
    let sum = 0;
    for (let core = 0; core < this.cores; core++)
      sum += Number(bytes.readBigUInt64LE(core * PROGRESS_RECORD_BYTES));
    return sum;
  }
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

export async function measureGuestThroughput(
  build: BuildOutputs,
  profile: QemuProfile,
  rounds: number,
  sliceMilliseconds: number,
  log: (line: string) => void,
): Promise<ThroughputResults> {
  // Computes for longer than the slices last; QEMU is stopped at the end.
  const computeMilliseconds =
    WARM_UP_MS + (rounds * COMPARED_MODES.length * 2 + 1) * sliceMilliseconds + 60_000;
  const run = await GuestRun.start({
    kernelPath: build.bootElf,
    kernelElfPath: build.kernelElf,
    profile,
    overrides: { cmdline: `ms=${computeMilliseconds}` },
  });
  const ram = new RamFileSource(run.qemu.ramPath);
  const pollers: Partial<Record<TelemetryMode, TelemetryPoller>> = {};
  let sampling = true;
  let statusLoop: Promise<void> | undefined;
  try {
    const qmp = run.qemu.qmp;
    let currentMode: TelemetryMode = "off";
    const stopsByMode: Record<TelemetryMode, number> = { off: 0, "ram-file": 0, qmp: 0, control: 0 };
    let statusSamples = 0;
    qmp.onEvent((event) => {
      if (event.event === "STOP") stopsByMode[currentMode]++;
    });
    await run.waitForReady();
    await run.qemu.serial.waitForLine((line) => STARTED_LINE.test(line.message), { timeoutMs: 30_000 });
    const progress = new ProgressReader(build.kernelElf, ram, run.qemu.settings.cpus);
    pollers["ram-file"] = run.createPoller({ rateHz: THROUGHPUT_POLL_HZ });
    pollers.qmp = new TelemetryPoller({
      source: QmpTelemetrySource.forKernel(qmp, build.kernelElf),
      rateHz: THROUGHPUT_POLL_HZ,
      qemuPid: run.qemu.pid,
    });
    statusLoop = (async () => {
      while (sampling) {
        const status = await qmp.execute<{ status: string }>("query-status").catch(() => null);
        if (status === null) return;
        statusSamples++;
        if (status.status !== "running") stopsByMode[currentMode]++;
        await sleep(STATUS_INTERVAL_MS);
      }
    })();
    await sleep(WARM_UP_MS);

    // off, ram-file, off, qmp, off, control, off, ...: every compared slice has an off slice on each side.
    const plan: TelemetryMode[] = ["off"];
    for (let round = 0; round < rounds; round++) for (const mode of COMPARED_MODES) plan.push(mode, "off");
    log(
      `guest throughput: ${plan.length} slices of ${sliceMilliseconds} ms ` +
        `(RAM file / QMP at ${THROUGHPUT_POLL_HZ} Hz / no reader, each between two off slices) ...`,
    );
    const slices: ThroughputSlice[] = [];
    let startMs = performance.now();
    let startIterations = progress.total();
    for (const mode of plan) {
      currentMode = mode;
      const poller = pollers[mode];
      const pollsBefore = poller?.statistics.polls ?? 0;
      poller?.start();
      await sleep(sliceMilliseconds);
      poller?.stop();
      await poller?.pollNow().catch(() => undefined); // wait for a read in flight; one extra poll in this slice
      const endMs = performance.now();
      const endIterations = progress.total();
      slices.push({
        mode,
        iterationsPerSecond: ((endIterations - startIterations) * 1000) / (endMs - startMs),
        durationMs: endMs - startMs,
        polls: (poller?.statistics.polls ?? 0) - pollsBefore,
      });
      startMs = endMs;
      startIterations = endIterations;
    }
    sampling = false;
    await statusLoop;
    return summarize(slices, rounds, sliceMilliseconds, stopsByMode, statusSamples);
  } finally {
    sampling = false;
    await statusLoop;
    await pollers["ram-file"]?.close();
    await pollers.qmp?.close();
    ram.close();
    await run.stop();
  }
}

export function summarize(
  slices: ThroughputSlice[],
  rounds: number,
  sliceMilliseconds: number,
  stopsByMode: Record<TelemetryMode, number>,
  statusSamples: number,
): ThroughputResults {
  const summary = TELEMETRY_MODES.map((mode) => {
    const ratios: number[] = [];
    slices.forEach((slice, index) => {
      if (slice.mode !== mode || mode === "off") return;
      const before = slices[index - 1];
      const after = slices[index + 1];
      if (before?.mode !== "off" || after?.mode !== "off") return;
      const off = (before.iterationsPerSecond + after.iterationsPerSecond) / 2;
      if (off > 0) ratios.push(slice.iterationsPerSecond / off);
    });
    return {
      mode,
      medianIterationsPerSecond: median(
        slices.filter((slice) => slice.mode === mode).map((slice) => slice.iterationsPerSecond),
      ),
      ratioToOff: mode === "off" ? 1 : median(ratios),
      vmStops: stopsByMode[mode],
    };
  });
  const vmStops = Object.values(stopsByMode).reduce((sum, count) => sum + count, 0);
  return { sliceMilliseconds, rounds, pollHz: THROUGHPUT_POLL_HZ, slices, vmStops, statusSamples, summary };
}
