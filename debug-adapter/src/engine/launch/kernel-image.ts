// kernel-image.ts - finds (and, for an app, builds) the two files a debug launch needs: kernel.elf (DWARF,
// for GDB and the telemetry symbol) and boot.elf (the ELF32 wrapper QEMU boots). A failed build is a
// BuildFailedError carrying the compiler output and the parsed diagnostics. Pairs with ../build/build-runner.ts
// and launch-target.ts.

import * as fs from "node:fs";
import * as path from "node:path";
import {
  AppNotFoundError,
  buildApp,
  buildPlan,
  type BuildOutputs,
  type BuildResult,
} from "../build/build-runner";
import { formatDiagnostic, type Diagnostic } from "../build/diagnostics";
import { ToroError } from "../errors";
import { repositoryPaths } from "../paths";

export type ImageSource =
  /**
   * An app folder: built with `make -C <kernelDirectory>` first unless `build` is false (then its build/
   * must exist). `kernelDirectory` defaults to this repository's kernel/.
   */
  | { kind: "app"; appDirectory: string; build: boolean; kernelDirectory?: string }
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

/** An app folder as given: relative to `workingDirectory` first, then to the checkout's root. */
export function resolveAppDirectory(
  app: string,
  workingDirectory = process.cwd(),
  root = repositoryPaths().root,
): string {
  const candidates = [path.resolve(workingDirectory, app), path.resolve(root, app)];
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

/** Where the image of `source` is (or will be once built), without building or checking anything. */
export function expectedImagePaths(source: ImageSource): BuildOutputs {
  if (source.kind === "program") {
    const kernelElf = path.resolve(source.kernelElf);
    return { kernelElf, bootElf: path.join(path.dirname(kernelElf), "boot.elf") };
  }
  return buildPlan(source.appDirectory, source.kernelDirectory ?? repositoryPaths().kernel, 1).outputs;
}

/** Builds (if asked) and returns the image paths; `onOutput` receives the build output as it arrives. */
export async function prepareKernelImage(
  source: ImageSource,
  onOutput?: (text: string) => void,
): Promise<KernelImage> {
  const expected = expectedImagePaths(source);
  if (source.kind === "program") {
    requireFile(
      expected.kernelElf,
      "program",
      'Give the kernel.elf of a build, e.g. "samples/hello/build/kernel.elf".',
    );
    requireFile(
      expected.bootElf,
      "boot.elf (the image QEMU boots) next to the program",
      "Rebuild the app with make.",
    );
    return expected;
  }
  if (!source.build) {
    for (const file of [expected.kernelElf, expected.bootElf]) {
      requireFile(file, "build output", 'Set "build": true (or build the app) before launching.');
    }
    return expected;
  }
  const kernelDirectory = source.kernelDirectory ?? repositoryPaths().kernel;
  const result = await buildApp({
    appDirectory: source.appDirectory,
    kernelDirectory,
    onOutput,
    reuseUnchanged: true,
  });
  if (!result.success) throw new BuildFailedError(result);
  return { kernelElf: result.kernelElf, bootElf: result.bootElf, build: result };
}
