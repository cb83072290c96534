// vm-reset.ts - restarts a debugged VM in place through QMP `system_reset`, keeping QEMU, GDB and every
// breakpoint (they live in QEMU's per-vCPU lists, which a reset does not clear).
// Why the set-action dance: a launched QEMU runs with `-no-reboot -action reboot=shutdown,shutdown=pause`
// so that a triple fault pauses the VM; with that, `system_reset` itself would become a shutdown. So the
// reboot action is set to `reset` first; it must stay so until the firmware is done, because SeaBIOS resets
// the machine once more on a warm boot. debug-target.ts sets it back to `shutdown` when the kernel runs.

import { executeConsoleCommand, type GdbClient } from "../../gdb";
import type { QmpClient } from "../qemu/qmp-client";

/** Resets the stopped VM; GDB's register cache is flushed so it reads the reset state. */
export async function resetVm(
  gdb: GdbClient,
  qmp: QmpClient,
  launchedWithPausingActions: boolean,
): Promise<void> {
  if (launchedWithPausingActions) await qmp.execute("set-action", { reboot: "reset" });
  await qmp.execute("system_reset");
  await executeConsoleCommand(gdb, "maintenance flush register-cache");
}
