// build-stamp.ts - a cheap "is the build up to date?" check, so that a launch with nothing to rebuild does
// not pay for make (a process, the Makefile's `find`, hundreds of stats: 20-40 ms, more on a busy machine).
// After a successful make, the stamp records the identity (device, inode, size, modification and change
// time) of every file make could have looked at, and every folder's path: all of kernel/ but its build/, all
// of the app folder, and the build folder. A later build is skipped only when a fresh look finds exactly the same
// entries with the same identities, for the same make command line and environment. Anything added,
// removed, touched or replaced (a source, a header, the Makefile, an object, an output) means: run make.
// Invariant: the stamp is written only when no input changed while make ran, so an edit made during a
// build is never taken as built. Pairs with build-runner.ts (which writes and checks it).

import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/** The stamp's file name, inside the build folder (the only entry the comparison ignores). */
export const STAMP_FILE = ".toro-build-stamp.json";
const STAMP_VERSION = 1;

export interface StampScope {
  kernelDirectory: string;
  appDirectory: string;
  buildDirectory: string;
  /** make and its arguments, as run. */
  command: readonly string[];
  environment: NodeJS.ProcessEnv;
}

/** Path -> identity of every entry in the scope. */
export type TreeIdentity = Record<string, string>;

interface Stamp {
  version: number;
  key: string;
  entries: TreeIdentity;
}

/**
 * A file's identity. A folder is recorded only as being there: what it holds is recorded entry by entry (an
 * added or removed file shows as a changed set of paths), and its own times change when make first creates
 * build/ inside it, which is no reason to build again.
 */
function identityOf(stats: fs.Stats): string {
  if (stats.isDirectory()) return "folder";
  // Times in milliseconds with a sub-microsecond fraction: a rewrite always moves them.
  return `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}`;
}

/**
 * Records every entry under `directory` (but `skip`). Each folder is read with synchronous calls (fast: no
 * thread pool), and the event loop gets a turn between folders, so a launch's other start-up work (QEMU's,
 * GDB's) is never held up for long.
 */
async function walk(directory: string, skip: ReadonlySet<string>, into: Map<string, string>): Promise<void> {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(directory, { withFileTypes: true });
  } catch {
    return; // absent (no build folder yet): nothing to record, and a later one differs
  }
  const folders: string[] = [];
  for (const entry of entries) {
    const entryPath = path.join(directory, entry.name);
    if (skip.has(entryPath)) continue;
    try {
      into.set(entryPath, identityOf(fs.lstatSync(entryPath)));
    } catch {
      continue; // removed while looking: the comparison will differ anyway
    }
    if (entry.isDirectory()) folders.push(entryPath);
  }
  for (const folder of folders) {
    await new Promise((resolve) => setImmediate(resolve));
    await walk(folder, skip, into);
  }
}

/** The identities of everything in the scope, as of now. */
export async function identifyTree(scope: StampScope): Promise<TreeIdentity> {
  const kernelBuild = path.join(scope.kernelDirectory, "build");
  const appBuild = path.join(scope.appDirectory, "build");
  const stamp = path.join(scope.buildDirectory, STAMP_FILE);
  const found = new Map<string, string>();
  for (const root of [scope.kernelDirectory, scope.appDirectory, scope.buildDirectory]) {
    // Build folders are walked as roots of their own; the stamp is the one entry left out.
    await walk(root, new Set([kernelBuild, appBuild, stamp].filter((skipped) => skipped !== root)), found);
  }
  return Object.fromEntries(found);
}

/**
 * Environment variables that cannot change what make builds: where scratch files go, and the shell's own
 * bookkeeping. Every other variable counts (make turns each into a variable the Makefile may read).
 */
const IRRELEVANT_VARIABLES = new Set(["TMPDIR", "TMP", "TEMP", "PWD", "OLDPWD", "SHLVL", "_"]);

/** What else must be equal: make's command line and the environment (make reads all of it). */
function scopeKey(scope: StampScope): string {
  const environment = Object.entries(scope.environment)
    .filter(([name]) => !IRRELEVANT_VARIABLES.has(name))
    .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
  return createHash("sha256")
    .update(JSON.stringify({ command: scope.command, environment }))
    .digest("hex");
}

function sameEntries(left: TreeIdentity, right: TreeIdentity): boolean {
  const leftKeys = Object.keys(left);
  if (leftKeys.length !== Object.keys(right).length) return false;
  return leftKeys.every((key) => left[key] === right[key]);
}

/** Whether the last stamped build is still current; the number of entries compared when it is. */
export async function checkStamp(
  scope: StampScope,
): Promise<{ upToDate: true; entries: number } | { upToDate: false }> {
  let stamp: Stamp;
  try {
    const text = await fs.promises.readFile(path.join(scope.buildDirectory, STAMP_FILE), "utf8");
    stamp = JSON.parse(text) as Stamp;
  } catch {
    return { upToDate: false };
  }
  if (stamp.version !== STAMP_VERSION || stamp.key !== scopeKey(scope)) return { upToDate: false };
  const now = await identifyTree(scope);
  return sameEntries(stamp.entries, now)
    ? { upToDate: true, entries: Object.keys(now).length }
    : { upToDate: false };
}

/**
 * After a successful make: records the tree as it is now, unless a source changed while make ran
 * (`before` is the tree as make started; entries of the build folder may differ, make wrote them).
 * Returns whether the stamp was written. Never throws: without a stamp, the next build just runs make.
 */
export async function writeStamp(scope: StampScope, before: TreeIdentity): Promise<boolean> {
  const stampPath = path.join(scope.buildDirectory, STAMP_FILE);
  try {
    const after = await identifyTree(scope);
    const buildPrefix = scope.buildDirectory + path.sep;
    const isSource = (entry: string) => entry !== scope.buildDirectory && !entry.startsWith(buildPrefix);
    const sources = (tree: TreeIdentity) =>
      Object.fromEntries(Object.entries(tree).filter(([entry]) => isSource(entry)));
    if (!sameEntries(sources(before), sources(after))) {
      await fs.promises.rm(stampPath, { force: true });
      return false;
    }
    const stamp: Stamp = { version: STAMP_VERSION, key: scopeKey(scope), entries: after };
    await fs.promises.writeFile(stampPath, JSON.stringify(stamp), { mode: 0o644 });
    return true;
  } catch {
    return false;
  }
}

/** Forgets the stamp (before a make run, so a failed or interrupted build never leaves one behind). */
export async function removeStamp(scope: StampScope): Promise<void> {
  await fs.promises.rm(path.join(scope.buildDirectory, STAMP_FILE), { force: true }).catch(() => undefined); // unreadable build folder: make will say what is wrong
}
