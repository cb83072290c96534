// kernel-image.ts - finds (and, for an app, builds) the files a debug launch needs: kernel.elf (DWARF, for GDB
// and the telemetry symbol; QEMU boots it through PVH), boot.elf (the ELF32 wrapper QEMU boots through
// Multiboot 1) and, for a UEFI profile, toro.iso; bootFileFor picks the one QEMU gets. A failed build is a
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
import type { BootMethod } from "../profiles/profile";

export type ImageSource =
  /**
   * An app folder: built with `make -C <kernelDirectory>` first unless `build` is false (then its build/
   * must exist). `kernelDirectory` defaults to this repository's kernel/.
   */
  | {
      kind: "app";
      appDirectory: string;
      build: boolean;
      kernelDirectory?: string;
      /** Also build toro.iso with this command line in its grub.cfg (a "uefi-iso" profile). */
      isoCommandLine?: string;
    }
  /** A prebuilt kernel.elf; boot.elf must lie next to it (and toro.iso, with `iso`). */
  | { kind: "program"; kernelElf: string; iso?: boolean };

export interface KernelImage {
  kernelElf: string;
  bootElf: string;
  /** toro.iso, when the source asked for one. */
  iso?: string;
  /** Present when this launch ran the build. */
  build?: BuildResult;
}

export class BuildFailedError extends ToroError {
  readonly diagnostics: Diagnostic[];

  constructor(readonly result: BuildResult) {
    const errors = result.diagnostics.filter((diagnostic) => diagnostic.severity === "error");
    const first = errors[0] ?? result.diagnostics[0];
    const cause = first === undefined ? toolFailure(result.output) : undefined;
    super(
      first !== undefined
        ? `the build failed with ${errors.length} error(s); first: ${formatDiagnostic(first)}`
        : cause !== undefined
          ? `the build failed (make exited with ${result.exitCode}): ${cause}`
          : `the build failed (make exited with ${result.exitCode}); see its output in the Debug Console`,
    );
    this.diagnostics = result.diagnostics;
  }
}

/**
 * Why a tool other than the compiler stopped the build (the assembler or linker unable to write, make unable
 * to create a folder), from the first line of the output that says so; with a hint when the disk is full.
 */
function toolFailure(output: string): string | undefined {
  const line = output
    .split("\n")
    .find((text) =>
      /Fatal error:|No space left on device|Read-only file system|Permission denied/.test(text),
    );
  if (line === undefined) return undefined;
  const hint = /No space left on device/.test(line)
    ? " (the disk is full: free some space, then launch again)"
    : "";
  return `${line.trim().slice(0, 300)}${hint}`;
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
    const directory = path.dirname(kernelElf);
    return {
      kernelElf,
      bootElf: path.join(directory, "boot.elf"),
      ...(source.iso === true ? { iso: path.join(directory, "toro.iso") } : {}),
    };
  }
  const kernelDirectory = source.kernelDirectory ?? repositoryPaths().kernel;
  return buildPlan(source.appDirectory, kernelDirectory, 1, source.isoCommandLine).outputs;
}

/** The file QEMU boots for a profile's `boot` (../profiles/profile.ts, BOOT_METHODS). */
export function bootFileFor(image: BuildOutputs, boot: BootMethod): string {
  if (boot === "pvh") return image.kernelElf;
  if (boot === "uefi-iso") {
    if (image.iso === undefined) throw new ImageNotFoundError("this launch boots an ISO but none was built");
    return image.iso;
  }
  return image.bootElf;
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
    if (expected.iso !== undefined)
      requireFile(
        expected.iso,
        "toro.iso next to the program",
        "Build it with make -C kernel iso APP=<app>.",
      );
    return expected;
  }
  if (!source.build) {
    for (const file of [expected.kernelElf, expected.bootElf, expected.iso]) {
      if (file === undefined) continue;
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
    isoCommandLine: source.isoCommandLine,
  });
  if (!result.success) throw new BuildFailedError(result);
  const iso = result.iso === undefined ? {} : { iso: result.iso };
  return { kernelElf: result.kernelElf, bootElf: result.bootElf, ...iso, build: result };
}
