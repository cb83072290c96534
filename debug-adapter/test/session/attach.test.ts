// attach.test.ts - `attach` to a QEMU started elsewhere (here by the engine's launcher, as a user would with
// -gdb and -qmp): breakpoints, telemetry read through QMP while the VM runs, and `disconnect` leaving that
// QEMU running (detach), with GDB gone.

import { describe, expect, it } from "vitest";
import { AdapterSession } from "./support/adapter-session";
import { attachStopContinueDetach, withAttachableQemu } from "./support/attach-scenario";

describe("attach", () => {
  it("attaches to a running QEMU through its gdbstub and QMP socket, then detaches", async () => {
    await withAttachableQemu(async (qemu, kernelElf) => {
      const session = await AdapterSession.open("attach");
      await attachStopContinueDetach(session, {
        gdbstub: `127.0.0.1:${qemu.gdbPort}`,
        qmpSocket: qemu.qmpSocketPath,
        program: kernelElf,
      });
      expect(qemu.hasExited).toBe(false);
      await session.close();
    });
  });
});
