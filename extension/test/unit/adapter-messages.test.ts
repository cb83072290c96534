// adapter-messages.test.ts - the one adapter tracker (src/debug/adapter-messages.ts): messages classified,
// dispatched to every consumer in order, the first readable telemetry flagged once per session, the end told
// once (terminated and the adapter's exit), and the F5 timing line that the real LaunchTiming consumer
// writes from such a sequence (its phases add up to its total).

import { describe, expect, it } from "vitest";
import type * as vscode from "vscode";
import {
  adapterEvent,
  adapterMessageTracker,
  type AdapterMessageConsumer,
} from "../../src/debug/adapter-messages";
import { parseLaunchTimingLine } from "../../src/debug/launch-phases";
import { LaunchTiming } from "../../src/debug/launch-timing";

const session = { id: "s1", type: "toro", name: "idle-demo" } as vscode.DebugSession;
const sessionEvent = { type: "event", event: "toroSession", body: { cpus: 4 } };
const unreadable = { type: "event", event: "toroTelemetry", body: { global: null } };
const readable = { type: "event", event: "toroTelemetry", body: { global: { cpus: 4 } } };

/** A consumer that writes down what it is told, into a log shared by several. */
function recorder(name: string, log: string[]): AdapterMessageConsumer {
  return {
    adapterStarting: () => log.push(`${name} starting`),
    sessionStarted: (_session, body) => log.push(`${name} session ${body.cpus}`),
    telemetry: (_session, body, firstLive) =>
      log.push(
        `${name} telemetry ${body.global === null ? "unreadable" : "readable"}${firstLive ? " first" : ""}`,
      ),
    stopped: () => log.push(`${name} stopped`),
    ended: () => log.push(`${name} ended`),
  };
}

describe("adapterEvent", () => {
  it("classifies the events the consumers want and nothing else", () => {
    expect(adapterEvent(sessionEvent)).toMatchObject({ kind: "session", body: { cpus: 4 } });
    expect(adapterEvent(unreadable)).toMatchObject({ kind: "telemetry", readable: false });
    expect(adapterEvent(readable)).toMatchObject({ kind: "telemetry", readable: true });
    expect(adapterEvent({ type: "event", event: "stopped", body: {} })).toEqual({ kind: "stopped" });
    expect(adapterEvent({ type: "event", event: "terminated" })).toEqual({ kind: "ended" });
    expect(adapterEvent({ type: "event", event: "output", body: {} })).toEqual({ kind: "other" });
    expect(adapterEvent({ type: "response", event: "toroSession" })).toEqual({ kind: "other" });
  });
});

describe("adapterMessageTracker", () => {
  it("tells every consumer in order, flags the first readable telemetry once, and the end once", () => {
    const log: string[] = [];
    const tracker = adapterMessageTracker([recorder("a", log), recorder("b", log), {}], session);
    for (const message of [sessionEvent, unreadable, readable, readable, { type: "event", event: "stopped" }])
      tracker.onDidSendMessage!(message);
    tracker.onDidSendMessage!({ type: "event", event: "terminated" });
    tracker.onExit!(0, undefined);
    expect(log).toEqual([
      "a starting",
      "b starting",
      "a session 4",
      "b session 4",
      "a telemetry unreadable",
      "b telemetry unreadable",
      "a telemetry readable first",
      "b telemetry readable first",
      "a telemetry readable",
      "b telemetry readable",
      "a stopped",
      "b stopped",
      "a ended",
      "b ended",
    ]);
  });

  it("flags the first readable telemetry of each session, also after an earlier session's", () => {
    const log: string[] = [];
    const consumers = [recorder("a", log)];
    adapterMessageTracker(consumers, session).onDidSendMessage!(readable);
    adapterMessageTracker(consumers, { ...session, id: "s2" } as vscode.DebugSession).onDidSendMessage!(
      readable,
    );
    expect(log.filter((line) => line.endsWith("first"))).toHaveLength(2);
  });

  it("feeds LaunchTiming: one F5 timing line per launch, at the first readable telemetry", () => {
    const lines: string[] = [];
    const timing = new LaunchTiming({ appendLine: (line: string) => void lines.push(line) });
    for (const mark of ["resolve", "substituted", "toolchainChecked", "built"] as const) timing.mark(mark);
    const tracker = adapterMessageTracker([timing], session);
    tracker.onDidSendMessage!(sessionEvent);
    tracker.onDidSendMessage!(unreadable);
    expect(lines).toEqual([]);
    tracker.onDidSendMessage!(readable);
    tracker.onDidSendMessage!(readable);
    expect(lines).toHaveLength(1);
    const parsed = parseLaunchTimingLine(lines[0])!;
    expect(Object.keys(parsed.phases)).toEqual([
      "configuration resolution",
      "toolchain check",
      "build task (or make -q)",
      "VS Code to adapter start",
      "adapter + QEMU + GDB start",
      "kernel boot to first telemetry",
      "total",
    ]);
    expect(parsed.span!.endEpochMs).toBeGreaterThanOrEqual(parsed.span!.startEpochMs);
  });
});
