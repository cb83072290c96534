// telemetry-poller.ts - the one telemetry stream of a VM: polls a TelemetrySource (RAM file or QMP,
// telemetry-reader.ts) at a set rate and hands each listener one TelemetryPoll: the decoded snapshot with the
// guest's estimated "now" (guest-clock.ts), derived per-core activity over its own history (derived.ts) and,
// when QEMU's pid is known, its host CPU (../host/process-cpu.ts). It owns the timer, the guest clock, the
// history and the host CPU sampler; the DAP session's `toroTelemetry` event, the CLI's monitor and --json and
// the benchmark subscribe and only translate. Never stops the VM; never runs two reads at once.

import { performance } from "node:perf_hooks";
import { isProcessStopped, ProcessCpuSampler } from "../host/process-cpu";
import { CoreActivity, coreActivity, TelemetrySample } from "./derived";
import { GuestClock } from "./guest-clock";
import { isUnreadable, TelemetryReadResult } from "./snapshot";
import { TelemetrySource, TelemetrySourceKind } from "./telemetry-reader";

export const DEFAULT_TELEMETRY_HZ = 10;
/** Above this a RAM-file poll would mostly measure the timer; QMP sources cannot keep up anyway. */
export const MAXIMUM_TELEMETRY_HZ = 1000;
export const DEFAULT_HOST_CPU_WINDOW_MS = 1000;
/** /proc counts CPU time in 10 ms ticks: reading it more often than this only adds noise. */
const HOST_CPU_MINIMUM_INTERVAL_MS = 50;
/** Samples kept to compute rates over activityWindowMs. */
const HISTORY_LIMIT_MS = 60_000;

export interface TelemetryPollerOptions {
  source: TelemetrySource;
  /** Polls per second, 0 < rate <= MAXIMUM_TELEMETRY_HZ; default DEFAULT_TELEMETRY_HZ. */
  rateHz?: number;
  /** QEMU's process id, to report its host CPU; omit when unknown (a QEMU on another host or user). */
  qemuPid?: number;
  /** A clock already anchored (e.g. GuestRun's reader's, anchored at the ready line); default a new one. */
  clock?: GuestClock;
  /**
   * Halts/s and time shares are computed against the newest earlier sample at least this much older;
   * default 0: against the previous poll (the DAP protocol's "since the previous event").
   */
  activityWindowMs?: number;
  /** QEMU's host CPU is averaged over this window; default 1000 ms. */
  hostCpuWindowMs?: number;
  /** close() closes the source too; default true. False when the source belongs to someone else (GuestRun). */
  ownsSource?: boolean;
}

/** What one poll found. Plain data: safe to keep, compare and turn into JSON. */
export interface TelemetryPoll {
  /** 1 for the first poll of this poller, +1 per poll (ticks and pollNow alike). */
  sequence: number;
  source: TelemetrySourceKind;
  /** performance.now() when the block was read. */
  hostTimeMs: number;
  /** How long reading and decoding took. */
  readDurationMs: number;
  /** The snapshot and the guest's estimated TSC at its read; null when unreadable. */
  sample: TelemetrySample | null;
  /** Why the block could not be read this time; null when it was. */
  unreadable: string | null;
  /** Per-core view relative to an earlier sample (see activityWindowMs); null when unreadable. */
  activity: CoreActivity[] | null;
  /** QEMU's host CPU over the last hostCpuWindowMs, percent of one host core; null when unknown. */
  hostCpuPercent: number | null;
  qemuPid: number | null;
  /** QEMU's process is stopped by a signal (SIGSTOP: the guest does not run, its gdbstub does not answer);
   * null when unknown. Read at most every HOST_CPU_MINIMUM_INTERVAL_MS. */
  qemuStopped: boolean | null;
}

export interface PollerStatistics {
  polls: number;
  unreadable: number;
  /** Ticks skipped because the previous read had not finished (the source is slower than the rate). */
  skippedTicks: number;
}

type PollListener = (poll: TelemetryPoll) => void;

/**
 * Which polls a listener hears: `every-poll` (ticks and pollNow alike) or `ticks` (the polls the timer made,
 * at rateHz: a tick that finds a pollNow read in flight joins it and counts it as the tick's).
 */
export type PollSelection = "every-poll" | "ticks";

