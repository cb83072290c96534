// attach-scenario.ts - what both attach tests (local, and through an SSH tunnel) run: a QEMU started as a user
// would start one for attaching (gdbstub, QMP socket, stopped at start, 2 vCPUs) and the same session against
// it: attach with a breakpoint at add-body, the stop in add_pair, continue, a telemetry read taken while
// running, and a disconnect that detaches (GDB ends, QEMU keeps running).

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "vitest";
import { loadProfile } from "../../../src/engine/profiles/load-profile";
import { QemuInstance } from "../../../src/engine/qemu/qemu-instance";
import type { ToroTelemetryBody } from "../../../src/protocol/toro-protocol";
import { waitUntilGone } from "../../helpers/processes";
import { AdapterSession } from "./adapter-session";
import { prebuiltSessionApp, SESSION_APP_SOURCE, tagLine } from "./fixture-app";

/**
 * Starts the session app's QEMU for attaching and frees its QMP socket (it takes one client at a time: the
 * adapter's or the tunnel's); `use` gets it and the kernel ELF; the QEMU and its folder are gone afterwards.
 */
export async function withAttachableQemu(
  use: (qemu: QemuInstance, kernelElf: string) => Promise<void>,
): Promise<void> {
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
    qemu.qmp.close();
    await use(qemu, kernelElf);
  } finally {
    await qemu.stop();
    fs.rmSync(parent, { recursive: true, force: true });
  }
}

/**
 * Attaches with `attachArguments`, checks the breakpoint stop, continues, waits for telemetry read while
 * running, then disconnects (detach) and waits for GDB to end. `whileAttached` runs right after the attach.
 */
export async function attachStopContinueDetach(
  session: AdapterSession,
  attachArguments: Record<string, unknown>,
  whileAttached: () => void = () => undefined,
): Promise<void> {
  const stopped = session.waitFor("stopped");
  await session.attach(attachArguments, async () => {
    await session.setBreakpoints(SESSION_APP_SOURCE, [{ line: tagLine("add-body") }]);
  });
  whileAttached();
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
}
