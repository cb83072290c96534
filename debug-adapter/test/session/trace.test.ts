// trace.test.ts - the event trace through the DAP session under real QEMU (protocol/trace-protocol.ts,
// session/trace-session.ts): samples/idle-demo launched with trace=on on 4 vCPUs; `toroTraceWindow` gives 4
// lanes with closed halted intervals and the analysis, and limited to a pixel width it merges sub-pixel
// intervals (every recorded one still counted); `toroTraceControl` switches the halt and IPI kinds off
// while the VM runs (QEMU's stop count does not move) and no such event comes after; `toroTraceExport` writes
// a Chrome JSON trace with one track per core that passes the Perfetto importer's structural rules; bad arguments get clear errors.

import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import type {
  ToroTraceControlBody,
  ToroTraceExportBody,
  ToroTraceWindowBody,
} from "../../src/protocol/trace-protocol";
import { TORO_TRACE_STATES } from "../../src/protocol/trace-protocol";
import { perfettoJsonProblems } from "../helpers/perfetto-json-check";
import { AdapterSession } from "./support/adapter-session";
import { REPOSITORY_ROOT } from "./support/fixture-app";

const IDLE_DEMO = path.join(REPOSITORY_ROOT, "samples", "idle-demo");
const HALTED = TORO_TRACE_STATES.indexOf("halted");
const RUNNING = TORO_TRACE_STATES.indexOf("running");

async function traceWindow(session: AdapterSession): Promise<ToroTraceWindowBody> {
  return (await session.client.customRequest("toroTraceWindow")).body as ToroTraceWindowBody;
}

/** Closed halted intervals (woken, not clipped) of a lane. */
function closedHalts(window: ToroTraceWindowBody, lane: ToroTraceWindowBody["lanes"][number]): number {
  return lane.state.filter(
    (state, index) => state === HALTED && window.strings[lane.detail[index]].startsWith("woken by"),
  ).length;
}

