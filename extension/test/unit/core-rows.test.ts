// core-rows.test.ts - the Cores view model (src/views/core-rows.ts): one row per core, state visible in
// icon, color and text, numbers formatted, tooltips complete.
import { describe, expect, it } from "vitest";
import { CORE_STATE_PRESENTATION, coreRow, coreRows, coresSummary } from "../../src/views/core-rows";
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
    expect(tooltip).not.toContain("network frames");
  });

  it("shows the network counters of a core that handles frames, and the connections of the network core", () => {
    const network = { framesIn: 12500, framesOut: 12000, framesDropped: 3, connectionsOpen: 33, timeWait: 1 };
    const tooltip = coreRow(core(0, "halted", { network })).tooltip;
    expect(tooltip).toContain("| network frames in / out / dropped | 12.5k / 12.0k / 3 |");
    expect(tooltip).toContain("| connections open (TIME_WAIT) | 33 (1) |");
    const worker = coreRow(
      core(2, "running", { network: { ...network, connectionsOpen: 0, timeWait: 0 } }),
    ).tooltip;
    expect(worker).toContain("| network frames in / out / dropped |");
    expect(worker).not.toContain("connections open");
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

describe("coreRows with many cores", () => {
  const states = (index: number) => (index === 17 ? "lock-spin" : index % 16 === 3 ? "running" : "halted");
  const cores64 = () => Array.from({ length: 64 }, (_, index) => core(index, states(index)));

  it("groups 64 cores into 4 collapsible rows of 16 with the cores inside", () => {
    const rows = coreRows(body({ cores: cores64() }));
    expect(rows.map((row) => row.label)).toEqual(["CPUs 0-15", "CPUs 16-31", "CPUs 32-47", "CPUs 48-63"]);
    expect(rows.map((row) => row.id)).toEqual(["cores-0-15", "cores-16-31", "cores-32-47", "cores-48-63"]);
    expect(rows.every((row) => row.coreIndex === null && row.contextValue === "toroCoreGroup")).toBe(true);
    expect(rows.flatMap((row) => row.children!.map((child) => child.coreIndex))).toEqual([
      ...Array(64).keys(),
    ]);
    expect(rows[1].children![1]).toMatchObject({ label: "CPU 17", id: "core-17", contextValue: "toroCore" });
  });

  it("summarises a group: state counts (most costly first), summed halts/s, mean idle share", () => {
    const [first, second] = coreRows(body({ cores: cores64() }));
    expect(first.description).toBe("1 running · 15 halted · 297/s · idle 93%");
    expect(first.state).toBe("running");
    expect(second.description).toBe("1 lock spin · 1 running · 14 halted · 277/s · idle 87%");
    expect(second.icon).toEqual(CORE_STATE_PRESENTATION["lock-spin"].icon);
    expect(second.tooltip).toContain("| lock spin | 1 |");
  });

  it("keeps 16 cores flat and groups 17 as 16 + 1", () => {
    const sixteen = Array.from({ length: 16 }, (_, index) => core(index, "halted"));
    expect(coreRows(body({ cores: sixteen })).map((row) => row.label)).toHaveLength(16);
    const rows = coreRows(body({ cores: [...sixteen, core(16, "running")] }));
    expect(rows.map((row) => row.label)).toEqual(["CPUs 0-15", "CPUs 16-16"]);
    expect(rows[1].children).toHaveLength(1);
  });

  it("gives identical rows for identical telemetry, so the view is not redrawn", () => {
    expect(sameRows(coreRows(body({ cores: cores64() })), coreRows(body({ cores: cores64() })))).toBe(true);
    const changed = cores64();
    changed[40] = core(40, "halted", { halts: 99_999 });
    expect(sameRows(coreRows(body({ cores: cores64() })), coreRows(body({ cores: changed })))).toBe(false);
  });

  it("names the hypervisor and APIC mode beside the title", () => {
    expect(coresSummary(body())).toBe("TCG · xAPIC");
    const global = body().global!;
    expect(
      coresSummary(body({ global: { ...global, hypervisor: { ...global.hypervisor!, kind: "none" } } })),
    ).toBe("bare metal · xAPIC");
    expect(coresSummary(body({ global: { ...global, hypervisor: null, apicMode: null } }))).toBeUndefined();
    expect(coresSummary(null)).toBeUndefined();
  });
});
