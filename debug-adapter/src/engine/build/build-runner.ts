// build-runner.ts - builds an app with the kernel: `make -C kernel APP=<app>` (or `make -C kernel selftest`
// for the self-test app), output captured in order, diagnostics parsed (diagnostics.ts); optionally skipped
// when nothing changed since the last such build (build-stamp.ts). Returns a result rather than throwing
// on a compile error; throws MakeNotFoundError when make itself is missing.

import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { ToroError } from "../errors";
import { repositoryPaths } from "../paths";
import {
  checkStamp,
  identifyTree,
  removeStamp,
  writeStamp,
  type StampScope,
  type TreeIdentity,
} from "./build-stamp";
import { Diagnostic, parseDiagnostics } from "./diagnostics";

export class MakeNotFoundError extends ToroError {
  constructor(readonly makePath: string) {
    super(
      `make was not found: cannot run "${makePath}"`,
      "Install it with: sudo apt-get install -y make gcc binutils",
    );
  }
}

export class AppNotFoundError extends ToroError {
  constructor(readonly appDirectory: string) {
    super(
      `app folder not found: ${appDirectory}`,
      "Give a folder with the app's .c files, e.g. samples/hello.",
    );
  }
}

export interface BuildOptions {
  /** The app folder (its .c files are compiled with the kernel). */
  appDirectory: string;
  /** The repository's kernel/ folder; default found from this file. */
  kernelDirectory?: string;
  makePath?: string;
  /** Parallel jobs for make; default 2. */
  jobs?: number;
  /** Called with each chunk of output as it arrives (the build log stays in the result either way). */
  onOutput?: (text: string) => void;
  /**
   * Skip make when nothing it could look at changed since the last build it ran with this option
   * (build-stamp.ts); the result then says `upToDate`. Default false: make always runs.
   */
  reuseUnchanged?: boolean;
  /** Also build the GRUB ISO (`make iso`) with this kernel command line in its grub.cfg. */
  isoCommandLine?: string;
}

export interface BuildOutputs {
  /** x86-64 ELF with DWARF, for GDB and the telemetry symbol; QEMU boots it through PVH. */
  kernelElf: string;
  /** The ELF32 wrapper QEMU boots with -kernel through Multiboot 1. */
  bootElf: string;
  /** The GRUB ISO (BIOS and UEFI), when the build was asked for one (isoCommandLine). */
  iso?: string;
}

export interface BuildResult extends BuildOutputs {
  success: boolean;
  exitCode: number | null;
  /** stdout and stderr interleaved in arrival order. */
  output: string;
  diagnostics: Diagnostic[];
  durationMs: number;
  /** Set when make was not run: the build stamp showed nothing had changed (reuseUnchanged). */
  upToDate?: { entriesChecked: number };
}

/** The make arguments and output paths for an app (the self-test app builds into kernel/build/selftest/). */
export function buildPlan(
  appDirectory: string,
  kernelDirectory: string,
  jobs: number,
  isoCommandLine?: string,
): { args: string[]; outputs: BuildOutputs; buildDirectory: string } {
  const app = path.resolve(appDirectory);
  const kernel = path.resolve(kernelDirectory);
  const isSelftest = app === path.join(kernel, "selftest");
  const buildDirectory = isSelftest ? path.join(kernel, "build", "selftest") : path.join(app, "build");
  const outputs: BuildOutputs = {
    kernelElf: path.join(buildDirectory, "kernel.elf"),
    bootElf: path.join(buildDirectory, "boot.elf"),
  };
  if (isoCommandLine === undefined) {
    return {
      args: ["-C", kernel, `-j${jobs}`, isSelftest ? "selftest" : `APP=${app}`],
      outputs,
      buildDirectory,
    };
  }
  // The self-test app's ISO: the selftest target's own variables, with the iso goal.
  const appArguments = isSelftest ? [`APP=${app}`, `BUILD_DIR=${buildDirectory}`] : [`APP=${app}`];
  return {
    args: ["-C", kernel, `-j${jobs}`, ...appArguments, "iso", `CMDLINE=${isoCommandLine}`],
    outputs: { ...outputs, iso: path.join(buildDirectory, "toro.iso") },
    buildDirectory,
  };
}

export async function buildApp(options: BuildOptions): Promise<BuildResult> {
  const kernelDirectory = options.kernelDirectory ?? repositoryPaths().kernel;
  if (!fs.existsSync(options.appDirectory) || !fs.statSync(options.appDirectory).isDirectory()) {
    throw new AppNotFoundError(path.resolve(options.appDirectory));
  }
  const { args, outputs, buildDirectory } = buildPlan(
    options.appDirectory,
    kernelDirectory,
    options.jobs ?? 2,
    options.isoCommandLine,
  );
  const makePath = options.makePath ?? "make";
  const started = performance.now();
  const scope: StampScope = {
    kernelDirectory: path.resolve(kernelDirectory),
    appDirectory: path.resolve(options.appDirectory),
    buildDirectory,
    command: [makePath, ...args],
    environment: process.env,
  };
  let before: TreeIdentity | undefined;
  if (options.reuseUnchanged === true) {
    const check = await checkStamp(scope);
    if (check.upToDate) {
      return {
        ...outputs,
        success: true,
        exitCode: 0,
        output: "",
        diagnostics: [],
        durationMs: performance.now() - started,
        upToDate: { entriesChecked: check.entries },
      };
    }
    await removeStamp(scope);
    before = await identifyTree(scope);
  }
  const { exitCode, output } = await runMake(makePath, args, options.onOutput);
  const success =
    exitCode === 0 &&
    [outputs.bootElf, outputs.kernelElf, outputs.iso].every(
      (file) => file === undefined || fs.existsSync(file),
    );
  if (success && before !== undefined) await writeStamp(scope, before);
  return {
    ...outputs,
    success,
    exitCode,
    output,
    diagnostics: parseDiagnostics(output, path.resolve(kernelDirectory)),
    durationMs: performance.now() - started,
  };
}

/** Runs make to its end: exit code and stdout/stderr interleaved in arrival order. */
function runMake(
  makePath: string,
  args: string[],
  onOutput: ((text: string) => void) | undefined,
): Promise<{ exitCode: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(makePath, args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const collect = (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      output += text;
      onOutput?.(text);
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.on("error", (error: NodeJS.ErrnoException) => {
      reject(error.code === "ENOENT" ? new MakeNotFoundError(makePath) : error);
    });
    child.on("close", (exitCode) => resolve({ exitCode, output }));
  });
}
