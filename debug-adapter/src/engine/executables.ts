// executables.ts - finds the program a command names the way a shell would (a path is taken as it is, a bare
// name is looked up on PATH), without running it. Used by the toolchain check (launch/toolchain.ts) and by
// the QEMU launcher's orphan guard (qemu/orphan-guard.ts).

import * as fs from "node:fs";
import * as path from "node:path";

function isExecutableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The executable `command` runs: itself when it contains a slash, else the first match on PATH. */
export function findExecutable(command: string, searchPath = process.env.PATH ?? ""): string | undefined {
  if (command.includes("/")) return isExecutableFile(command) ? path.resolve(command) : undefined;
  for (const directory of searchPath.split(path.delimiter)) {
    if (directory === "") continue;
    const candidate = path.join(directory, command);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}
