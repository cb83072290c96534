// kernel-image.ts - finds (and, for an app, builds) the two files a debug launch needs: kernel.elf (DWARF,
// for GDB and the telemetry symbol) and boot.elf (the ELF32 wrapper QEMU boots). A failed build is a
// BuildFailedError carrying the compiler output and the parsed diagnostics. Pairs with ../build/build-runner.ts
// and launch-target.ts.

import * as fs from "node:fs";
import * as path from "node:path";
import { AppNotFoundError, buildApp, buildPlan, type BuildResult } from "../build/build-runner";
import { formatDiagnostic, type Diagnostic } from "../build/diagnostics";
import { ToroError } from "../errors";
import { repositoryPaths } from "../paths";

export type ImageSource =
  /** An app folder: built first unless `build` is false (then its build/ must exist). */
  | { kind: "app"; appDirectory: string; build: boolean }
  /** A prebuilt kernel.elf; boot.elf must lie next to it. */
  | { kind: "program"; kernelElf: string };

export interface KernelImage {
  kernelElf: string;
  bootElf: string;
  /** Present when this launch ran the build. */
  build?: BuildResult;
}

export class BuildFailedError extends ToroError {
  readonly diagnostics: Diagnostic[];

  constructor(readonly result: BuildResult) {
    const errors = result.diagnostics.filter((diagnostic) => diagnostic.severity === "error");
    const first = errors[0] ?? result.diagnostics[0];
    super(
      first === undefined
        ? `the build failed (make exited with ${result.exitCode}); see its output in the Debug Console`
        : `the build failed with ${errors.length} error(s); first: ${formatDiagnostic(first)}`,
    );
    this.diagnostics = result.diagnostics;
  }
}

export class ImageNotFoundError extends ToroError {}

/** An app folder as given: relative to `workingDirectory` first, then to the repository root. */
export function resolveAppDirectory(app: string, workingDirectory = process.cwd()): string {
  const candidates = [path.resolve(workingDirectory, app), path.resolve(repositoryPaths().root, app)];
  const found = candidates.find((candidate) => isDirectory(candidate));
  if (found === undefined) throw new AppNotFoundError(candidates[0]);
  return found;
}

function isDirectory(candidate: string): boolean {
  try {
    return fs.statSync(candidate).isDirectory();
  } catch {
    return false;
  }
}

function requireFile(file: string, what: string, hint: string): void {
  if (!fs.existsSync(file)) throw new ImageNotFoundError(`${what} not found: ${file}`, hint);
}

/** Builds (if asked) and returns the image paths; `onOutput` receives the build output as it arrives. */
export async function prepareKernelImage(
  source: ImageSource,
  onOutput?: (text: string) => void,
): Promise<KernelImage> {
  if (source.kind === "program") {
    const kernelElf = path.resolve(source.kernelElf);
    requireFile(
      kernelElf,
      "program",
      'Give the kernel.elf of a build, e.g. "samples/hello/build/kernel.elf".',
    );
    const bootElf = path.join(path.dirname(kernelElf), "boot.elf");
    requireFile(bootElf, "boot.elf (the image QEMU boots) next to the program", "Rebuild the app with make.");
    return { kernelElf, bootElf };
  }
  if (!source.build) {
    const { outputs } = buildPlan(source.appDirectory, repositoryPaths().kernel, 1);
    for (const file of [outputs.kernelElf, outputs.bootElf]) {
      requireFile(file, "build output", 'Set "build": true (or build the app) before launching.');
    }
    return outputs;
  }
  const result = await buildApp({ appDirectory: source.appDirectory, onOutput });
  if (!result.success) throw new BuildFailedError(result);
  return { kernelElf: result.kernelElf, bootElf: result.bootElf, build: result };
}
