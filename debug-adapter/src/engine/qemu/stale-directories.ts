// stale-directories.ts - each private launch directory names its owner (the Node process that made it, and
// that process's PID namespace) in a small `owner` file; a later launch in the same parent directory removes
// the directories whose owner died without cleaning up (killed outright: no exit hook ran). Contract: a
// directory is removed only when its owner file is readable, names our PID namespace (a PID from another
// container's namespace means nothing here) and that PID no longer exists. Directories of live owners,
// without an owner file (being created, or made by an older version) or of other users are left alone.
// Pairs with private-directory.ts and orphan-guard.ts (which makes sure the QEMU died with its owner).

import * as fs from "node:fs";
import * as path from "node:path";

const OWNER_FILE = "owner";

interface Owner {
  pid: number;
  pidNamespace: string;
}

function currentPidNamespace(): string {
  try {
    return fs.readlinkSync("/proc/self/ns/pid");
  } catch {
    return "unknown";
  }
}

/** True while a process with this PID exists (ours or, EPERM, another user's). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== "ESRCH"; // EPERM: it exists, someone else's
  }
}

function readOwner(directory: string): Owner | undefined {
  try {
    const owner = JSON.parse(fs.readFileSync(path.join(directory, OWNER_FILE), "utf8")) as Partial<Owner>;
    if (!Number.isInteger(owner.pid) || typeof owner.pidNamespace !== "string") return undefined;
    return { pid: owner.pid!, pidNamespace: owner.pidNamespace };
  } catch {
    return undefined;
  }
}

/** Records this process as the owner of `directory` (call right after creating it, before QEMU starts). */
export function writeOwner(directory: string): void {
  const owner: Owner = { pid: process.pid, pidNamespace: currentPidNamespace() };
  fs.writeFileSync(path.join(directory, OWNER_FILE), JSON.stringify(owner), { mode: 0o600 });
}

/** Removes the directories under `parent` starting with `prefix` whose owner is gone; returns their paths. */
export function removeStaleDirectories(parent: string, prefix: string): string[] {
  const namespace = currentPidNamespace();
  const uid = process.getuid?.();
  const removed: string[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(parent).filter((name) => name.startsWith(prefix));
  } catch {
    return removed; // an unreadable parent: the launch itself will say so
  }
  for (const name of names) {
    const directory = path.join(parent, name);
    try {
      const status = fs.lstatSync(directory);
      if (!status.isDirectory() || (uid !== undefined && status.uid !== uid)) continue;
      const owner = readOwner(directory);
      if (owner === undefined || owner.pidNamespace !== namespace || isAlive(owner.pid)) continue;
      fs.rmSync(directory, { recursive: true, force: true });
      removed.push(directory);
    } catch {
      // gone meanwhile, or not ours to remove: leave it
    }
  }
  return removed;
}
