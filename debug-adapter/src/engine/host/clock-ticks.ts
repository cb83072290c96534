// clock-ticks.ts - the kernel's clock ticks per second (USER_HZ), the unit of utime/stime in /proc/<pid>/stat.
// Asked once from `getconf CLK_TCK`; 100 when getconf is missing (the value on every mainstream Linux
// architecture). Used by process-cpu.ts.

import { execFileSync } from "node:child_process";

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
