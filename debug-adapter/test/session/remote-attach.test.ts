// remote-attach.test.ts - `attach` through an SSH tunnel (`ssh`, `sshPort`, `sshOptions`): a real sshd of the
// test's own on 127.0.0.1 (test/helpers/local-sshd.ts: temporary host and client keys), a QEMU started with a
// gdbstub and a QMP socket as on a remote machine, and the adapter reaching both only through `ssh -L`:
// a breakpoint stop, continue, live telemetry through QMP while running, and a disconnect that ends ssh and
// leaves that QEMU running. Skips, saying why, when sshd cannot start here.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdapterSession } from "./support/adapter-session";
import { attachStopContinueDetach, withAttachableQemu } from "./support/attach-scenario";
import { LocalSshd, startLocalSshd } from "../helpers/local-sshd";
import { processesMentioning } from "../helpers/processes";

let sshd: LocalSshd | { skip: string } | undefined;
beforeAll(async () => {
  sshd = await startLocalSshd();
  if ("skip" in sshd) console.warn(`remote-attach: skipped: ${sshd.skip}`);
});
afterAll(async () => {
  if (sshd !== undefined && !("skip" in sshd)) await sshd.stop();
});

describe("attach through an SSH tunnel", () => {
  it("stops, continues and streams telemetry over ssh -L, then detaches and ends ssh", async (context) => {
    if (sshd === undefined || "skip" in sshd) {
      context.skip();
      return;
    }
    const server = sshd;
    await withAttachableQemu(async (qemu, kernelElf) => {
      const forward = `:127.0.0.1:${qemu.gdbPort}`; // in ssh's -L argument, nowhere else
      const session = await AdapterSession.open("remote-attach");
      await attachStopContinueDetach(
        session,
        {
          gdbstub: `127.0.0.1:${qemu.gdbPort}`,
          qmpSocket: qemu.qmpSocketPath,
          program: kernelElf,
          ssh: server.destination,
          sshPort: server.port,
          sshOptions: server.clientOptions,
        },
        () => expect(processesMentioning(forward)).toHaveLength(1), // the ssh client
      );
      const deadline = Date.now() + 10_000;
      while (processesMentioning(forward).length > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(processesMentioning(forward), "ssh left running").toEqual([]);
      expect(qemu.hasExited).toBe(false);
      await session.close();
    });
  });
});
