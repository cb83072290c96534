// build-command.ts - `toro build <app>`: builds the app with the kernel and prints where the images are,
// or the compiler's diagnostics. Returns the process exit code.

import { repositoryPaths } from "../engine/paths";
import { resolveApp } from "./app-resolution";
import { buildStep } from "./build-step";
import { BuildCommand } from "./cli-arguments";

export async function buildCommand(command: BuildCommand): Promise<number> {
  const paths = repositoryPaths();
  const app = resolveApp(command.app, paths);
  const result = await buildStep(app, paths, (line) => process.stderr.write(`${line}\n`));
  process.stdout.write(`${result.kernelElf}\n${result.bootElf}\n`);
  return 0;
}
