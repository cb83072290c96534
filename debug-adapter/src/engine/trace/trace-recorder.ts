// trace-recorder.ts - records one guest's event trace while it runs: each telemetry poll (the one telemetry
// stream, ../telemetry/telemetry-poller.ts, or any caller holding a snapshot) hands it the snapshot, from
// which it learns thread and lock names, the TSC rate and which cores are halted, and it drains the rings
// (trace-drain.ts) right then - no timer of its own. At the end it gives the Chrome JSON trace
// (chrome-trace.ts) and the per-core answers (trace-analysis.ts). Pairs with `toro run --trace`.

import * as fs from "node:fs";
import { locateTelemetry, RamFileSource } from "../telemetry/telemetry-reader";
import { TelemetrySnapshot } from "../telemetry/snapshot";
import { buildTimeline, Timeline } from "./core-timeline";
import { chromeTrace, ChromeTraceFile, ChromeTraceNames } from "./chrome-trace";
import { analyzeTimeline, CoreTraceAnalysis } from "./trace-analysis";
import {
  CoreTraceStatistics,
  DEFAULT_WINDOW_EVENTS,
  DrainResult,
  PhysicalRead,
  TraceDrain,
} from "./trace-drain";

/** What `toro run --json` reports under "trace". */
export interface TraceSummary {
  /** Why no event could be drained (no trace section, tracing off); null when events came. */
  problem: string | null;
  enabledKinds: number | null;
  windowSeconds: number;
  /** Events drained per second of guest time, all cores together. */
  eventsPerSecond: number;
  cores: (CoreTraceStatistics & { analysis: CoreTraceAnalysis | null })[];
}

/** The recorder's current window with everything needed to draw or measure it (the DAP toroTraceWindow). */
export interface TraceWindow {
  timeline: Timeline;
  /** The guest's TSC rate (1e9 before any snapshot: cycles shown as nanoseconds). */
  tscHz: number;
  names: ChromeTraceNames;
  statistics: CoreTraceStatistics[];
  analysis: CoreTraceAnalysis[];
  enabledKinds: number | null;
  /** As TraceSummary.problem. */
  problem: string | null;
}

export class TraceRecorder {
  private readonly drainer: TraceDrain;
  private readonly names: ChromeTraceNames = { threads: new Map(), locks: new Map() };
  private readonly halted = new Set<number>();
  private tscHz = 0;
  private lastProblem: string | null = "not drained yet";
  private source: RamFileSource | undefined;

  constructor(readPhysical: PhysicalRead, blockAddress: number, windowEvents = DEFAULT_WINDOW_EVENTS) {
    this.drainer = new TraceDrain(readPhysical, blockAddress, windowEvents);
  }

  /** A recorder over a guest RAM file, finding toro_telemetry in kernel.elf; close() releases the file. */
  static open(kernelElfPath: string, ramPath: string, windowEvents = DEFAULT_WINDOW_EVENTS): TraceRecorder {
    const location = locateTelemetry(kernelElfPath);
    const source = new RamFileSource(ramPath);
    const recorder = new TraceRecorder(
      (address, length) => source.readPhysical(address, length),
      location.physicalAddress,
      windowEvents,
    );
    recorder.source = source;
    return recorder;
  }

  /** Learns names, the TSC rate and halted cores from a snapshot, then drains. Call once per poll. */
  observe(snapshot: TelemetrySnapshot | null): DrainResult {
    if (snapshot !== null) {
      this.tscHz = snapshot.global.tscHz || this.tscHz;
      for (const thread of snapshot.threads)
        if (!thread.torn && thread.name !== "") this.names.threads.set(thread.id, thread.name);
      for (const lock of snapshot.locks)
        if (!lock.torn && lock.name !== "") this.names.locks.set(lock.index, lock.name);
      this.halted.clear();
      for (const core of snapshot.cores) if (core.state === "halted") this.halted.add(core.index);
    }
    const result = this.drainer.drain();
    this.lastProblem = result.problem;
    return result;
  }

  get drain(): TraceDrain {
    return this.drainer;
  }

  timeline(): Timeline {
    return buildTimeline(this.drainer.eventsByCore());
  }

  chromeTrace(): ChromeTraceFile {
    return chromeTrace(this.timeline(), this.rate(), this.names, this.drainer.statistics());
  }

  /** Writes the Chrome JSON trace to `filePath` (replaced if it exists). */
  writeChromeTrace(filePath: string): void {
    fs.writeFileSync(filePath, JSON.stringify(this.chromeTrace()));
  }

  /** The window as it is now: timeline, names, per-core statistics and answers. */
  window(): TraceWindow {
    const timeline = this.timeline();
    const statistics = this.drainer.statistics();
    return {
      timeline,
      tscHz: this.rate(),
      names: this.names,
      statistics,
      analysis: analyzeTimeline(timeline, this.rate(), this.names, this.halted),
      enabledKinds: this.drainer.traceSection?.enabledKinds ?? null,
      problem: statistics.some((core) => core.drained > 0)
        ? null
        : (this.lastProblem ?? "no event was written (is trace= on?)"),
    };
  }

  summary(): TraceSummary {
    const { timeline, statistics, analysis, enabledKinds, problem } = this.window();
    const windowSeconds = (timeline.endTsc - timeline.startTsc) / this.rate();
    const inWindow = statistics.reduce((total, core) => total + core.inWindow, 0);
    return {
      problem,
      enabledKinds,
      windowSeconds,
      eventsPerSecond: windowSeconds > 0 ? inWindow / windowSeconds : 0,
      cores: statistics.map((core) => ({
        ...core,
        analysis: analysis.find((entry) => entry.core === core.core) ?? null,
      })),
    };
  }

  close(): void {
    this.source?.close();
    this.source = undefined;
  }

  private rate(): number {
    return this.tscHz > 0 ? this.tscHz : 1e9; // before any snapshot: show cycles as nanoseconds
  }
}
