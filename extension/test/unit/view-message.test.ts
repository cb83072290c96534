// view-message.test.ts - the line above a Toro tree view's rows (src/views/view-message.ts).
import { describe, expect, it } from "vitest";
import { TelemetryStore } from "../../src/telemetry/telemetry-store";
import { UNREADABLE_GRACE_MS, viewMessage } from "../../src/views/view-message";
import { body, unreadableBody } from "./telemetry-fixtures";

describe("viewMessage", () => {
  it("says nothing before any session (the welcome content shows instead)", () => {
    expect(viewMessage(new TelemetryStore(), 0, "none")).toBeUndefined();
  });

  it("follows a session from waiting to rows to ended", () => {
    const store = new TelemetryStore();
    const start = 1_700_000_000_000;
    store.beginSession("one", "Toro: idle-demo", start);
    expect(viewMessage(store, 0, "empty", start)).toBe("Waiting for the kernel's telemetry…");
    store.receive("one", unreadableBody(1));
    // Booting: still only waiting; past the grace, the reader's reason.
    expect(viewMessage(store, 0, "empty", start + UNREADABLE_GRACE_MS - 1)).toBe(
      "Waiting for the kernel's telemetry…",
    );
    expect(viewMessage(store, 0, "empty", start + UNREADABLE_GRACE_MS)).toBe(
      "Telemetry not readable yet: not booted yet",
    );
    store.receive("one", body({ sequence: 2 }));
    expect(viewMessage(store, 4, "empty")).toBeUndefined();
    // Readable once: a later unreadable block is reported at once (no boot to wait for).
    store.receive("one", unreadableBody(3));
    expect(viewMessage(store, 0, "empty", start + 1)).toBe("Telemetry not readable yet: not booted yet");
    store.receive("one", body({ sequence: 4 }));
    expect(viewMessage(store, 0, "No spinlock yet.")).toBe("No spinlock yet.");
    store.endSession("one", new Date(2025, 0, 1, 12, 30, 5).getTime());
    const ended = viewMessage(store, 4, "empty")!;
    expect(ended).toMatch(/^Session "Toro: idle-demo" ended at .+: showing its last snapshot\.$/);
  });
});
