// vm-reset.ts - restarts a VM in place through QMP `system_reset`, keeping QEMU, GDB and every breakpoint
// (they live in QEMU's per-vCPU lists, which a reset does not clear).
// Why the set-action dance: a launched QEMU runs with `-no-reboot -action reboot=shutdown,shutdown=pause`
// so that a triple fault pauses the VM; with that, `system_reset` itself would become a shutdown. So the
// reboot action is set to `reset` first; it must stay so until the firmware is done, because SeaBIOS resets
// the machine once more on a warm boot. debug-target.ts and run-target.ts set it back to `shutdown` when the
// kernel runs.

import { executeConsoleCommand, type GdbClient } from "../../gdb";
import type { QmpClient } from "../qemu/qmp-client";

/**
 * Resets the VM; with `gdb` (the VM must then be stopped), GDB's register cache is flushed so that it reads
 * the reset state. Without GDB (Run Without Debugging) a running VM simply boots again.
 */
export async function resetVm(
  qmp: QmpClient,
  launchedWithPausingActions: boolean,
  gdb?: GdbClient,
): Promise<void> {
  if (launchedWithPausingActions) await qmp.execute("set-action", { reboot: "reset" });
  await qmp.execute("system_reset");
  if (gdb !== undefined) await executeConsoleCommand(gdb, "maintenance flush register-cache");
}

/** Puts back `-action reboot=shutdown` once a reset VM runs the kernel again (see the note above). */
export function restoreRebootAction(qmp: QmpClient): void {
  qmp.execute("set-action", { reboot: "shutdown" }).catch(() => undefined); // QMP gone: QEMU is ending
}
