// exporter-exposition.test.ts - the exporter's pure parts: Prometheus text and OpenMetrics formatting (HELP,
// TYPE, UNIT, escaping, counter family names, # EOF), Accept negotiation, the monotonic counters across VM
// restarts, and the metric families built from decoded synthetic blocks (labels, wake-ups by reason, seconds
// from cycles, a restarted VM continuing its series), plus locating a block by its magic in a memory chunk.

import { describe, expect, it } from "vitest";
import { decodeTelemetry } from "../../src/engine/telemetry/decoder";
import { isUnreadable, TelemetrySnapshot } from "../../src/engine/telemetry/snapshot";
import {
  EXPORTED_METRIC_NAMES,
  formatExposition,
  MetricFamily,
  MonotonicCounters,
  negotiateFormat,
  vmMetricFamilies,
  VmReading,
  findTelemetryHeader,
} from "../../src/engine/exporter/index";
import { SyntheticBlock } from "../helpers/synthetic-block";

const HZ = 1_000_000_000;

function decode(block: SyntheticBlock): TelemetrySnapshot {
  const result = decodeTelemetry(block.reader(), { now: () => 1000 });
  if (isUnreadable(result)) throw new Error(result.unreadable);
  return result;
}

function reading(snapshot: TelemetrySnapshot | null, overrides: Partial<VmReading> = {}): VmReading {
  return {
    app: "idle-demo",
    profile: "default",
    idlePolicy: "tickless",
    pid: 100,
    startedAtMs: 1_700_000_000_000,
    telemetry: snapshot,
    guestNowTsc: null,
    qemuCpuSeconds: 2.5,
    ...overrides,
  };
}

function sampleOf(
  families: MetricFamily[],
  name: string,
  labels: Record<string, string>,
): number | undefined {
  const family = families.find((candidate) => candidate.name === name);
  const sample = family?.samples.find((candidate) =>
    Object.entries(labels).every(([key, value]) => candidate.labels[key] === value),
  );
  return sample?.value;
}

describe("exposition", () => {
  const families: MetricFamily[] = [
    {
      name: "toro_core_halted_seconds_total",
      type: "counter",
      help: 'Guest time halted \\ with "quotes"\nand a newline.',
      unit: "seconds",
      samples: [{ labels: { app: 'a"b\\c\nd', core: "0" }, value: 1.5 }],
    },
    { name: "toro_vm_up", type: "gauge", help: "Up.", samples: [{ labels: {}, value: NaN }] },
  ];

  it("writes the Prometheus text format with HELP and TYPE lines and escaped label values", () => {
    expect(formatExposition(families, "prometheus")).toBe(
      [
        '# HELP toro_core_halted_seconds_total Guest time halted \\\\ with "quotes"\\nand a newline.',
        "# TYPE toro_core_halted_seconds_total counter",
        'toro_core_halted_seconds_total{app="a\\"b\\\\c\\nd",core="0"} 1.5',
        "# HELP toro_vm_up Up.",
        "# TYPE toro_vm_up gauge",
        "toro_vm_up NaN",
        "",
      ].join("\n"),
    );
  });

  it("writes OpenMetrics: counter families without _total, UNIT lines, samples with _total, # EOF last", () => {
    const text = formatExposition(families, "openmetrics");
    expect(text).toContain(
      "# TYPE toro_core_halted_seconds counter\n# UNIT toro_core_halted_seconds seconds\n",
    );
    expect(text).toContain('\ntoro_core_halted_seconds_total{app="a\\"b\\\\c\\nd",core="0"} 1.5\n');
    expect(text.endsWith("# EOF\n")).toBe(true);
  });

  it("negotiates OpenMetrics only when the scraper prefers it", () => {
    const prometheus =
      "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
    expect(negotiateFormat(prometheus)).toBe("openmetrics");
    expect(negotiateFormat(undefined)).toBe("prometheus");
    expect(negotiateFormat("text/plain")).toBe("prometheus");
    expect(negotiateFormat("text/plain;q=1, application/openmetrics-text;q=0.5")).toBe("prometheus");
    expect(negotiateFormat("application/openmetrics-text;q=0")).toBe("prometheus");
  });
});

describe("MonotonicCounters", () => {
  it("never goes down within an epoch and continues from the last value in a new one", () => {
    const counters = new MonotonicCounters(1000);
    expect(counters.value("a", "vm1", 10, 0)).toBe(10);
    expect(counters.value("a", "vm1", 9.5, 1)).toBe(10); // an estimate that moved back
    expect(counters.value("a", "vm1", 12, 2)).toBe(12);
    expect(counters.value("a", "vm2", 1, 3)).toBe(13); // the VM restarted: its raw value counts from 0
    expect(counters.value("a", "vm2", 5, 4)).toBe(17);
    expect(counters.value("a", "vm2", Number.NaN, 5)).toBe(17);
    expect(counters.value("b", "vm2", 3, 6)).toBe(3);
    counters.forgetStale(1004);
    expect(counters.size).toBe(2);
    counters.forgetStale(1005.5);
    expect(counters.size).toBe(1);
  });
});

