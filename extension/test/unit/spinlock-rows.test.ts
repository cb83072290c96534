// spinlock-rows.test.ts - the Spinlocks view model (src/views/spinlock-rows.ts): hot locks first, owner
// and statistics in the description.
import { describe, expect, it } from "vitest";
import { spinlockRows } from "../../src/views/spinlock-rows";
import { body } from "./telemetry-fixtures";

describe("spinlockRows", () => {
  it("puts the most contended lock first, then by cycles spun", () => {
    expect(spinlockRows(body()).map((row) => row.label)).toEqual(["shared", "heap", "console"]);
  });

  it("orders locks without contention by cycles spun, acquisitions, then name", () => {
    const rows = spinlockRows(
      body({
        spinlocks: [
          {
            name: "b",
            ownerCore: null,
            acquisitions: 5,
            contentions: 0,
            cyclesSpun: 0,
            longestHoldMicroseconds: null,
          },
          {
            name: "a",
            ownerCore: null,
            acquisitions: 5,
            contentions: 0,
            cyclesSpun: 0,
            longestHoldMicroseconds: null,
          },
          {
            name: "c",
            ownerCore: null,
            acquisitions: 9,
            contentions: 0,
            cyclesSpun: 0,
            longestHoldMicroseconds: null,
          },
        ],
      }),
    );
    expect(rows.map((row) => row.label)).toEqual(["c", "a", "b"]);
  });

  it("shows the owner, acquisitions, contentions, cycles spun and the longest hold", () => {
    const shared = spinlockRows(body())[0];
    expect(shared.description).toBe(
      "held by CPU 0 · 5,000 acquired · 1,204 contended · 12.3M cycles spun · hold ≤ 13 µs",
    );
    expect(shared.icon).toEqual({ codicon: "lock", color: "charts.orange" });
    expect(shared.contextValue).toBe("toroSpinlock.held");
    expect(shared.tooltip).toContain("1,204 (24.1%)");
  });

  it("marks a free, uncontended lock plainly", () => {
    const consoleLock = spinlockRows(body()).find((row) => row.name === "console")!;
    expect(consoleLock.description.startsWith("free · ")).toBe(true);
    expect(consoleLock.icon).toEqual({ codicon: "unlock", color: null });
  });
});