async function waitForWindow(
  session: AdapterSession,
  accept: (window: ToroTraceWindowBody) => boolean,
  timeoutMs = 60_000,
): Promise<ToroTraceWindowBody> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const window = await traceWindow(session);
    if (accept(window)) return window;
    if (Date.now() > deadline) {
      const lanes = window.lanes.map((lane) => `core ${lane.core}: ${closedHalts(window, lane)} halts`);
      throw new Error(`the trace window never matched: ${window.problem ?? ""} ${lanes.join(", ")}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

describe("the event trace in a debug session", () => {
  it("gives 4 lanes with halted intervals, switches kinds off live, and exports a Perfetto trace", async () => {
    const session = await AdapterSession.open("trace");
    await session.launch({
      app: IDLE_DEMO,
      cpus: 4,
      idle: "tickless",
      cmdline: "trace=on work_ms=100 idle_ms=400 step_ms=20",
      telemetryHz: 20,
    });
    const first = await waitForWindow(
      session,
      (window) => window.lanes.length === 4 && window.lanes.every((lane) => closedHalts(window, lane) >= 3),
    );
    expect(first.problem).toBeNull();
    expect(first.enabledKinds).toBe(0xfffe);
    expect(first.lanes.map((lane) => lane.core)).toEqual([0, 1, 2, 3]);
    for (const lane of first.lanes) {
      expect(lane.start.length).toBe(lane.end.length);
      for (let index = 1; index < lane.start.length; index++)
        expect(lane.start[index]).toBeGreaterThanOrEqual(lane.start[index - 1]);
      expect(lane.end.every((end, index) => end >= lane.start[index])).toBe(true);
      expect(lane.overruns, `core ${lane.core} overruns`).toBe(0);
    }
    // Thread names come from the telemetry thread table; the workers of idle-demo are "burst" and "rest".
    const threadLabels = new Set(
      first.lanes.flatMap((lane) =>
        lane.label.filter((_, index) => lane.state[index] === RUNNING).map((label) => first.strings[label]),
      ),
    );
    expect([...threadLabels].some((name) => name === "rest" || name === "burst")).toBe(true);
    expect(first.analysis.map((core) => core.core)).toEqual([0, 1, 2, 3]);
    expect(first.analysis.some((core) => core.haltResidency > 0.1 && core.halts > 0)).toBe(true);
    expect(first.analysis[1].haltLengths.reduce((total, bucket) => total + bucket.count, 0)).toBeGreaterThan(
      0,
    );

    // Limited to a 100-pixel view: sub-pixel intervals merged, each lane at most ~2 per column and layer,
    // every recorded interval still counted.
    const limited = (await session.client.customRequest("toroTraceWindow", { widthPx: 100 }))
      .body as ToroTraceWindowBody;
    expect(limited.view).toMatchObject({ widthPx: 100 });
    for (const lane of limited.lanes) {
      expect(lane.start.length, `core ${lane.core} intervals at 100 px`).toBeLessThanOrEqual(2 * 3 * 100 + 3);
      expect(lane.merged).toHaveLength(lane.start.length);
      const recorded = lane.merged!.reduce((sum, count) => sum + count, 0);
      expect(recorded).toBeGreaterThanOrEqual(first.lanes[lane.core].start.length);
    }
    expect(limited.lanes.some((lane) => lane.merged!.some((count) => count > 1))).toBe(true);

    // Halt and IPI events off while the VM runs; sched stays on.
    const stopsBefore = session.telemetrySince(0).at(-1)?.vm?.stops;
    const control = (await session.client.customRequest("toroTraceControl", { kinds: "sched" }))
      .body as ToroTraceControlBody;
    expect(control).toEqual({ previousKinds: 0xfffe, enabledKinds: 0x4006 });
    // A hook that read the old word just before the write may still write one event: cut after a moment.
    await sleep(300);
    const cut = await traceWindow(session);
    expect(cut.enabledKinds).toBe(0x4006);
    await sleep(2_000);
    const after = await traceWindow(session);
    let newThreads = 0;
    for (const lane of after.lanes) {
      const cutTime = cut.lanes.find((entry) => entry.core === lane.core)!.end.at(-1) ?? cut.endMicroseconds;
      const newHalts = lane.start.filter(
        (start, index) => start > cutTime && lane.state[index] === HALTED,
      ).length;
      expect(newHalts, `halted intervals begun on core ${lane.core} after halt was switched off`).toBe(0);
      const newIpis = lane.markerTime.filter(
        (time, index) => time > cutTime && after.strings[lane.markerKind[index]].startsWith("ipi"),
      ).length;
      expect(newIpis, `IPI events on core ${lane.core} after ipi was switched off`).toBe(0);
      newThreads += lane.start.filter(
        (start, index) => start > cutTime && lane.state[index] === RUNNING,
      ).length;
    }
    expect(newThreads, "thread switches go on being traced").toBeGreaterThan(0);
    await session.waitFor("toroTelemetry", { after: session.events.length });
    expect(session.telemetrySince(0).at(-1)?.vm?.stops, "the VM was stopped").toBe(stopsBefore);

    const exportPath = path.join(session.directory, "trace.json");
    const exported = (await session.client.customRequest("toroTraceExport", { path: exportPath }))
      .body as ToroTraceExportBody;
    expect(exported).toMatchObject({ path: exportPath, cores: 4 });
    const file = JSON.parse(fs.readFileSync(exportPath, "utf8")) as {
      traceEvents: { ph: string; name: string; tid: number; args?: { name?: string } }[];
    };
    expect(file.traceEvents).toHaveLength(exported.events);
    // What Perfetto's JSON importer needs to load every event (ui.perfetto.dev is not reachable here).
    expect(perfettoJsonProblems(file)).toEqual([]);
    const tracks = file.traceEvents.filter((event) => event.name === "thread_name");
    expect(tracks.map((event) => event.args?.name)).toEqual(["core 0", "core 1", "core 2", "core 3"]);
    for (const track of tracks) {
      expect(
        file.traceEvents.some(
          (event) => event.ph === "X" && event.name === "halted" && event.tid === track.tid,
        ),
      ).toBe(true);
    }
    fs.rmSync(exportPath);
    await session.close();
  });

  it("refuses bad trace arguments with what was expected", async () => {
    const session = await AdapterSession.open("trace-errors");
    await session.launch({ app: IDLE_DEMO, cpus: 2, cmdline: "idle_ms=200 work_ms=50" });
    const failure = (command: string, arguments_: unknown) =>
      session.client.customRequest(command, arguments_).then(
        () => "no error",
        (error: Error) => error.message,
      );
    expect(await failure("toroTraceControl", { kinds: "sched,bogus" })).toMatch(
      /unknown group "bogus", expected on, off or a comma list of sched, halt/,
    );
    expect(await failure("toroTraceControl", {})).toMatch(/"kinds" must be "on", "off" or a comma list/);
    expect(await failure("toroTraceWindow", { lastSeconds: -1 })).toMatch(/"lastSeconds" must be a positive/);
    expect(await failure("toroTraceWindow", { widthPx: 0.5 })).toMatch(
      /"widthPx" must be a whole number of pixels from 1 to 100000, got number 0\.5/,
    );
    expect(await failure("toroTraceWindow", { startMicroseconds: 10, endMicroseconds: 5 })).toMatch(
      /"endMicroseconds" \(5\) must be after "startMicroseconds" \(10\)/,
    );
    expect(await failure("toroTraceWindow", { lastSeconds: 1, startMicroseconds: 0 })).toMatch(
      /cannot be used together/,
    );
    expect(await failure("toroTraceExport", { path: "relative.json" })).toMatch(
      /must be an absolute file path/,
    );
    expect(await failure("toroTraceExport", { path: "/nonexistent-folder/x.json" })).toMatch(
      /the folder \/nonexistent-folder does not exist/,
    );
    // trace= was off at boot: the window says why it is empty, and switching on works without a reboot.
    const empty = await waitForWindow(session, (window) => window.enabledKinds !== null);
    expect(empty.enabledKinds).toBe(0);
    expect(empty.problem).not.toBeNull();
    const control = (await session.client.customRequest("toroTraceControl", { kinds: "on" }))
      .body as ToroTraceControlBody;
    expect(control).toEqual({ previousKinds: 0, enabledKinds: 0xfffe });
    const filled = await waitForWindow(session, (window) =>
      window.lanes.some((lane) => lane.start.length > 0),
    );
    expect(filled.problem).toBeNull();
    await session.close();
  });
});
