// process-tree.ts - the processes a benchmark started indirectly (the adapter's QEMU and GDB), found by
// parent id in /proc while the adapter is alive, so that once it is gone none of them outlives the
// benchmark. A process is identified by pid and start time, so a reused pid is never killed. Linux only;
// only ever used on the descendants of a process this CLI spawned itself.

import * as fs from "node:fs";

export interface ProcessIdentity {
  pid: number;
  /** Field 22 of /proc/<pid>/stat: start time in clock ticks since boot. */
  startTime: string;
}

/** Parent id and start time from /proc/<pid>/stat (the command name in field 2 may hold spaces and ')'). */
function readStat(pid: number): { parent: number; startTime: string } | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // fields[0] is field 3
    return { parent: Number(fields[4 - 3]), startTime: fields[22 - 3] };
  } catch {
    return null;
  }
}

/** Every live descendant of `root` (children, their children, ...). */
export function descendantsOf(root: number): ProcessIdentity[] {
  const children = new Map<number, ProcessIdentity[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat === null) continue;
    const siblings = children.get(stat.parent) ?? [];
    siblings.push({ pid: Number(entry), startTime: stat.startTime });
    children.set(stat.parent, siblings);
  }
  const found: ProcessIdentity[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

/** Whether that very process (same pid, same start time) still exists. */
export function isStillRunning(identity: ProcessIdentity): boolean {
  return readStat(identity.pid)?.startTime === identity.startTime;
}

/** SIGKILLs each process of `identities` that still runs; returns the pids it killed. */
export function killSurvivors(identities: ProcessIdentity[]): number[] {
  const killed: number[] = [];
  for (const identity of identities) {
    if (!isStillRunning(identity)) continue;
    try {
      process.kill(identity.pid, "SIGKILL");
      killed.push(identity.pid);
    } catch {
      // gone meanwhile
    }
  }
  return killed;
}
