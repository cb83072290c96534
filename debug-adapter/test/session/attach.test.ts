// attach.test.ts - `attach` to a QEMU started elsewhere (here by the engine's launcher, as a user would with
// -gdb and -qmp): breakpoints, telemetry read through QMP while the VM runs, and `disconnect` leaving that
// QEMU running (detach), with GDB gone.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { loadProfile } from "../../src/engine/profiles/load-profile";
import { QemuInstance } from "../../src/engine/qemu/qemu-instance";
import type { ToroTelemetryBody } from "../../src/protocol/toro-protocol";
import { AdapterSession } from "./support/adapter-session";
import { prebuiltSessionApp, SESSION_APP_SOURCE, tagLine } from "./support/fixture-app";
import { waitUntilGone } from "../helpers/processes";

describe("attach", () => {
  it("attaches to a running QEMU through its gdbstub and QMP socket, then detaches", async () => {
    const { kernelElf, bootElf } = await prebuiltSessionApp();
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), "toro-dap-attach-qemu-"));
    const qemu = await QemuInstance.start({
      kernelPath: bootElf,
      profile: loadProfile("default"),
      overrides: { cpus: 2 },
      gdbstub: true,
      stopAtStart: true,
      parentDirectory: parent,
    });
    try {
      qemu.qmp.close(); // QEMU's QMP socket takes one client at a time: the adapter's
      const session = await AdapterSession.open("attach");
      const stopped = session.waitFor("stopped");
      await session.attach(
        { gdbstub: `127.0.0.1:${qemu.gdbPort}`, qmpSocket: qemu.qmpSocketPath, program: kernelElf },
        async () => {
          await session.setBreakpoints(SESSION_APP_SOURCE, [{ line: tagLine("add-body") }]);
        },
      );
      expect(session.info).toMatchObject({ request: "attach", cpus: 2, qemuPid: null });
      const stop = (await stopped).body;
      expect(stop.reason).toBe("breakpoint");
      expect((await session.topFrame(stop.threadId)).name).toBe("add_pair");

      await session.setBreakpoints(SESSION_APP_SOURCE, []);
      await session.client.continueRequest({ threadId: stop.threadId });
      const mark = session.events.length;
      // Reads are slow through QMP: one that started before the continue (even during boot, when the block
      // was still zero) may arrive after it. Wait for one taken while running, then check it.
      const running = (
        await session.waitFor("toroTelemetry", {
          after: mark,
          predicate: (event) => event.body.target === "running" && event.body.unreadable === null,
        })
      ).body as ToroTelemetryBody;
      expect(running.vm?.status).toBe("running");
      expect(running.cores).toHaveLength(2);

      const gdbPid = session.info!.gdbPid!;
      await session.client.disconnectRequest({}); // attach: detach by default
      expect(await waitUntilGone(gdbPid)).toBe(true);
      expect(qemu.hasExited).toBe(false);
      await session.close();
    } finally {
      await qemu.stop();
      fs.rmSync(parent, { recursive: true, force: true });
    }
  });
});
