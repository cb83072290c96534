// core-rows.test.ts - the Cores view model (src/views/core-rows.ts): one row per core, state visible in
// icon, color and text, numbers formatted, tooltips complete.
import { describe, expect, it } from "vitest";
import { CORE_STATE_PRESENTATION, coreRow, coreRows } from "../../src/views/core-rows";
import { sameRows } from "../../src/views/tree-row";
import { body, core } from "./telemetry-fixtures";

describe("coreRows", () => {
  it("gives one row per core, labelled by vCPU, with stable ids", () => {
    const rows = coreRows(body());
    expect(rows.map((row) => row.label)).toEqual(["CPU 0", "CPU 1", "CPU 2", "CPU 3"]);
    expect(rows.map((row) => row.id)).toEqual(["core-0", "core-1", "core-2", "core-3"]);
    expect(rows.map((row) => row.coreIndex)).toEqual([0, 1, 2, 3]);
  });

  it("has no rows before the first telemetry body", () => {
    expect(coreRows(null)).toEqual([]);
  });

  it("describes a halted core with its halts, rate, idle share and thread", () => {
    const row = coreRow(core(1, "halted"));
    expect(row.description).toBe("halted · no thread · 1,201 halts · 19.8/s · idle 99% · spin 0%");
    expect(row.icon).toEqual({ codicon: "debug-pause", color: "charts.green" });
  });

  it("names the lock a spinning core waits on and counts lock spinning as spin", () => {
    const row = coreRow(core(3, "lock-spin"));
    expect(row.description).toBe("lock spin · worker-3 · 0 halts · 0.0/s · idle 0% · spin 60% · on shared");
    expect(row.tooltip).toContain("| spinning on | shared |");
  });

  it("shows halted, running and lock-spinning cores with different icons and colors", () => {
    const icons = ["halted", "running", "lock-spin", "idle-spin"].map((state) =>
      JSON.stringify(CORE_STATE_PRESENTATION[state as keyof typeof CORE_STATE_PRESENTATION].icon),
    );
    expect(new Set(icons).size).toBe(4);
    expect(coreRow(core(0, "running")).icon.color).toBe("charts.blue");
    expect(coreRow(core(0, "idle-spin")).icon.color).toBe("charts.red");
  });

  it("leaves shares out while unknown and prints '-' for an unknown rate", () => {
    const row = coreRow(
      core(2, "running", { shares: null, haltsPerSecond: null, threadId: 5, threadName: null }),
    );
    expect(row.description).toBe("running · thread 5 · 0 halts · -");
  });

  it("lists every counter in the tooltip", () => {
    const tooltip = coreRow(core(1, "halted")).tooltip;
    for (const text of [
      "halts per second",
      "context switches",
      "1.5k",
      "interrupts / IPIs",
      "850 µs / 12.5 ms",
      "halted / polling | 99% / 0%",
    ]) {
      expect(tooltip).toContain(text);
    }
  });
});

describe("sameRows", () => {
  it("holds for the rows of two equal bodies (a stopped VM), not once a value changes", () => {
    expect(sameRows(coreRows(body()), coreRows(body()))).toBe(true);
    const changed = body();
    changed.cores[2].halts += 1;
    expect(sameRows(coreRows(body()), coreRows(changed))).toBe(false);
    expect(sameRows(coreRows(body()), coreRows(body()).slice(1))).toBe(false);
    expect(sameRows([], coreRows(null))).toBe(true);
  });
});
