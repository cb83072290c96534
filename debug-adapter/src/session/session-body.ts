// session-body.ts - the body of the custom `toroSession` event (../protocol/toro-protocol.ts), sent once the
// VM is up: how many vCPUs (= DAP threads), the program, the gdbstub, process ids and the private directory,
// for a debugged VM (DebugTarget) or one running without debugging (RunTarget). Used by toro-debug-session.ts.

import type { DebugTarget } from "../engine/launch/debug-target";
import type { RunTarget } from "../engine/launch/run-target";
import { TORO_PROTOCOL_VERSION, type ToroSessionBody } from "../protocol/toro-protocol";

export function debugSessionBody(
  target: DebugTarget,
  origin: "launch" | "attach",
  telemetryHz: number,
): ToroSessionBody {
  const { gdbstub, kernelElf } = target.parts;
  const qemu = target.qemu;
  return {
    protocolVersion: TORO_PROTOCOL_VERSION,
    request: origin,
    noDebug: false,
    cpus: target.cpuCount,
    idlePolicy: qemu?.settings.idlePolicy ?? null,
    program: kernelElf,
    gdbstub: `${gdbstub.host}:${gdbstub.port}`,
    qemuPid: qemu?.pid ?? null,
    gdbPid: target.gdb.pid ?? null,
    privateDirectory: qemu?.directory ?? null,
    telemetryHz,
    network: qemu?.network ?? null,
  };
}

export function runSessionBody(run: RunTarget, telemetryHz: number): ToroSessionBody {
  return {
    protocolVersion: TORO_PROTOCOL_VERSION,
    request: "launch",
    noDebug: true,
    cpus: run.cpuCount,
    idlePolicy: run.qemu.settings.idlePolicy,
    program: run.kernelElf,
    gdbstub: null,
    qemuPid: run.qemu.pid ?? null,
    gdbPid: null,
    privateDirectory: run.qemu.directory,
    telemetryHz,
    network: run.qemu.network,
  };
}