export class TelemetryPoller {
  readonly clock: GuestClock;
  readonly statistics: PollerStatistics = { polls: 0, unreadable: 0, skippedTicks: 0 };
  private rate: number;
  private timer: NodeJS.Timeout | undefined;
  private nextTickMs = 0;
  private inFlight: Promise<TelemetryPoll> | undefined;
  /** Whether the read in flight answers a tick (started by one, or joined by one). */
  private inFlightIsTick = false;
  private latestPoll: TelemetryPoll | undefined;
  private readonly history: TelemetrySample[] = [];
  private readonly listeners = new Map<PollListener, PollSelection>();
  private readonly readStartListeners = new Set<() => void>();
  private readonly hostCpu: ProcessCpuSampler | undefined;
  private lastHostCpuReadingMs = -Infinity;
  private hostCpuPercent: number | null = null;
  private qemuStopped: boolean | null = null;
  private closed = false;

  constructor(private readonly options: TelemetryPollerOptions) {
    this.rate = checkRate(options.rateHz ?? DEFAULT_TELEMETRY_HZ);
    this.clock = options.clock ?? new GuestClock();
    this.hostCpu = options.qemuPid === undefined ? undefined : new ProcessCpuSampler(options.qemuPid);
  }

  get source(): TelemetrySource {
    return this.options.source;
  }

  get rateHz(): number {
    return this.rate;
  }

  get isRunning(): boolean {
    return this.timer !== undefined;
  }

  /** The newest poll (from a tick or pollNow), undefined before the first. */
  get latest(): TelemetryPoll | undefined {
    return this.latestPoll;
  }

  /** Calls `listener` after every poll it selects; returns the unsubscribe function. Listeners run
   * synchronously and must not throw (an exception is reported as uncaught, the poller keeps going). */
  onPoll(listener: PollListener, selection: PollSelection = "every-poll"): () => void {
    this.listeners.set(listener, selection);
    return () => this.listeners.delete(listener);
  }

  /**
   * Calls `listener` just before each read starts (ticks and pollNow alike), e.g. to note the state the VM
   * was in when the block was read; returns the unsubscribe function. Same rules as onPoll's listeners.
   */
  onReadStart(listener: () => void): () => void {
    this.readStartListeners.add(listener);
    return () => this.readStartListeners.delete(listener);
  }

  /**
   * Starts ticking at rateHz: the first poll at once (`now`) or one interval later (`after-interval`, as a
   * DAP session does, whose target is still settling when its events start). No effect if already running.
   */
  start(firstPoll: "now" | "after-interval" = "now"): void {
    if (this.closed) throw new Error("the telemetry poller is closed");
    if (this.timer !== undefined) return;
    this.nextTickMs = performance.now() + (firstPoll === "now" ? 0 : 1000 / this.rate);
    this.schedule();
  }

  /** Stops ticking; a read in flight still completes and is delivered. */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Changes the rate; takes effect from the next tick, which comes at once. */
  setRate(rateHz: number): void {
    this.rate = checkRate(rateHz);
    this.tickNow();
  }

  /**
   * Brings the next tick forward to now, and the grid restarts from it: for when the block has just become
   * worth reading (the guest reported ready), rather than waiting up to an interval. No effect unless running.
   */
  tickNow(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.nextTickMs = performance.now();
    this.schedule();
  }

  /** Anchors the guest clock: the guest TSC was `tsc` at host time `hostMs` (e.g. ready_tsc, ready line). */
  anchorClock(tsc: number, hostMs: number = performance.now()): void {
    this.clock.anchor(tsc, hostMs);
  }

  /** Polls once now (or joins the read in flight) and delivers it to the listeners too. */
  pollNow(): Promise<TelemetryPoll> {
    this.inFlight ??= this.poll().finally(() => {
      this.inFlight = undefined;
      this.inFlightIsTick = false;
    });
    return this.inFlight;
  }

  /** QEMU's host CPU since this poller was created (sampled now), percent of one host core; null if unknown. */
  hostCpuOverall(): number | null {
    if (this.hostCpu === undefined) return null;
    this.hostCpu.sample();
    return this.hostCpu.overall();
  }

