// running.test.ts - a VM that runs: pause and continue, the `toroTelemetry` events (read from guest RAM: halts
// rise on idle cores and the VM is never stopped by them, as QEMU's own STOP count over QMP shows),
// the first event sent at the guest's ready line, `toroSnapshot`, serial output in the Debug Console, and restart (QMP system_reset, breakpoints kept).

import { describe, expect, it } from "vitest";
import type { ToroTelemetryBody } from "../../src/protocol/toro-protocol";
import { AdapterSession } from "./support/adapter-session";
import { SESSION_APP, SESSION_APP_SOURCE, tagLine } from "./support/fixture-app";

describe("a running VM", () => {
  it("pauses on request and continues", async () => {
    const session = await AdapterSession.open("pause");
    await session.launch({ app: SESSION_APP, cpus: 2 });
    await session.waitFor("output", { predicate: (event) => /counter=\d+/.test(event.body.output) });
    const paused = await session.stopAfter(() => session.client.pauseRequest({ threadId: 1 }));
    expect(paused.body).toMatchObject({ reason: "pause", allThreadsStopped: true });
    const trace = await session.client.stackTraceRequest({ threadId: paused.body.threadId });
    expect(trace.body.stackFrames.length).toBeGreaterThan(0);

    const continued = await session.client.continueRequest({ threadId: 1 });
    expect(continued.body.allThreadsContinued).toBe(true);
    // Running again: main's loop keeps counting.
    const again = await session.stopAfter(() => session.client.pauseRequest({ threadId: 1 }));
    expect(again.body.reason).toBe("pause");
    await session.close();
  });

  it("sends telemetry while running, halts rise on idle cores, and the VM is never paused by it", async () => {
    const session = await AdapterSession.open("telemetry");
    // idle=halt: every idle core halts at each 100 Hz tick, so halts rise on all of them.
    await session.launch({ app: SESSION_APP, cpus: 4, idle: "halt", telemetryHz: 20 });
    await session.waitFor("output", { predicate: (event) => /counter=\d+/.test(event.body.output) });
    const mark = session.events.length;
    await session.waitFor("toroTelemetry", {
      after: mark,
      predicate: () => session.telemetrySince(mark).length >= 12,
    });
    const bodies = session.telemetrySince(mark);
    const first = bodies[0];
    const last = bodies[bodies.length - 1];

    expect(bodies.every((body) => body.target === "running" && body.unreadable === null)).toBe(true);
    expect(bodies.map((body) => body.vm?.status)).toEqual(bodies.map(() => "running"));
    expect(last.vm!.stops, "QEMU reported a VM stop while only telemetry was read").toBe(first.vm!.stops);
    expect(last.sequence).toBeGreaterThan(first.sequence);
    expect(last.cores).toHaveLength(4);
    for (const core of last.cores.slice(1)) {
      const before = first.cores[core.index];
      expect(core.halts, `halts of core ${core.index}`).toBeGreaterThan(before.halts);
      expect(core.haltsPerSecond).toBeGreaterThan(0);
    }
    expect(last.global).toMatchObject({ idlePolicy: "halt", coresOnline: 4 });
    expect(last.spinlocks.some((lock) => lock.name === "counter" && lock.acquisitions === 20)).toBe(true);
    expect(last.threads.some((thread) => thread.name === "main")).toBe(true);
    expect(last.host.qemuPid).toBe(session.info!.qemuPid);

    const snapshot = (await session.client.customRequest("toroSnapshot")).body as ToroTelemetryBody;
    expect(snapshot.sequence).toBeGreaterThan(last.sequence);
    expect(snapshot.cores).toHaveLength(4);
    await session.close();
  });

  it("sends the first readable telemetry as soon as the guest reports ready, not an interval later", async () => {
    const session = await AdapterSession.open("telemetry-ready");
    // One event per 5 s: without the ready line's tick, the first would come 5 s after toroSession.
    await session.launch({ app: SESSION_APP, cpus: 2, telemetryHz: 0.2 });
    const started = await session.waitFor("toroSession");
    const startedAt = performance.now();
    const ready = await session.waitFor("output", {
      predicate: (event) => /toro: ready cores=/.test(event.body.output),
    });
    const first = await session.waitFor("toroTelemetry", { after: session.events.indexOf(started) });
    const firstAt = performance.now();
    expect(session.events.indexOf(first)).toBeGreaterThan(session.events.indexOf(ready));
    expect((first.body as ToroTelemetryBody).global).toMatchObject({ coresOnline: 2 });
    expect(firstAt - startedAt, "the first event waited for the 5 s interval").toBeLessThan(4000);
    await session.close();
  });

  it("keeps sending telemetry while stopped", async () => {
    const session = await AdapterSession.open("telemetry-stopped");
    const stopped = session.waitFor("stopped");
    await session.launch({ app: SESSION_APP, cpus: 2, stopOnEntry: true, telemetryHz: 20 });
    await stopped;
    // A read that began before the stop may still say "running"; from the first "stopped" one on, all must.
    const first = await session.waitFor("toroTelemetry", {
      predicate: (event) => event.body.target === "stopped",
    });
    const mark = session.events.indexOf(first);
    await session.waitFor("toroTelemetry", {
      after: mark,
      predicate: () => session.telemetrySince(mark).length >= 3,
    });
    const bodies = session.telemetrySince(mark);
    expect(bodies.every((body) => body.target === "stopped")).toBe(true);
    expect(bodies[bodies.length - 1].cores[0]).toMatchObject({ state: "running", threadName: "main" });
    await session.close();
  });

  it("restarts the VM in place and hits the same breakpoint again", async () => {
    const session = await AdapterSession.open("restart");
    const stopped = session.waitFor("stopped");
    await session.launch({ app: SESSION_APP, cpus: 2 }, async () => {
      await session.setBreakpoints(SESSION_APP_SOURCE, [{ line: tagLine("add-body") }]);
    });
    const first = (await stopped).body;
    expect(first.reason).toBe("breakpoint");
    const qemuPid = session.info!.qemuPid;

    const mark = session.events.length;
    await session.client.restartRequest({});
    const again = (await session.waitFor("stopped", { after: mark })).body;
    expect(again.reason).toBe("breakpoint");
    expect(again.hitBreakpointIds).toEqual(first.hitBreakpointIds);
    expect(session.events.slice(mark).some((event) => event.event === "continued")).toBe(true);
    // The same QEMU, booted twice.
    expect(session.isRunning(qemuPid)).toBe(true);
    expect(session.output("stdout").match(/toro: ready cores=2/g)).toHaveLength(2);
    await session.close();
  });
});
