// new-command.ts - `toro new <sample> <dir>`: a new app folder from a sample, ready for VS Code (F5 with the
// `toro` debugger, the `toro` build task) and for `toro run <dir>`. Never overwrites a file
// (scaffold/scaffold.ts). Returns the process exit code.

import * as path from "node:path";
import { repositoryPaths } from "@toro-studio/debug-adapter";
import { NewCommand } from "./cli-arguments";
import { resolveSample, scaffoldApp } from "./scaffold/scaffold";

export function newCommand(command: NewCommand, cwd: string = process.cwd()): number {
  const paths = repositoryPaths();
  const sample = resolveSample(command.sample, paths.samples);
  const result = scaffoldApp(sample, path.resolve(cwd, command.directory));
  const where = path.relative(cwd, result.targetDirectory) || ".";
  process.stdout.write(
    `${result.createdDirectory ? "created" : "filled"} ${result.targetDirectory} from sample ${path.basename(sample)}:\n` +
      result.files.map((file) => `  ${file}\n`).join("") +
      `next: toro run ${where}   (or open the folder in VS Code and press F5)\n`,
  );
  return 0;
}
