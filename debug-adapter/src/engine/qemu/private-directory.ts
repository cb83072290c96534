// private-directory.ts - the per-launch directory (mode 0700) that holds the guest RAM file, the QMP socket
// and anything else a launch creates, so removing it removes everything. Creating one first sweeps the
// directories that killed owners left in the same parent (stale-directories.ts). Pairs with qemu-instance.ts.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { removeStaleDirectories, writeOwner } from "./stale-directories";

export const PRIVATE_DIRECTORY_PREFIX = "toro-qemu-";

// The two creators below use synchronous calls on purpose: a launch waits on them, they take microseconds,
// and Node's thread pool (where the asynchronous ones would queue) may be busy with other file work.

export async function createPrivateDirectory(parent: string = os.tmpdir()): Promise<string> {
  removeStaleDirectories(parent, PRIVATE_DIRECTORY_PREFIX);
  const directory = fs.mkdtempSync(path.join(parent, PRIVATE_DIRECTORY_PREFIX));
  fs.chmodSync(directory, 0o700); // mkdtemp already uses 0700; say it, do not rely on it
  writeOwner(directory);
  return directory;
}

/** Creates an empty file that only the owner may read or write (QEMU reuses it and sets its size). */
export async function createPrivateFile(file: string): Promise<void> {
  fs.closeSync(fs.openSync(file, "wx", 0o600));
}

export async function removePrivateDirectory(directory: string): Promise<void> {
  await fs.promises.rm(directory, { recursive: true, force: true });
}
