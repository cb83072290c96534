// trace-cost.ts - benchmark row "trace: guest throughput": what writing the event trace costs the guest. One
// boot of samples/compute with `yield=` (every core context-switches tens of thousands of times a second,
// two trace events each), and slices that alternate tracing off and on by writing enabled_kinds in guest RAM
// (../../engine/trace/trace-control.ts) - no reboot, so both sides run on the same boot and the host's load
// mostly cancels, as in guest-throughput.ts (whose progress reader this shares). Each "on" slice is
// compared with the mean of the off slices around it; the median ratio is reported with the events written
// per second. Pairs with bench-command.ts; the report is formatTraceCost below.

import { performance } from "node:perf_hooks";
import {
  ALL_TRACE_KINDS,
  BuildOutputs,
  GuestRun,
  QemuProfile,
  RamFileSource,
  TraceDrain,
  TraceSwitch,
} from "@toro-studio/debug-adapter";
import { decimal, formatTable } from "../text-table";
import { ProgressReader } from "./guest-throughput";
import { median } from "./statistics";
import { verdict } from "./verdict";

/** Iterations between two yields in the compute sample: ~30,000 context switches per second per vCPU under TCG. */
export const TRACE_COST_YIELD_EVERY = 16;
/** The target: tracing on costs the guest less than 3 %. */
export const MINIMUM_TRACE_RATIO = 0.97;
const WARM_UP_MS = 300;
const STARTED_LINE = /^compute: \d+ cores, /;

export interface TraceCostResults {
  sliceMilliseconds: number;
  rounds: number;
  yieldEvery: number;
  /** Guest iterations per host second, median over the slices of each kind. */
  medianOffIterationsPerSecond: number | null;
  medianOnIterationsPerSecond: number | null;
  /** Median over "on" slices of on / mean(off before, off after). */
  ratioToOff: number | null;
  /** Trace events written per second during the "on" slices, all cores together. */
  eventsPerSecond: number | null;
  /** Events counted in off slices: 0, or a few begun just before the switch (a check of the switch). */
  eventsWhileOff: number;
  slices: { mode: "off" | "on"; iterationsPerSecond: number; events: number; seconds: number }[];
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

export async function measureTraceCost(
  build: BuildOutputs,
  profile: QemuProfile,
  rounds: number,
  sliceMilliseconds: number,
  log: (line: string) => void,
): Promise<TraceCostResults> {
  const computeMilliseconds = WARM_UP_MS + (rounds * 2 + 1) * sliceMilliseconds + 60_000;
  const run = await GuestRun.start({
    kernelPath: build.bootElf,
    kernelElfPath: build.kernelElf,
    profile,
    overrides: { cmdline: `ms=${computeMilliseconds} yield=${TRACE_COST_YIELD_EVERY} trace=off` },
  });
  const ram = new RamFileSource(run.qemu.ramPath);
  let traceSwitch: TraceSwitch | undefined;
  try {
    await run.waitForReady();
    await run.qemu.serial.waitForLine((line) => STARTED_LINE.test(line.message), { timeoutMs: 30_000 });
    const blockAddress = run.telemetry!.location.physicalAddress;
    traceSwitch = new TraceSwitch(run.qemu.ramPath, blockAddress);
    const drain = new TraceDrain((address, length) => ram.readPhysical(address, length), blockAddress, 1000);
    const written = () => {
      drain.drain();
      return drain.statistics().reduce((sum, core) => sum + core.written, 0);
    };
    const progress = new ProgressReader(build.kernelElf, ram, run.qemu.settings.cpus);
    await sleep(WARM_UP_MS);
    const plan: ("off" | "on")[] = ["off"];
    for (let round = 0; round < rounds; round++) plan.push("on", "off");
    log(`trace cost: ${plan.length} slices of ${sliceMilliseconds} ms, tracing off / on (every kind) ...`);
    const slices: { mode: "off" | "on"; iterationsPerSecond: number; events: number; seconds: number }[] = [];
    let startMs = performance.now();
    let startIterations = progress.total();
    let startEvents = written();
    const kindsFor = (mode: "off" | "on" | undefined) => (mode === "on" ? ALL_TRACE_KINDS : 0);
    traceSwitch.kinds = kindsFor(plan[0]);
    for (const [index, mode] of plan.entries()) {
      await sleep(sliceMilliseconds);
      // Tracing goes off before the counters are read and on after: the host may be slow to read (QEMU's
      // vCPUs take its cores), and no event written with tracing on may land in an off slice.
      const next = plan[index + 1];
      if (next !== "on") traceSwitch.kinds = kindsFor(next);
      const endMs = performance.now();
      const endIterations = progress.total();
      const endEvents = written();
      if (next === "on") traceSwitch.kinds = kindsFor(next);
      const seconds = (endMs - startMs) / 1000;
      slices.push({
        mode,
        iterationsPerSecond: (endIterations - startIterations) / seconds,
        events: endEvents - startEvents,
        seconds,
      });
      [startMs, startIterations, startEvents] = [endMs, endIterations, endEvents];
    }
    const ratios: number[] = [];
    slices.forEach((slice, index) => {
      if (slice.mode !== "on") return;
      const off = (slices[index - 1].iterationsPerSecond + slices[index + 1].iterationsPerSecond) / 2;
      if (off > 0) ratios.push(slice.iterationsPerSecond / off);
    });
    const on = slices.filter((slice) => slice.mode === "on");
    const onSeconds = on.reduce((sum, slice) => sum + slice.seconds, 0);
    return {
      sliceMilliseconds,
      rounds,
      yieldEvery: TRACE_COST_YIELD_EVERY,
      medianOffIterationsPerSecond: median(
        slices.filter((slice) => slice.mode === "off").map((slice) => slice.iterationsPerSecond),
      ),
      medianOnIterationsPerSecond: median(on.map((slice) => slice.iterationsPerSecond)),
      ratioToOff: median(ratios),
      eventsPerSecond: onSeconds > 0 ? on.reduce((sum, slice) => sum + slice.events, 0) / onSeconds : null,
      slices,
      eventsWhileOff: slices
        .filter((slice) => slice.mode === "off")
        .reduce((sum, slice) => sum + slice.events, 0),
    };
  } finally {
    traceSwitch?.close();
    ram.close();
    await run.stop();
  }
}

export function formatTraceCost(results: TraceCostResults): string[] {
  const met = results.ratioToOff === null ? null : results.ratioToOff >= MINIMUM_TRACE_RATIO;
  return [
    `Event trace: samples/compute yield=${results.yieldEvery}, one boot, ${results.rounds} rounds of ` +
      `${results.sliceMilliseconds} ms, tracing switched off / on (every kind) in guest RAM between slices`,
    ...formatTable(
      ["tracing", "iterations/s (median)", "vs off", "events/s", "target"],
      [
        [
          "off",
          results.medianOffIterationsPerSecond === null
            ? "-"
            : decimal(results.medianOffIterationsPerSecond, 0),
          "1.000",
          decimal(results.eventsWhileOff, 0) + " (total)",
          "",
        ],
        [
          "on",
          results.medianOnIterationsPerSecond === null
            ? "-"
            : decimal(results.medianOnIterationsPerSecond, 0),
          results.ratioToOff === null ? "-" : decimal(results.ratioToOff, 3),
          results.eventsPerSecond === null ? "-" : decimal(results.eventsPerSecond, 0),
          `>= ${MINIMUM_TRACE_RATIO} (${verdict(met)})`,
        ],
      ],
      ["left", "right", "right", "right", "left"],
    ),
  ];
}
