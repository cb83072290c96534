// trace-cost.ts - benchmark row "trace: guest throughput": what writing the event trace costs the guest.
// samples/trace-load times itself: every core passes tokens round a ring of channels (halts, IPI wake-ups,
// a contended spinlock, sleeps, yields: every kind the trace records), and its main thread alternates
// slices of guest time - off, on (every kind), off, control (off, placed like on), ... - switching the kinds
// itself, and prints token passes per slice. Each on or control slice is compared with the mean of the off
// slices around it; the control ratios are the noise, in the same table, so the reader sees whether a 3 %
// difference can be seen at all. Two clocks: the profile as it is (guest TSC, which under TCG follows the
// host's clock, so host load is noise) and the same with QEMU's `-icount` (guest time counts instructions:
// no host noise, the cost in instructions). Pairs with bench-command.ts; the report is formatTraceCost below.

import { BuildOutputs, GuestRun, QemuProfile, ToroError } from "@toro-studio/debug-adapter";
import { decimal, formatTable } from "../text-table";
import { median } from "./statistics";
import { verdict } from "./verdict";

/** The target: tracing on costs the guest less than 3 %. */
export const MINIMUM_TRACE_RATIO = 0.97;
/** -icount shift=1: 2 ns of guest time per instruction; sleep=off: when every vCPU is halted guest time jumps
 * to the next timer instead of following the host clock (sleep=on), so no host time leaks into the slices. */
export const ICOUNT_ARGS = ["-icount", "shift=1,sleep=off"];
export const ICOUNT_NS_PER_INSTRUCTION = 2;
const SLICE_LINE = /^trace-load: slice=(\d+) mode=(off|on|control) ops=(\d+) ns=(\d+) events=(\d+)$/;
const DONE_LINE = /^trace-load: done/;

export type TraceLoadMode = "off" | "on" | "control";
export type TraceClock = "tsc" | "icount";

export interface TraceLoadSlice {
  mode: TraceLoadMode;
  /** Token passes, all cores together. */
  ops: number;
  /** Guest nanoseconds (TSC) the slice lasted. */
  nanoseconds: number;
  /** Trace events written during the slice (0 unless on). */
  events: number;
}

export interface RatioSummary {
  /** Median over slices of slice rate / mean(rate of the off slice before, after). */
  median: number | null;
  min: number | null;
  max: number | null;
}

export interface TraceCostRun {
  clock: TraceClock;
  slices: TraceLoadSlice[];
  offOpsPerSecond: number | null;
  onOpsPerSecond: number | null;
  on: RatioSummary;
  control: RatioSummary;
  /** Events per guest second in the on slices. */
  eventsPerSecond: number | null;
  /** Guest nanoseconds one event costs: (1 - on ratio) / events per second. */
  nanosecondsPerEvent: number | null;
  /** Events counted in off and control slices: 0, or a few begun on another core just before the switch. */
  eventsWhileOff: number;
}

export interface TraceCostResults {
  sliceMilliseconds: number;
  rounds: number;
  runs: TraceCostRun[];
}

/** One `trace-load: slice=...` line, or null for any other line. */
export function parseTraceLoadLine(text: string): TraceLoadSlice | null {
  const match = SLICE_LINE.exec(text.trim());
  if (match === null) return null;
  return {
    mode: match[2] as TraceLoadMode,
    ops: Number(match[3]),
    nanoseconds: Number(match[4]),
    events: Number(match[5]),
  };
}

const rate = (slice: TraceLoadSlice) => (slice.nanoseconds > 0 ? (slice.ops * 1e9) / slice.nanoseconds : 0);

function ratios(slices: TraceLoadSlice[], mode: TraceLoadMode): RatioSummary {
  const values: number[] = [];
  slices.forEach((slice, index) => {
    const [before, after] = [slices[index - 1], slices[index + 1]];
    if (slice.mode !== mode || before?.mode !== "off" || after?.mode !== "off") return;
    const off = (rate(before) + rate(after)) / 2;
    if (off > 0) values.push(rate(slice) / off);
  });
  return {
    median: median(values),
    min: values.length ? Math.min(...values) : null,
    max: values.length ? Math.max(...values) : null,
  };
}

/** The row's numbers from the guest's slices (pure: the unit tests feed it made-up slices). */
export function summarizeTraceLoad(clock: TraceClock, slices: TraceLoadSlice[]): TraceCostRun {
  const on = slices.filter((slice) => slice.mode === "on");
  const onSeconds = on.reduce((sum, slice) => sum + slice.nanoseconds / 1e9, 0);
  const eventsPerSecond = onSeconds > 0 ? on.reduce((sum, slice) => sum + slice.events, 0) / onSeconds : null;
  const onRatios = ratios(slices, "on");
  return {
    clock,
    slices,
    offOpsPerSecond: median(slices.filter((slice) => slice.mode === "off").map(rate)),
    onOpsPerSecond: median(on.map(rate)),
    on: onRatios,
    control: ratios(slices, "control"),
    eventsPerSecond,
    nanosecondsPerEvent:
      onRatios.median === null || !eventsPerSecond ? null : ((1 - onRatios.median) / eventsPerSecond) * 1e9,
    eventsWhileOff: slices
      .filter((slice) => slice.mode !== "on")
      .reduce((sum, slice) => sum + slice.events, 0),
  };
}