  /** Stops, waits for a read in flight, closes the source. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stop();
    await this.inFlight?.catch(() => undefined);
    if (this.options.ownsSource ?? true) await this.options.source.close();
  }

  private schedule(): void {
    const interval = 1000 / this.rate;
    const delay = Math.max(0, this.nextTickMs - performance.now());
    this.timer = setTimeout(() => {
      // Keep to the grid start + k * interval; after a stall, continue from now instead of bursting.
      this.nextTickMs = Math.max(this.nextTickMs + interval, performance.now());
      if (this.inFlight === undefined || !this.inFlightIsTick) {
        this.inFlightIsTick = true;
        void this.pollNow();
      } else {
        this.statistics.skippedTicks++;
      }
      if (this.timer !== undefined) this.schedule();
    }, delay);
  }

  private async poll(): Promise<TelemetryPoll> {
    for (const listener of [...this.readStartListeners]) this.call(listener);
    const started = performance.now();
    const result = await this.readSource();
    const finished = performance.now();
    this.statistics.polls++;
    let sample: TelemetrySample | null = null;
    let activity: CoreActivity[] | null = null;
    if (isUnreadable(result)) {
      this.statistics.unreadable++;
    } else {
      this.clock.observe(result);
      sample = { snapshot: result, guestNowTsc: this.clock.estimate(result.hostTimeMs) };
      activity = coreActivity(sample, this.baseline(result.hostTimeMs));
      this.remember(sample);
    }
    const poll: TelemetryPoll = {
      sequence: this.statistics.polls,
      source: this.options.source.kind,
      hostTimeMs: result.hostTimeMs,
      readDurationMs: finished - started,
      sample,
      unreadable: isUnreadable(result) ? result.unreadable : null,
      activity,
      hostCpuPercent: this.sampleHostCpu(finished),
      qemuPid: this.options.qemuPid ?? null,
      qemuStopped: this.qemuStopped,
    };
    this.latestPoll = poll;
    const isTick = this.inFlightIsTick;
    for (const [listener, selection] of [...this.listeners]) {
      if (selection === "ticks" && !isTick) continue;
      this.call(() => listener(poll));
    }
    return poll;
  }

  /** Runs a listener; an exception is reported as uncaught, and the poller keeps going. */
  private call(listener: () => void): void {
    try {
      listener();
    } catch (error) {
      setImmediate(() => {
        throw error;
      });
    }
  }

  /** The source's result; a source that breaks its no-throw contract still gives an unreadable result. */
  private async readSource(): Promise<TelemetryReadResult> {
    try {
      return await this.options.source.read();
    } catch (error) {
      return {
        unreadable: `telemetry source failed: ${(error as Error).message}`,
        hostTimeMs: performance.now(),
      };
    }
  }

  /** The sample rates are measured against: the newest one at least activityWindowMs older than `nowMs`. */
  private baseline(nowMs: number): TelemetrySample | undefined {
    const window = this.options.activityWindowMs ?? 0;
    for (let index = this.history.length - 1; index >= 0; index--) {
      if (nowMs - this.history[index].snapshot.hostTimeMs >= window) return this.history[index];
    }
    return this.history[0];
  }

  private remember(sample: TelemetrySample): void {
    this.history.push(sample);
    const keepMs = Math.min(HISTORY_LIMIT_MS, (this.options.activityWindowMs ?? 0) + 2000);
    while (
      this.history.length > 2 &&
      sample.snapshot.hostTimeMs - this.history[1].snapshot.hostTimeMs >= keepMs
    ) {
      this.history.shift();
    }
  }

  private sampleHostCpu(nowMs: number): number | null {
    if (this.hostCpu === undefined) return null;
    if (nowMs - this.lastHostCpuReadingMs >= HOST_CPU_MINIMUM_INTERVAL_MS) {
      this.lastHostCpuReadingMs = nowMs;
      this.qemuStopped = isProcessStopped(this.hostCpu.pid);
      this.hostCpu.sample();
      this.hostCpuPercent =
        this.hostCpu.recent(this.options.hostCpuWindowMs ?? DEFAULT_HOST_CPU_WINDOW_MS) ??
        this.hostCpuPercent;
    }
    return this.hostCpuPercent;
  }
}

function checkRate(rateHz: number): number {
  if (!Number.isFinite(rateHz) || rateHz <= 0 || rateHz > MAXIMUM_TELEMETRY_HZ) {
    throw new RangeError(
      `telemetry rate must be above 0 and at most ${MAXIMUM_TELEMETRY_HZ} Hz, got ${rateHz}`,
    );
  }
  return rateHz;
}
