// live-instances.ts - the QEMU processes and private directories this Node process currently owns, so that
// if Node exits without stopping them (an uncaught exception, process.exit()), a synchronous exit hook kills
// the processes and removes the directories. qemu-instance.ts registers and unregisters; stop() stays the
// normal path. A Node process killed without running exit handlers (SIGKILL, or a SIGTERM/SIGHUP nobody
// handles; the CLI handles them) cannot clean up here: orphan-guard.ts then has the Linux kernel kill its
// QEMU, and stale-directories.ts removes its directory at the next launch.
import * as fs from "node:fs";

interface LiveInstance {
  pid: number | undefined;
  directory: string;
}

const live = new Set<LiveInstance>();
let hookInstalled = false;

function cleanUpSynchronously(): void {
  for (const instance of live) {
    if (instance.pid !== undefined) {
      try {
        process.kill(instance.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    try {
      fs.rmSync(instance.directory, { recursive: true, force: true });
    } catch {
      // nothing more can be done while exiting
    }
  }
  live.clear();
}

export function registerLiveInstance(directory: string): LiveInstance {
  if (!hookInstalled) {
    process.on("exit", cleanUpSynchronously);
    hookInstalled = true;
  }
  const instance: LiveInstance = { pid: undefined, directory };
  live.add(instance);
  return instance;
}

export function unregisterLiveInstance(instance: LiveInstance): void {
  live.delete(instance);
}

/** How many launches are still alive (tests assert 0 after cleaning up). */
export function liveInstanceCount(): number {
  return live.size;
}