async function runTraceLoad(
  build: BuildOutputs,
  profile: QemuProfile,
  clock: TraceClock,
  rounds: number,
  sliceMilliseconds: number,
): Promise<TraceLoadSlice[]> {
  const run = await GuestRun.start({
    kernelPath: build.bootElf,
    kernelElfPath: build.kernelElf,
    profile,
    overrides: {
      cmdline: `slice_ms=${sliceMilliseconds} rounds=${rounds} trace=off`,
      ...(clock === "icount" ? { extraArgs: ICOUNT_ARGS } : {}),
    },
  });
  try {
    const slices: TraceLoadSlice[] = [];
    const unsubscribe = run.qemu.serial.onLine((line) => {
      const slice = parseTraceLoadLine(line.message);
      if (slice !== null) slices.push(slice);
    });
    try {
      // Guest time; under -icount on a loaded host it may run several times slower than the wall clock.
      const guestMilliseconds = (rounds * 4 + 2) * sliceMilliseconds;
      await run.qemu.serial.waitForLine((line) => DONE_LINE.test(line.message), {
        timeoutMs: 60_000 + guestMilliseconds * 20,
      });
    } finally {
      unsubscribe();
    }
    if (slices.length !== rounds * 4 + 1)
      throw new ToroError(`trace-load printed ${slices.length} slices, expected ${rounds * 4 + 1}`);
    return slices;
  } finally {
    await run.stop();
  }
}

/** Both clocks (icount only under TCG), one boot each. */
export async function measureTraceCost(
  build: BuildOutputs,
  profile: QemuProfile,
  rounds: number,
  sliceMilliseconds: number,
  log: (line: string) => void,
): Promise<TraceCostResults> {
  const clocks: TraceClock[] = profile.accel === "tcg" ? ["tsc", "icount"] : ["tsc"];
  const runs: TraceCostRun[] = [];
  for (const clock of clocks) {
    log(
      `trace cost: samples/trace-load, ${clock === "icount" ? "-icount " : ""}${rounds} rounds of ` +
        `off / on / off / control, ${sliceMilliseconds} ms of guest time each ...`,
    );
    runs.push(
      summarizeTraceLoad(clock, await runTraceLoad(build, profile, clock, rounds, sliceMilliseconds)),
    );
  }
  return { sliceMilliseconds, rounds, runs };
}

/** Whether the noise lets a difference of 1 - MINIMUM_TRACE_RATIO be seen: every control ratio closer. */
export function resolvesTarget(run: TraceCostRun): boolean {
  if (run.control.min === null || run.control.max === null) return false;
  const margin = 1 - MINIMUM_TRACE_RATIO;
  return 1 - run.control.min < margin && run.control.max - 1 < margin;
}

function ratioText(summary: RatioSummary): string {
  if (summary.median === null) return "-";
  return `${decimal(summary.median, 3)} (${decimal(summary.min!, 3)}-${decimal(summary.max!, 3)})`;
}

function targetText(run: TraceCostRun): string {
  if (run.on.median === null) return verdict(null);
  if (!resolvesTarget(run)) return `>= ${MINIMUM_TRACE_RATIO} (inconclusive: noise over 3 %)`;
  return `>= ${MINIMUM_TRACE_RATIO} (${verdict(run.on.median >= MINIMUM_TRACE_RATIO)})`;
}

export function formatTraceCost(results: TraceCostResults): string[] {
  const clockName = (clock: TraceClock) => (clock === "icount" ? "icount" : "TSC");
  return [
    `Event trace: samples/trace-load (token ring, halts, IPIs, a shared lock, sleeps, yields), ` +
      `${results.rounds} rounds of off / on (every kind) / off / control (off) slices of ` +
      `${results.sliceMilliseconds} ms guest time, timed by the guest; vs off = slice / mean(off neighbours), ` +
      `median (min-max); control = the noise. icount: guest time counts instructions ` +
      `(${ICOUNT_NS_PER_INSTRUCTION} ns each), no host noise`,
    ...formatTable(
      ["clock", "tracing", "ops/s (median)", "vs off", "events/s", "ns/event", "target"],
      results.runs.flatMap((run) => [
        [
          clockName(run.clock),
          "off",
          run.offOpsPerSecond === null ? "-" : decimal(run.offOpsPerSecond, 0),
          "1.000",
          `${decimal(run.eventsWhileOff, 0)} (total)`,
          "",
          "",
        ],
        [clockName(run.clock), "control", "", ratioText(run.control), "", "", "noise"],
        [
          clockName(run.clock),
          "on",
          run.onOpsPerSecond === null ? "-" : decimal(run.onOpsPerSecond, 0),
          ratioText(run.on),
          run.eventsPerSecond === null ? "-" : decimal(run.eventsPerSecond, 0),
          run.nanosecondsPerEvent === null ? "-" : decimal(run.nanosecondsPerEvent, 1),
          targetText(run),
        ],
      ]),
      ["left", "left", "right", "right", "right", "right", "left"],
    ),
    ...results.runs
      .filter((run) => run.nanosecondsPerEvent !== null && run.nanosecondsPerEvent > 0)
      .map(
        (run) =>
          `${clockName(run.clock)}: at ${decimal(run.nanosecondsPerEvent, 1)} ns per event, a 3 % cost is ` +
          `${decimal(((1 - MINIMUM_TRACE_RATIO) / run.nanosecondsPerEvent!) * 1e9, 0)} events per guest second ` +
          `(this load writes ${decimal(run.eventsPerSecond, 0)})`,
      ),
  ];
}
