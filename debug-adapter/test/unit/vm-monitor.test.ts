// vm-monitor.test.ts - VmMonitor's run state against a scripted QMP client: STOP and RESUME events move it,
// `query-status` refines it, and an answer that crossed an event (QEMU may send it after a RESUME it
// computed before) never overwrites what the event said.

import { describe, expect, it } from "vitest";
import type { QmpClient, QmpEvent } from "../../src/engine/qemu/qmp-client";
import { VmMonitor } from "../../src/engine/launch/vm-monitor";

/** A QMP client whose `query-status` answers wait until the test releases them, in order. */
class ScriptedQmp {
  readonly answers: Array<(status: string) => void> = [];
  private listener: ((event: QmpEvent) => void) | undefined;

  execute(command: string): Promise<unknown> {
    if (command !== "query-status") return Promise.reject(new Error(`unexpected command ${command}`));
    return new Promise((resolve) => this.answers.push((status) => resolve({ status })));
  }

  onEvent(listener: (event: QmpEvent) => void): () => void {
    this.listener = listener;
    return () => (this.listener = undefined);
  }

  emit(event: string): void {
    this.listener?.({ event } as QmpEvent);
  }

  async answer(status: string): Promise<void> {
    this.answers.shift()!(status);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function monitorOn(qmp: ScriptedQmp): VmMonitor {
  return new VmMonitor(qmp as unknown as QmpClient);
}

describe("VmMonitor", () => {
  it("takes QEMU's status from query-status, then follows STOP and RESUME", async () => {
    const qmp = new ScriptedQmp();
    const monitor = monitorOn(qmp);
    expect(monitor.snapshot).toEqual({ status: null, stops: 0 });
    await qmp.answer("prelaunch");
    expect(monitor.snapshot.status).toBe("prelaunch");

    qmp.emit("RESUME");
    expect(monitor.snapshot.status).toBe("running");
    qmp.emit("STOP");
    expect(monitor.snapshot).toEqual({ status: "stopped", stops: 1 });
    await qmp.answer("debug");
    expect(monitor.snapshot).toEqual({ status: "debug", stops: 1 });
  });

  it("drops an answer that arrives after a RESUME it did not see", async () => {
    const qmp = new ScriptedQmp();
    const monitor = monitorOn(qmp);
    qmp.emit("RESUME"); // the gdbstub's continue, sent by QEMU before its answer to the first query
    await qmp.answer("prelaunch");
    expect(monitor.snapshot.status).toBe("running");

    qmp.emit("STOP");
    qmp.emit("RESUME");
    await qmp.answer("debug"); // computed while stopped, delivered after the RESUME
    expect(monitor.snapshot).toEqual({ status: "running", stops: 1 });
  });
});
