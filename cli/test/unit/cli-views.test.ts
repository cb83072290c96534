// cli-views.test.ts - the CLI's pure views: the monitor table, the --json run summary, the benchmark table
// with its targets, the benchmark statistics and the wake-up latency line parser.

import { describe, expect, it } from "vitest";
import { formatBenchReport, idleCostTarget } from "../../src/bench/bench-report";
import { median, percentile } from "../../src/bench/statistics";
import { parseWakeupLine } from "../../src/bench/wakeup-latency";
import { renderMonitor } from "../../src/monitor-view";
import { runSummary } from "../../src/run-summary";
import { exitCodeFor } from "../../src/run-command";
import { coreActivity, decodeTelemetry, isUnreadable, TelemetrySample } from "@toro-studio/debug-adapter";
import { SyntheticBlock } from "@toro-studio/debug-adapter/test-support";

function sampleAt(block: SyntheticBlock, hostTimeMs: number, guestNowTsc: number): TelemetrySample {
  const snapshot = decodeTelemetry(block.reader(), { now: () => hostTimeMs });
  if (isUnreadable(snapshot)) throw new Error(snapshot.unreadable);
  return { snapshot, guestNowTsc };
}

function twoSamples() {
  const block = new SyntheticBlock(2, 1_000_000_000);
  block.setGlobal("locks_registered", 1).setLock(0, "name", "shared").setLock(0, "seq", 2);
  block.setGlobal("thread_slots_used", 1).setThread(0, "id", 3).setThread(0, "name", "spinner");
  block.setThread(0, "state", 2).setThread(0, "core", 1);
  block.setCore(0, "state", 3).setCore(0, "state_since_tsc", 1e9).setCore(0, "halts", 10);
  block.setCore(1, "state", 4).setCore(1, "state_since_tsc", 1e9).setCore(1, "spinning_lock", 0);
  block.setCore(1, "current_thread", 3);
  const first = sampleAt(block, 1000, 1e9);
  block.setCore(0, "halts", 30);
  const second = sampleAt(block, 2000, 2e9);
  return { first, second };
}

describe("renderMonitor", () => {
  it("shows one row per core with state, thread, halts, halts/s, idle % and the lock spun on", () => {
    const { first, second } = twoSamples();
    const lines = renderMonitor({
      title: "toro run test",
      activity: coreActivity(second, first),
      snapshot: second.snapshot,
      unreadable: null,
      hostCpuPercent: 1.25,
      serialTail: ["[cpu0] hello"],
    });
    expect(lines[1]).toMatch(
      /^QEMU host CPU: 1\.3% of one host core {3}cores halted: 1\/2 {3}idle=tickless {3}threads: 1$/,
    );
    expect(lines[2]).toBe("hypervisor: none   APIC: xAPIC");
    expect(lines).toContain("core  state      thread      halts  halts/s  idle %  spin");
    expect(lines).toContain("   0  HALTED     -              30       20  100.0%  0.0%");
    expect(lines).toContain("   1  LOCK_SPIN  spinner #3      0        0    0.0%  100.0% shared");
    expect(lines.slice(-2)).toEqual(["serial:", "  [cpu0] hello"]);
  });

  it("groups 64 cores into 4 rows of 16 with one state letter per core", () => {
    const block = new SyntheticBlock(64, 1_000_000_000);
    block.setGlobal("hypervisor", 7).setGlobal("hypervisor_max_leaf", 0x40000001);
    block.buffer.write("TCGTCGTCGTCG", 72 + 464, "latin1");
    for (let index = 0; index < 64; index++)
      block.setCore(index, "state_since_tsc", 1e9).setCore(index, "halts", 10);
    block.setCore(17, "state", 1).setCore(40, "state", 4);
    const first = sampleAt(block, 1000, 1e9);
    for (let index = 0; index < 64; index++) block.setCore(index, "halts", 20);
    const second = sampleAt(block, 2000, 2e9);
    const lines = renderMonitor({
      title: "t",
      activity: coreActivity(second, first),
      snapshot: second.snapshot,
      unreadable: null,
      hostCpuPercent: 0.2,
      serialTail: [],
    });
    expect(lines[1]).toContain("cores halted: 62/64");
    expect(lines[2]).toBe('hypervisor: TCG ("TCGTCGTCGTCG")   APIC: xAPIC');
    expect(lines).toContain("cores  states            halts  halts/s  idle %  spin");
    expect(lines).toContain("0-15   HHHHHHHHHHHHHHHH    320      160  100.0%  0.0%");
    expect(lines).toContain("16-31  HRHHHHHHHHHHHHHH    320      160   93.8%  0.0%");
    expect(lines).toContain("32-47  HHHHHHHHLHHHHHHH    320      160   93.8%  6.3%");
    expect(lines.filter((line) => /^\d+-\d+ /.test(line))).toHaveLength(4);
    expect(lines).toContain(
      "states: H halted  R running  S idle spin  L lock spin  P polling  I interrupt  . offline",
    );
  });

  it("explains when telemetry is not readable yet", () => {
    const lines = renderMonitor({
      title: "t",
      activity: null,
      snapshot: null,
      unreadable: "the block is all zero",
      hostCpuPercent: null,
      serialTail: [],
    });
    expect(lines).toContain("telemetry: the block is all zero");
    expect(lines[1]).toMatch(/^QEMU host CPU: - {3}cores halted: -$/);
  });
});

