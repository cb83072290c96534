// processes.ts - "nothing left behind" checks for the session tests: whether a process still exists (a
// zombie counts), waiting for one to go, and every descendant of a process read from /proc (the adapter's
// QEMU runs in its own process group but is still its child).

import { readdirSync, readFileSync } from "node:fs";

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export async function waitUntilGone(pid: number, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return true;
}

interface ProcessEntry {
  pid: number;
  parent: number;
  name: string;
}

function processTable(): ProcessEntry[] {
  const entries: ProcessEntry[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      entries.push({
        pid: Number(name),
        name: stat.slice(stat.indexOf("(") + 1, close),
        parent: Number(stat.slice(close + 2).split(" ")[1]),
      });
    } catch {
      // gone while reading
    }
  }
  return entries;
}

/** Every live descendant of `root` (children, their children...), with its command name. */
export function descendants(root: number): { pid: number; name: string }[] {
  const table = processTable();
  const found: { pid: number; name: string }[] = [];
  const frontier = [root];
  while (frontier.length > 0) {
    const parent = frontier.pop()!;
    for (const entry of table.filter((candidate) => candidate.parent === parent)) {
      found.push({ pid: entry.pid, name: entry.name });
      frontier.push(entry.pid);
    }
  }
  return found;
}
