// target-start.ts - the start of a session, before the client configures breakpoints: check the tools, build
// the app (its output streamed to the Debug Console, its diagnostics sent as clickable output lines and as
// the custom `toroBuild` event), boot QEMU and connect GDB; or attach to a running QEMU. Engine calls only;
// toro-debug-session.ts turns the hooks into DAP events.

import { formatDiagnostic, type Diagnostic } from "../engine/build/diagnostics";
import type { DebugTarget } from "../engine/launch/debug-target";
import { attachTarget } from "../engine/launch/attach-target";
import { BuildFailedError, prepareKernelImage } from "../engine/launch/kernel-image";
import { launchTarget } from "../engine/launch/launch-target";
import { checkTools } from "../engine/launch/toolchain";
import type { ToroBuildBody } from "../protocol/toro-protocol";
import type { AttachPlan, LaunchPlan } from "./launch-configuration";

export interface StartHooks {
  /** Text for the Debug Console; `diagnostic` makes the line point at a source location. */
  output(text: string, category: "console" | "stderr", diagnostic?: Diagnostic): void;
  buildFinished(body: ToroBuildBody): void;
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

export async function startLaunch(plan: LaunchPlan, hooks: StartHooks): Promise<DebugTarget> {
  checkTools(plan.tools);
  let image;
  try {
    if (plan.image.kind === "app" && plan.image.build)
      hooks.output(`Building ${plan.image.appDirectory}\n`, "console");
    image = await prepareKernelImage(plan.image, (text) => hooks.output(text, "console"));
  } catch (error) {
    if (error instanceof BuildFailedError) {
      const { result } = error;
      for (const diagnostic of result.diagnostics) {
        hooks.output(`${formatDiagnostic(diagnostic)}\n`, "stderr", diagnostic);
      }
      hooks.buildFinished(buildBody(false, result.exitCode, result.durationMs, result.diagnostics));
    }
    throw error;
  }
  if (image.build !== undefined) {
    const build = image.build;
    hooks.buildFinished(buildBody(true, build.exitCode, build.durationMs, build.diagnostics));
  }
  return launchTarget({
    image,
    profile: plan.profile,
    overrides: plan.overrides,
    qemuPath: plan.qemuPath,
    gdbPath: plan.gdbPath,
    gdbPort: plan.gdbPort,
    log: (text) => hooks.log(text),
  });
}

export async function startAttach(plan: AttachPlan, hooks: StartHooks): Promise<DebugTarget> {
  checkTools(plan.tools);
  return attachTarget({
    host: plan.host,
    port: plan.port,
    qmpSocket: plan.qmpSocket,
    kernelElf: plan.kernelElf,
    gdbPath: plan.gdbPath,
    log: (text) => hooks.log(text),
  });
}