describe("runSummary and exit codes", () => {
  it("reports per-core counters and shares over the run", () => {
    const { first, second } = twoSamples();
    const summary = runSummary({
      app: "/repo/samples/x",
      profile: "default",
      settings: {
        cpus: 2,
        memoryMiB: 128,
        accel: "tcg",
        idlePolicy: "tickless",
        kernelCommandLine: "idle=tickless",
      },
      end: "duration",
      exit: null,
      durationSeconds: 3.14159,
      bootMilliseconds: 101.26,
      qemuHostCpuPercent: 0.456,
      first,
      last: second,
      telemetryProblem: null,
    });
    expect(summary).toMatchObject({
      end: "duration",
      durationSeconds: 3.142,
      bootMilliseconds: 101.3,
      qemuHostCpuPercent: 0.46,
      measuredSeconds: 1,
      telemetry: "ok",
      guestExitCode: null,
      locks: [{ name: "shared", ownerCore: null }],
    });
    expect(summary.cores[0]).toMatchObject({
      index: 0,
      state: "halted",
      halts: 30,
      haltsPerSecond: 20,
      idleShare: 1,
    });
    expect(summary.cores[1]).toMatchObject({ state: "lock-spin", thread: "spinner", lockSpinShare: 1 });
    expect(summary.hypervisor).toEqual({
      kind: "none",
      signature: "",
      maxLeaf: 0,
      tscKhz: null,
      lapicKhz: null,
    });
    expect(summary.apicMode).toBe("xAPIC");
  });

  it("maps how a run ended to the CLI's exit code", () => {
    expect(exitCodeFor("duration", null)).toBe(0);
    expect(exitCodeFor("interrupted", null)).toBe(0);
    expect(exitCodeFor("guest-exit", 0)).toBe(0);
    expect(exitCodeFor("guest-exit", 1)).toBe(1);
    expect(exitCodeFor("panic", null)).toBe(1);
    expect(exitCodeFor("triple-fault", null)).toBe(1);
    expect(exitCodeFor("qemu-exited", null)).toBe(1);
  });
});

describe("benchmark report", () => {
  it("computes statistics", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 99)).toBe(10);
  });

  it("parses the wakeup-latency sample's result line", () => {
    expect(parseWakeupLine("wakeup-latency idle=halt p50_us=22.7 p99_us=95.5 samples=400")).toEqual({
      policy: "halt",
      p50Microseconds: 22.7,
      p99Microseconds: 95.5,
      samples: 400,
    });
    expect(parseWakeupLine("wakeup-latency: ping core 1 <-> pong core 2")).toBeNull();
  });

  it("prints ratios to busy and the targets with their verdicts", () => {
    const lines = formatBenchReport({
      profile: "default",
      cpus: 4,
      accel: "tcg",
      hostCores: 2,
      seconds: 5,
      hostCpuResolutionPercent: 0.2,
      idleCost: [
        { policy: "busy", hostCpuPercent: 200, guestHaltedShare: 0, haltsPerSecondPerCore: 0 },
        { policy: "pause", hostCpuPercent: 190, guestHaltedShare: 0, haltsPerSecondPerCore: 0 },
        { policy: "halt", hostCpuPercent: 4, guestHaltedShare: 0.99, haltsPerSecondPerCore: 100 },
        { policy: "tickless", hostCpuPercent: 0.5, guestHaltedShare: 1, haltsPerSecondPerCore: 0 },
      ],
      wakeup: [
        { policy: "halt", p50Microseconds: 20, p99Microseconds: 90, samples: 400 },
        { policy: "busy", error: "no serial line" },
      ],
      boot: [
        {
          profile: "default",
          boot: "multiboot",
          accel: "tcg",
          qemuToReadyMs: [120, 100, 180],
          entryToReadyUs: [11000, 10500, 14000],
        },
        {
          profile: "kvm",
          boot: "multiboot",
          accel: "kvm",
          qemuToReadyMs: [],
          entryToReadyUs: [],
          skipped: 'KVM was asked for (accel "kvm") but /dev/kvm does not exist',
        },
        {
          profile: "pvh",
          boot: "pvh",
          accel: "kvm",
          qemuToReadyMs: [90],
          entryToReadyUs: [61000],
        },
      ],
    });
    const text = lines.join("\n");
    expect(text).toMatch(/busy +200\.00% +1\.0000x +0\.0% +0\n/);
    expect(text).toMatch(/halt +4\.00% +0\.0200x +99\.0% +100 +<= 3% \(MISSED\)/);
    expect(text).toMatch(/tickless +0\.50% +0\.0025x +100\.0% +0 +<= 1% \(met\)/);
    expect(text).toMatch(/halt +20\.0 +90\.0 +400/);
    expect(text).toMatch(/busy +- +- +failed: no serial line/);
    expect(text).toMatch(/3 boots per profile/);
    expect(text).toMatch(
      /default +multiboot +tcg +120\.0 ms \(100\.0 ms-180\.0 ms\) +11\.0 ms \(10\.5 ms-14\.0 ms\) +QEMU start to ready < 150 ms \(met\)/,
    );
    expect(text).toMatch(/kvm +multiboot +kvm +- +- +skipped: KVM was asked for/);
    expect(text).toMatch(
      /pvh +pvh +kvm +90\.0 ms \(90\.0 ms-90\.0 ms\) +61\.0 ms .* +entry to ready < 50 ms \(MISSED\)/,
    );
    expect(
      idleCostTarget({
        policy: "pause",
        hostCpuPercent: 1,
        guestHaltedShare: null,
        haltsPerSecondPerCore: null,
      }).met,
    ).toBeNull();
  });
});
