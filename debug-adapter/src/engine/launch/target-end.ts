// target-end.ts - how a debugged VM ended on its own (not through dispose): QEMU exited (the guest left
// through isa-debug-exit, QEMU was killed, crashed), GDB died, or GDB lost its connection. Produced by
// debug-target.ts; the DAP session shows the message and sends `exited`/`terminated`.

import type { ExitEvent } from "../../gdb";
import type { QemuExit } from "../qemu/exit-status";

export interface TargetEnd {
  cause: "qemu-exited" | "gdb-exited" | "target-lost";
  qemuExit?: QemuExit;
  gdbExit?: ExitEvent;
  /** A sentence for the user. */
  message: string;
}

/** The sentence for an end; `qemuStandardError` adds QEMU's last words when it failed. */
export function describeEnd(end: Omit<TargetEnd, "message">, qemuStandardError?: string): string {
  switch (end.cause) {
    case "qemu-exited": {
      const exit = end.qemuExit;
      if (exit === undefined) return "QEMU exited";
      if (exit.guestExitCode !== null) {
        return `The guest left QEMU through isa-debug-exit with code ${exit.guestExitCode} (QEMU status ${exit.exitCode}).`;
      }
      const errors = (qemuStandardError ?? exit.stderr).trim().split("\n").slice(-3).join(" | ");
      const how =
        exit.signal !== null ? `was killed by signal ${exit.signal}` : `exited with status ${exit.exitCode}`;
      return `QEMU ${how} while the session was running${errors === "" ? "" : `; it said: ${errors}`}.`;
    }
    case "gdb-exited": {
      const exit = end.gdbExit;
      const how =
        exit?.exitSignal !== null && exit?.exitSignal !== undefined
          ? `was killed by signal ${exit.exitSignal}`
          : `exited with code ${exit?.exitCode ?? "unknown"}`;
      return `GDB ${how} in the middle of the session; QEMU is stopped and the session ends.`;
    }
    case "target-lost":
      return "GDB lost its connection to QEMU's gdbstub (QEMU ended or closed the connection); the session ends.";
  }
}
