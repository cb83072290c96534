// executables.ts - finds the program a command names the way a shell would (a path is taken as it is, a bare
// name is looked up on PATH), without running it. Used by the toolchain check (launch/toolchain.ts), the
// QEMU launcher's orphan guard (qemu/orphan-guard.ts) and the extension's toolchain check.

import * as fs from "node:fs";
import * as path from "node:path";

/** Whether `file` is a regular file this process may execute. */
export function isExecutableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * The executable `command` runs: itself (resolved) when it contains a slash, else the first match on
 * `searchPath`; undefined for an empty command or when nothing matches. `isExecutable` decides what counts
 * (a real file check; unit tests pass a set of paths).
 */
export function findExecutable(
  command: string,
  searchPath = process.env.PATH ?? "",
  isExecutable: (file: string) => boolean = isExecutableFile,
): string | undefined {
  if (command.trim() === "") return undefined;
  if (command.includes("/")) return isExecutable(command) ? path.resolve(command) : undefined;
  for (const directory of searchPath.split(path.delimiter)) {
    if (directory === "") continue;
    const candidate = path.join(directory, command);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}
