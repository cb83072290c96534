// private-directory.ts - the per-launch directory (mode 0700) that holds the guest RAM file, the QMP socket
// and anything else a launch creates, so removing it removes everything. Pairs with qemu-instance.ts.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const PRIVATE_DIRECTORY_PREFIX = "toro-qemu-";

export async function createPrivateDirectory(parent: string = os.tmpdir()): Promise<string> {
  const directory = await fs.promises.mkdtemp(path.join(parent, PRIVATE_DIRECTORY_PREFIX));
  await fs.promises.chmod(directory, 0o700); // mkdtemp already uses 0700; say it, do not rely on it
  return directory;
}

/** Creates an empty file that only the owner may read or write (QEMU reuses it and sets its size). */
export async function createPrivateFile(file: string): Promise<void> {
  const handle = await fs.promises.open(file, "wx", 0o600);
  await handle.close();
}

export async function removePrivateDirectory(directory: string): Promise<void> {
  await fs.promises.rm(directory, { recursive: true, force: true });
}
