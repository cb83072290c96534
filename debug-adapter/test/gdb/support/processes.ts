// processes.ts - "nothing left behind" checks for the GDB layer's tests. A process counts as gone only once
// its id no longer exists at all: a zombie (exited but not reaped by its parent) still counts as alive.
// Pairs with session.ts, which records the GDB and QEMU process ids it started.

import { readdirSync, readFileSync } from "node:fs";

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Polls until `pid` is gone or `timeoutMs` passes; returns whether it is gone. */
export async function waitForProcessGone(pid: number, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isProcessAlive(pid)) {
    if (Date.now() > deadline) {
      return false;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return true;
}

/** Live child processes of this test process whose command name starts with `namePrefix` (from /proc). */
export function childProcessesNamed(namePrefix: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^[0-9]+$/.test(entry)) {
      continue;
    }
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may contain spaces, so split after the last ")".
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      const name = stat.slice(stat.indexOf("(") + 1, close);
      const parentPid = Number.parseInt(stat.slice(close + 2).split(" ")[1], 10);
      if (parentPid === process.pid && name.startsWith(namePrefix)) {
        found.push(Number.parseInt(entry, 10));
      }
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}
