// processes.ts - "nothing left behind" checks shared by every test folder, read from /proc: whether a process
// still exists (a zombie, exited but not reaped, counts as alive), waiting for one to go, the descendants
// of a process, the children of this test process by name, and processes whose command line mentions a
// path (a QEMU whose RAM file lies under a test's TMPDIR). Used with cleanup.ts and the suites' supports.

import { readdirSync, readFileSync } from "node:fs";

export function isAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Polls until `pid` is gone or `timeoutMs` passes; returns whether it is gone. */
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

/** Every process now: /proc/<pid>/stat is "pid (comm) state ppid ...", comm may hold spaces and ")". */
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

/** Live children of this test process whose command name starts with `namePrefix`. */
export function childProcessesNamed(namePrefix: string): number[] {
  return processTable()
    .filter((entry) => entry.parent === process.pid && entry.name.startsWith(namePrefix))
    .map((entry) => entry.pid);
}

/** Process ids whose command line mentions `text` (e.g. a QEMU whose RAM file lies under a test's TMPDIR). */
export function processesMentioning(text: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(text)) found.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return found;
}
