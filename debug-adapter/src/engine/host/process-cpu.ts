// process-cpu.ts - host CPU used by a process (QEMU), from utime + stime in /proc/<pid>/stat (all threads),
// as a percentage of one host core over an interval, in the kernel's clock ticks (USER_HZ: asked once from
// `getconf CLK_TCK`, 100 when getconf is missing, the value on every mainstream Linux architecture).
// Linux only. The telemetry poller samples it for the VM's QEMU.

import * as fs from "node:fs";
import { execFileSync } from "node:child_process";
import { performance } from "node:perf_hooks";

export const FALLBACK_CLOCK_TICKS = 100;
let cached: number | undefined;

export function clockTicksPerSecond(): number {
  if (cached !== undefined) return cached;
  try {
    const value = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8", timeout: 5000 }).trim());
    cached = Number.isInteger(value) && value > 0 ? value : FALLBACK_CLOCK_TICKS;
  } catch {
    cached = FALLBACK_CLOCK_TICKS;
  }
  return cached;
}

export interface CpuReading {
  /** utime + stime, in clock ticks. */
  ticks: number;
  /** performance.now() when read. */
  hostTimeMs: number;
}

/** Parses the contents of /proc/<pid>/stat; the command name (field 2) may contain spaces and ')'. */
export function parseProcStatTicks(stat: string): number | null {
  const end = stat.lastIndexOf(")");
  if (end < 0) return null;
  // After ") " come field 3 (state) onwards; utime and stime are fields 14 and 15.
  const fields = stat.slice(end + 2).split(" ");
  const userTicks = Number(fields[14 - 3]);
  const systemTicks = Number(fields[15 - 3]);
  if (!Number.isFinite(userTicks) || !Number.isFinite(systemTicks)) return null;
  return userTicks + systemTicks;
}

/** The state letter (field 3 of /proc/<pid>/stat: R, S, D, T stopped by a signal, t traced, Z...), or null. */
export function parseProcStatState(stat: string): string | null {
  const end = stat.lastIndexOf(")");
  const state = end < 0 ? "" : stat.charAt(end + 2);
  return /^[A-Za-z]$/.test(state) ? state : null;
}

/** True when the process is stopped (SIGSTOP, SIGTSTP: state T), false when not, null when it is gone. */
export function isProcessStopped(pid: number): boolean | null {
  try {
    const state = parseProcStatState(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
    return state === null ? null : state === "T";
  } catch {
    return null;
  }
}

/** The process's CPU ticks now, or null when it is gone or /proc is unavailable. */
export function readProcessCpu(pid: number): CpuReading | null {
  try {
    const ticks = parseProcStatTicks(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
    return ticks === null ? null : { ticks, hostTimeMs: performance.now() };
  } catch {
    return null;
  }
}

/** Percent of one host core between two readings (100 = one core fully busy; can exceed 100). */
export function cpuPercent(
  from: CpuReading,
  to: CpuReading,
  ticksPerSecond = clockTicksPerSecond(),
): number | null {
  const seconds = (to.hostTimeMs - from.hostTimeMs) / 1000;
  if (seconds <= 0) return null;
  return ((to.ticks - from.ticks) / ticksPerSecond / seconds) * 100;
}

/** Readings kept for windowed figures; at 4 Hz this is over 15 s of history. */
const HISTORY_LIMIT = 64;

/**
 * Samples a process's CPU: per interval, over a recent window (smoother: /proc counts in 10 ms ticks, so a
 * 250 ms interval has a 4% resolution), and over everything since the sampler was created.
 */
export class ProcessCpuSampler {
  private readonly first: CpuReading | null;
  private readonly history: CpuReading[] = [];

  constructor(readonly pid: number) {
    this.first = readProcessCpu(pid);
    if (this.first !== null) this.history.push(this.first);
  }

  /** Takes a reading; returns percent over the interval since the previous one (null if not measurable). */
  sample(): number | null {
    const reading = readProcessCpu(this.pid);
    const previous = this.history[this.history.length - 1];
    if (reading === null || previous === undefined) return null;
    this.history.push(reading);
    if (this.history.length > HISTORY_LIMIT) this.history.shift();
    return cpuPercent(previous, reading);
  }

  /** Percent between the latest reading and the oldest one at most `windowMs` older. */
  recent(windowMs: number): number | null {
    const latest = this.history[this.history.length - 1];
    if (latest === undefined) return null;
    const oldest = this.history.find((reading) => latest.hostTimeMs - reading.hostTimeMs <= windowMs);
    return oldest === undefined || oldest === latest ? null : cpuPercent(oldest, latest);
  }

  /** Percent over everything sampled so far (creation to the latest reading). */
  overall(): number | null {
    const latest = this.history[this.history.length - 1];
    return this.first === null || latest === undefined ? null : cpuPercent(this.first, latest);
  }
}