describe("vmMetricFamilies", () => {
  it("labels every series, counts wake-ups by reason and turns cycles into seconds", () => {
    const block = new SyntheticBlock(2, HZ);
    block.setGlobal("hypervisor", 7); // TCG
    block
      .setCore(1, "halts", 40)
      .setCore(1, "cycles_halted", 3 * HZ)
      .setCore(1, "cycles_busy", HZ / 2);
    block.setCore(1, "wakes_timer", 30).setCore(1, "wakes_ipi", 7).setCore(1, "wakes_device", 2);
    block.setCore(1, "wakes_poll_recheck", 1);
    block.setGlobal("locks_registered", 1);
    block.setLock(0, "seq", 2).setLock(0, "name", "net").setLock(0, "contentions", 5);
    block.setLock(0, "cycles_spun", HZ / 4);
    const families = vmMetricFamilies([reading(decode(block))], new MonotonicCounters(), 0);
    const core1 = {
      app: "idle-demo",
      profile: "default",
      idle_policy: "tickless",
      hypervisor: "tcg",
      vm: "0",
      core: "1",
    };
    expect(sampleOf(families, "toro_core_halts_total", core1)).toBe(40);
    expect(sampleOf(families, "toro_core_halted_seconds_total", core1)).toBe(3);
    expect(sampleOf(families, "toro_core_busy_seconds_total", core1)).toBe(0.5);
    expect(sampleOf(families, "toro_core_wakeups_total", { ...core1, reason: "timer" })).toBe(30);
    expect(sampleOf(families, "toro_core_wakeups_total", { ...core1, reason: "ipi" })).toBe(7);
    expect(sampleOf(families, "toro_core_wakeups_total", { ...core1, reason: "device" })).toBe(2);
    expect(sampleOf(families, "toro_core_wakeups_total", { ...core1, reason: "poll_recheck" })).toBe(1);
    expect(sampleOf(families, "toro_core_state", { ...core1, state: "halted" })).toBe(1);
    expect(sampleOf(families, "toro_core_state", { ...core1, state: "running" })).toBe(0);
    expect(sampleOf(families, "toro_spinlock_contentions_total", { lock: "net" })).toBe(5);
    expect(sampleOf(families, "toro_spinlock_spin_seconds_total", { lock: "net" })).toBe(0.25);
    expect(sampleOf(families, "toro_qemu_cpu_seconds_total", { vm: "0" })).toBe(2.5);
    expect(sampleOf(families, "toro_vm_boot_seconds", { vm: "0" })).toBe((5000 - 1000) / HZ);
    expect(sampleOf(families, "toro_vm_up", { vm: "0" })).toBe(1);
    for (const family of families) expect(EXPORTED_METRIC_NAMES).toContain(family.name);
  });

  it("keeps a restarted VM's counters monotonic and numbers VMs that share app, profile and policy", () => {
    const counters = new MonotonicCounters();
    const first = new SyntheticBlock(1, HZ);
    first.setCore(0, "halts", 100);
    vmMetricFamilies([reading(decode(first), { pid: 1, qemuCpuSeconds: 9 })], counters, 0);
    const restarted = new SyntheticBlock(1, HZ);
    restarted.setCore(0, "halts", 3);
    const second = reading(decode(restarted), {
      pid: 2,
      qemuCpuSeconds: 0.5,
      startedAtMs: 1_800_000_000_000,
    });
    const older = reading(null, { pid: 3, startedAtMs: 1_600_000_000_000, qemuCpuSeconds: null });
    const families = vmMetricFamilies([second, older], counters, 1);
    // The older VM (no telemetry) is vm 0 now, so the restarted one is vm 1: a new series.
    expect(sampleOf(families, "toro_core_halts_total", { vm: "1" })).toBe(3);
    expect(sampleOf(families, "toro_vm_up", { vm: "0" })).toBe(0);
    const alone = vmMetricFamilies(
      [reading(decode(restarted), { pid: 2, qemuCpuSeconds: 0.7 })],
      counters,
      2,
    );
    expect(sampleOf(alone, "toro_core_halts_total", { vm: "0" })).toBe(103);
    expect(sampleOf(alone, "toro_qemu_cpu_seconds_total", { vm: "0" })).toBe(9.7);
  });
});

describe("findTelemetryHeader", () => {
  it("finds the page-aligned block of a supported version and ignores other bytes", () => {
    const block = new SyntheticBlock(1, HZ);
    const chunk = Buffer.alloc(0x4000);
    chunk.write("TOROTELM", 0x100); // not page-aligned: ignored
    block.buffer.copy(chunk, 0x2000, 0, 0x1000);
    expect(findTelemetryHeader(chunk, 0x100000)).toEqual({
      physicalAddress: 0x102000,
      size: block.buffer.length,
    });
    expect(findTelemetryHeader(Buffer.alloc(0x2000), 0)).toBeUndefined();
  });
});
