// run-discovery.ts - the Toro VMs this user's tools started on this host, found again on every scrape (VMs
// come and go): the private run folders (../qemu/private-directory.ts) under the runs directory (os.tmpdir()
// unless --runs-dir) that belong to this user and hold a run.json (../qemu/run-description.ts) whose QEMU pid
// is still alive and whose RAM file is in that folder. Folders of other users, folders without a description
// (being created, older versions) and folders whose QEMU is gone (left by a killed owner:
// stale-directories.ts removes them later) are skipped.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PRIVATE_DIRECTORY_PREFIX } from "../qemu/private-directory";
import { readRunDescription, RunDescription } from "../qemu/run-description";
import { isAlive } from "../qemu/stale-directories";

export interface DiscoveredRun {
  directory: string;
  description: RunDescription;
}

export function defaultRunsDirectory(): string {
  return os.tmpdir();
}

/** The live runs under `runsDirectory`, oldest first. Never throws: an unreadable directory lists nothing. */
export function discoverRuns(runsDirectory: string = defaultRunsDirectory()): DiscoveredRun[] {
  const uid = process.getuid?.();
  let names: string[];
  try {
    names = fs.readdirSync(runsDirectory).filter((name) => name.startsWith(PRIVATE_DIRECTORY_PREFIX));
  } catch {
    return [];
  }
  const runs: DiscoveredRun[] = [];
  for (const name of names) {
    const directory = path.join(runsDirectory, name);
    try {
      const status = fs.lstatSync(directory);
      if (!status.isDirectory() || (uid !== undefined && status.uid !== uid)) continue;
    } catch {
      continue; // removed meanwhile
    }
    const description = readRunDescription(directory);
    if (description === undefined || !isAlive(description.pid)) continue;
    // The RAM file must be this folder's own (a description pointing elsewhere is not read).
    if (path.dirname(description.ramPath) !== directory || !fs.existsSync(description.ramPath)) continue;
    runs.push({ directory, description });
  }
  return runs.sort((a, b) => a.description.startedAtMs - b.description.startedAtMs);
}
