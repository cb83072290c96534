// remote-attach.test.ts - `attach` through an SSH tunnel (`ssh`, `sshPort`, `sshOptions`): a real sshd of the
// test's own on 127.0.0.1 (test/helpers/local-sshd.ts: temporary host and client keys), a QEMU started with a
// gdbstub and a QMP socket as on a remote machine, and the adapter reaching both only through `ssh -L`:
// a breakpoint stop, continue, live telemetry through QMP while running, and a disconnect that ends ssh and
// leaves that QEMU running. Skips, saying why, when sshd cannot start here.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadProfile } from "../../src/engine/profiles/load-profile";
import { QemuInstance } from "../../src/engine/qemu/qemu-instance";
import type { ToroTelemetryBody } from "../../src/protocol/toro-protocol";
import { AdapterSession } from "./support/adapter-session";
import { prebuiltSessionApp, SESSION_APP_SOURCE, tagLine } from "./support/fixture-app";
import { LocalSshd, startLocalSshd } from "../helpers/local-sshd";
import { processesMentioning, waitUntilGone } from "../helpers/processes";

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
    const { kernelElf, bootElf } = await prebuiltSessionApp();
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), "toro-dap-remote-qemu-"));
    const qemu = await QemuInstance.start({
      kernelPath: bootElf,
      profile: loadProfile("default"),
      overrides: { cpus: 2 },
      gdbstub: true,
      stopAtStart: true,
      parentDirectory: parent,
    });
    try {
      qemu.qmp.close(); // QEMU's QMP socket takes one client at a time: the tunnel's
      const forward = `:127.0.0.1:${qemu.gdbPort}`; // in ssh's -L argument, nowhere else
      const session = await AdapterSession.open("remote-attach");
      const stopped = session.waitFor("stopped");
      await session.attach(
        {
          gdbstub: `127.0.0.1:${qemu.gdbPort}`,
          qmpSocket: qemu.qmpSocketPath,
          program: kernelElf,
          ssh: server.destination,
          sshPort: server.port,
          sshOptions: server.clientOptions,
        },
        async () => {
          await session.setBreakpoints(SESSION_APP_SOURCE, [{ line: tagLine("add-body") }]);
        },
      );
      expect(processesMentioning(forward)).toHaveLength(1); // the ssh client
      expect(session.info).toMatchObject({ request: "attach", cpus: 2 });
      const stop = (await stopped).body;
      expect(stop.reason).toBe("breakpoint");
      expect((await session.topFrame(stop.threadId)).name).toBe("add_pair");

      await session.setBreakpoints(SESSION_APP_SOURCE, []);
      await session.client.continueRequest({ threadId: stop.threadId });
      const mark = session.events.length;
      const running = (
        await session.waitFor("toroTelemetry", {
          after: mark,
          predicate: (event) => event.body.target === "running" && event.body.unreadable === null,
        })
      ).body as ToroTelemetryBody;
      expect(running.vm?.status).toBe("running");
      expect(running.cores).toHaveLength(2);

      const gdbPid = session.info!.gdbPid!;
      await session.client.disconnectRequest({});
      expect(await waitUntilGone(gdbPid)).toBe(true);
      const deadline = Date.now() + 10_000;
      while (processesMentioning(forward).length > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(processesMentioning(forward), "ssh left running").toEqual([]);
      expect(qemu.hasExited).toBe(false);
      await session.close();
    } finally {
      await qemu.stop();
      fs.rmSync(parent, { recursive: true, force: true });
    }
  });
});
