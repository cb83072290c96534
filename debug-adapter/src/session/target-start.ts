// target-start.ts - the start of a session, before the client configures breakpoints: check the tools, build
// the app (its output streamed to the Debug Console, its diagnostics sent as clickable output lines and as
// the custom `toroBuild` event) while QEMU and GDB start, then connect GDB; or boot without GDB (noDebug);
// or attach to a running QEMU. Engine calls only; toro-debug-session.ts turns the hooks into DAP events.

import { formatDiagnostic, type Diagnostic } from "../engine/build/diagnostics";
import type { DebugTarget } from "../engine/launch/debug-target";
import { attachTarget } from "../engine/launch/attach-target";
import {
  bootFileFor,
  BuildFailedError,
  expectedImagePaths,
  prepareKernelImage,
} from "../engine/launch/kernel-image";
import { launchTarget } from "../engine/launch/launch-target";
import type { ImagePreparation } from "../engine/launch/qemu-for-image";
import { RunTarget } from "../engine/launch/run-target";
import type { SpareGdb } from "../engine/launch/spare-gdb";
import { checkTools } from "../engine/launch/toolchain";
import type { GdbClient } from "../gdb";
import type { ToroBuildBody } from "../protocol/toro-protocol";
import type { AttachPlan, LaunchPlan } from "./launch-configuration";

export interface StartHooks {
  /** Text for the Debug Console; `diagnostic` makes the line point at a source location. */
  output(text: string, category: "console" | "stderr", diagnostic?: Diagnostic): void;
  buildFinished(body: ToroBuildBody): void;
  /** A launch's GDB has the kernel loaded; QEMU may not be connected yet. */
  debuggerLoaded(gdb: GdbClient): void;
  log(text: string): void;
}

function buildBody(
  success: boolean,
  exitCode: number | null,
  durationMs: number,
  diagnostics: Diagnostic[],
): ToroBuildBody {
  return {
    success,
    exitCode,
    durationMs: Math.round(durationMs),
    diagnostics: diagnostics.map((diagnostic) => ({
      file: diagnostic.absolutePath,
      line: diagnostic.line,
      column: diagnostic.column,
      severity: diagnostic.severity,
      message: diagnostic.message,
    })),
  };
}

/**
 * How to get the app's image: the build (output streamed, its end reported as toroBuild and diagnostics
 * through `hooks`) starts when the engine calls `prepare`, once QEMU and GDB are starting.
 */
function imagePreparation(plan: LaunchPlan, hooks: StartHooks): ImagePreparation {
  const prepare = () => {
    if (plan.image.kind === "app" && plan.image.build)
      hooks.output(`Building ${plan.image.appDirectory}\n`, "console");
    return prepareKernelImage(plan.image, (text) => hooks.output(text, "console")).then(
      (image) => {
        const build = image.build;
        if (build?.upToDate !== undefined) {
          const checked = build.upToDate.entriesChecked;
          hooks.output(
            `Up to date: none of ${checked} files and folders changed since the last build\n`,
            "console",
          );
        }
        if (build !== undefined)
          hooks.buildFinished(buildBody(true, build.exitCode, build.durationMs, build.diagnostics));
        return image;
      },
      (error: unknown) => {
        if (error instanceof BuildFailedError) {
          const { result } = error;
          for (const diagnostic of result.diagnostics) {
            hooks.output(`${formatDiagnostic(diagnostic)}\n`, "stderr", diagnostic);
          }
          hooks.buildFinished(buildBody(false, result.exitCode, result.durationMs, result.diagnostics));
        }
        throw error;
      },
    );
  };
  const boot = plan.profile.boot;
  return {
    expectedBootElf: bootFileFor(expectedImagePaths(plan.image), boot),
    prepare,
    bootFile: (image) => bootFileFor(image, boot),
  };
}

/** A launch; with `spareGdb` (the spare adapter's), its GDB is used when the launch's `gdbPath` is the same. */
export async function startLaunch(
  plan: LaunchPlan,
  hooks: StartHooks,
  spareGdb?: SpareGdb,
): Promise<DebugTarget> {
  checkTools(plan.tools);
  return launchTarget({
    startedGdb: spareGdb?.take(plan.gdbPath, (text) => hooks.log(text)),
    image: imagePreparation(plan, hooks),
    profile: plan.profile,
    overrides: plan.overrides,
    qemuPath: plan.qemuPath,
    gdbPath: plan.gdbPath,
    gdbPort: plan.gdbPort,
    onDebuggerLoaded: (gdb) => hooks.debuggerLoaded(gdb),
    log: (text) => hooks.log(text),
  });
}

/** Run Without Debugging: QEMU without gdbstub, no GDB; the VM waits at reset until RunTarget.start(). */
export async function startRun(plan: LaunchPlan, hooks: StartHooks): Promise<RunTarget> {
  checkTools(plan.tools);
  return RunTarget.launch({
    image: imagePreparation(plan, hooks),
    profile: plan.profile,
    overrides: plan.overrides,
    qemuPath: plan.qemuPath,
    log: (text) => hooks.log(text),
  });
}

export async function startAttach(plan: AttachPlan, hooks: StartHooks): Promise<DebugTarget> {
  checkTools(plan.tools);
  return attachTarget({
    host: plan.host,
    port: plan.port,
    qmpSocket: plan.qmpSocket,
    ssh: plan.ssh,
    kernelElf: plan.kernelElf,
    gdbPath: plan.gdbPath,
    log: (text) => hooks.log(text),
  });
}
