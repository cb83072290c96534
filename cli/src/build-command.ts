// build-command.ts - `toro build <app>` and the build step that `toro run` and `toro bench` share: one line
// while make runs, then the compiler's diagnostics as file:line:column lines (and the end of make's output
// when no diagnostic explains the failure); `toro build` then prints where the images are. Returns the
// process exit code.

import * as path from "node:path";
import {
  buildApp,
  BuildResult,
  formatDiagnostic,
  repositoryPaths,
  RepositoryPaths,
  ToroError,
} from "@toro-studio/debug-adapter";
import { resolveApp } from "./app-resolution";
import { BuildCommand } from "./cli-arguments";

export class BuildFailedError extends ToroError {
  constructor(readonly result: BuildResult) {
    const errors = result.diagnostics.filter((diagnostic) => diagnostic.severity === "error").length;
    super(`build failed (make exited with ${result.exitCode}${errors > 0 ? `, ${errors} error(s)` : ""})`);
  }
}

/** Builds `appDirectory` (and its ISO with `isoCommandLine`, for a "uefi-iso" profile); logs to `log` (stderr in the CLI); throws BuildFailedError after printing why. */
export async function buildStep(
  appDirectory: string,
  paths: RepositoryPaths,
  log: (line: string) => void,
  isoCommandLine?: string,
): Promise<BuildResult> {
  log(`building ${path.relative(paths.root, appDirectory) || appDirectory} ...`);
  const result = await buildApp({ appDirectory, kernelDirectory: paths.kernel, isoCommandLine });
  for (const diagnostic of result.diagnostics) {
    if (diagnostic.severity !== "note" || !result.success) log(formatDiagnostic(diagnostic));
  }
  if (!result.success) {
    if (result.diagnostics.length === 0) log(result.output.trimEnd().split("\n").slice(-20).join("\n"));
    throw new BuildFailedError(result);
  }
  log(`built ${path.relative(paths.root, result.kernelElf)} in ${(result.durationMs / 1000).toFixed(1)} s`);
  return result;
}

export async function buildCommand(command: BuildCommand): Promise<number> {
  const paths = repositoryPaths();
  const app = resolveApp(command.app, paths);
  const result = await buildStep(app, paths, (line) => process.stderr.write(`${line}\n`));
  process.stdout.write(`${result.kernelElf}\n${result.bootElf}\n`);
  return 0;
}
