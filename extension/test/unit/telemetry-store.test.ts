// telemetry-store.test.ts - the TelemetryStore (src/telemetry/telemetry-store.ts): one current session,
// newer bodies only, the last snapshot kept after the end, a one-minute history.
import { describe, expect, it } from "vitest";
import { TelemetryStore, type StoreChange } from "../../src/telemetry/telemetry-store";
import { body, unreadableBody } from "./telemetry-fixtures";

function recordChanges(store: TelemetryStore): StoreChange[] {
  const changes: StoreChange[] = [];
  store.onDidChange((change) => changes.push(change));
  return changes;
}

describe("TelemetryStore", () => {
  it("starts empty", () => {
    const store = new TelemetryStore();
    expect(store.phase).toBe("none");
    expect(store.latest).toBeNull();
    expect(store.history).toEqual([]);
  });

  it("takes bodies of the current session only, in sequence order", () => {
    const store = new TelemetryStore();
    const changes = recordChanges(store);
    store.beginSession("one", "Toro: idle-demo");
    expect(store.receive("one", body({ sequence: 1 }))).toBe(true);
    expect(store.receive("other", body({ sequence: 2 }))).toBe(false);
    expect(store.receive("one", body({ sequence: 1 }))).toBe(false);
    expect(store.receive("one", body({ sequence: 3, target: "stopped" }))).toBe(true);
    expect(store.latest?.sequence).toBe(3);
    expect(changes.map((change) => change.kind)).toEqual(["session", "telemetry", "telemetry"]);
  });

  it("keeps the last snapshot after the session ends, marked ended, and takes nothing more", () => {
    const store = new TelemetryStore();
    store.beginSession("one", "Toro: idle-demo");
    store.receive("one", body({ sequence: 5 }));
    store.endSession("other", 1);
    expect(store.phase).toBe("live");
    store.endSession("one", 1234);
    expect(store.phase).toBe("ended");
    expect(store.endedAtMs).toBe(1234);
    expect(store.latest?.sequence).toBe(5);
    expect(store.receive("one", body({ sequence: 6 }))).toBe(false);
    expect(store.history).toHaveLength(1);
  });

  it("drops the previous session's snapshot when a new one starts", () => {
    const store = new TelemetryStore();
    store.beginSession("one", "first");
    store.receive("one", body({ sequence: 5 }));
    store.endSession("one", 1);
    store.beginSession("two", "second");
    expect(store.latest).toBeNull();
    expect(store.history).toEqual([]);
    expect(store.sessionName).toBe("second");
    expect(store.phase).toBe("live");
  });

  it("keeps unreadable bodies as the latest but plots nothing for them", () => {
    const store = new TelemetryStore();
    const changes = recordChanges(store);
    store.beginSession("one", "first");
    store.receive("one", unreadableBody(1));
    expect(store.latest?.unreadable).toBe("not booted yet");
    expect(store.history).toEqual([]);
    expect(changes[1]).toMatchObject({ kind: "telemetry", point: null });
  });

  it("marks the session's first readable body (firstReadable), once per session", () => {
    const store = new TelemetryStore();
    const changes = recordChanges(store);
    store.beginSession("one", "first");
    store.receive("one", unreadableBody(1));
    store.receive("one", body({ sequence: 2 }));
    store.receive("one", body({ sequence: 3 }));
    store.beginSession("two", "second");
    store.receive("two", body({ sequence: 1 }));
    const flags = changes.flatMap((change) => (change.kind === "telemetry" ? [change.firstReadable] : []));
    expect(flags).toEqual([false, true, false, true]);
  });

  it("keeps the last window of points (one minute by default)", () => {
    const store = new TelemetryStore(60);
    store.beginSession("one", "first");
    const start = 1_700_000_000_000;
    for (let second = 0; second <= 200; second++)
      store.receive("one", body({ sequence: second + 1, timeMs: start + second * 1000 }));
    const history = store.history;
    expect(history[history.length - 1].timeSeconds - history[0].timeSeconds).toBe(60);
    expect(history).toHaveLength(61);
  });
});
