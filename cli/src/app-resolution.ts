// app-resolution.ts - turns the <app> argument into an absolute folder: relative to the current folder
// first, then to the repository root (so `toro run samples/hello` works from anywhere in the repository).

import * as fs from "node:fs";
import * as path from "node:path";
import { AppNotFoundError, RepositoryPaths } from "@toro-studio/debug-adapter";

export function resolveApp(app: string, paths: RepositoryPaths, cwd: string = process.cwd()): string {
  const candidates = [path.resolve(cwd, app), path.resolve(paths.root, app)];
  const found = candidates.find(
    (candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isDirectory(),
  );
  if (found === undefined) throw new AppNotFoundError(candidates[0]);
  return found;
}
