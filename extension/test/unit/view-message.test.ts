// view-message.test.ts - the line above a Toro tree view's rows (src/views/view-message.ts).
import { describe, expect, it } from "vitest";
import { TelemetryStore } from "../../src/telemetry/telemetry-store";
import { viewMessage } from "../../src/views/view-message";
import { body, unreadableBody } from "./telemetry-fixtures";

describe("viewMessage", () => {
  it("says nothing before any session (the welcome content shows instead)", () => {
    expect(viewMessage(new TelemetryStore(), 0, "none")).toBeUndefined();
  });

  it("follows a session from waiting to rows to ended", () => {
    const store = new TelemetryStore();
    store.beginSession("one", "Toro: idle-demo");
    expect(viewMessage(store, 0, "empty")).toBe("Waiting for the kernel's telemetry…");
    store.receive("one", unreadableBody(1));
    expect(viewMessage(store, 0, "empty")).toBe("Telemetry not readable yet: not booted yet");
    store.receive("one", body({ sequence: 2 }));
    expect(viewMessage(store, 4, "empty")).toBeUndefined();
    expect(viewMessage(store, 0, "No spinlock yet.")).toBe("No spinlock yet.");
    store.endSession("one", new Date(2025, 0, 1, 12, 30, 5).getTime());
    const ended = viewMessage(store, 4, "empty")!;
    expect(ended).toMatch(/^Session "Toro: idle-demo" ended at .+: showing its last snapshot\.$/);
  });
});
