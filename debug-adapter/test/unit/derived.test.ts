// derived.test.ts - the guest clock estimate and the per-core values the views show: open-interval
// accounting for a long-halted core, idle share and halts per second between two samples.

import { describe, expect, it } from "vitest";
import { decodeTelemetry } from "../../src/engine/telemetry/decoder";
import { coreActivity, coreCycles } from "../../src/engine/telemetry/derived";
import { GuestClock } from "../../src/engine/telemetry/guest-clock";
import { isUnreadable, TelemetrySnapshot } from "../../src/engine/telemetry/snapshot";
import { SyntheticBlock } from "../helpers/synthetic-block";

const HZ = 1_000_000_000; // 1 GHz: one cycle per nanosecond, 1e6 per millisecond

function decode(block: SyntheticBlock, hostTimeMs: number): TelemetrySnapshot {
  const result = decodeTelemetry(block.reader(), { now: () => hostTimeMs });
  if (isUnreadable(result)) throw new Error(result.unreadable);
  return result;
}

describe("GuestClock", () => {
  it("extrapolates from the newest TSC at tsc_hz and never goes below what the guest wrote", () => {
    const block = new SyntheticBlock(2, HZ);
    block.setCore(0, "updated_tsc", 10_000_000_000).setCore(1, "state_since_tsc", 9_000_000_000);
    const clock = new GuestClock();
    expect(clock.estimate(0)).toBeNull();
    clock.observe(decode(block, 1000));
    expect(clock.estimate(1000)).toBe(10_000_000_000);
    expect(clock.estimate(1500)).toBe(10_500_000_000);
    // A later snapshot with an older-looking value does not move the estimate back.
    clock.observe(decode(block, 2000));
    expect(clock.estimate(2000)).toBe(11_000_000_000);
    // A newer TSC than the estimate re-anchors.
    block.setCore(0, "updated_tsc", 12_000_000_000);
    clock.observe(decode(block, 2000));
    expect(clock.estimate(2100)).toBe(12_100_000_000);
  });

  it("takes an explicit anchor (ready_tsc at the ready line) when it is ahead", () => {
    const clock = new GuestClock();
    const block = new SyntheticBlock(1, HZ);
    block.setCore(0, "updated_tsc", 1_000_000);
    clock.observe(decode(block, 5000));
    clock.anchor(3_000_000_000, 5000);
    expect(clock.estimate(5001)).toBe(3_001_000_000);
  });
});

describe("coreCycles and coreActivity", () => {
  it("adds the open interval of the current state", () => {
    const block = new SyntheticBlock(1, HZ);
    block.setCore(0, "state", 3).setCore(0, "state_since_tsc", 1_000).setCore(0, "cycles_busy", 500);
    const core = decode(block, 0).cores[0];
    expect(coreCycles(core, 10_001_000)).toMatchObject({ halted: 10_000_000, busy: 500, total: 10_000_500 });
    expect(coreCycles(core, null)).toMatchObject({ halted: 0, total: 500 });
  });

  it("shows a core halted for a long time as ~100% idle, with halts per second from two samples", () => {
    const block = new SyntheticBlock(2, HZ);
    // Core 0: halted since TSC 1e9 (no writes since). Core 1: running, wrote recently.
    block.setCore(0, "state", 3).setCore(0, "state_since_tsc", 1e9).setCore(0, "updated_tsc", 1e9);
    block.setCore(0, "halts", 10).setCore(0, "cycles_busy", 1e9);
    block.setCore(1, "state", 1).setCore(1, "state_since_tsc", 1e9).setCore(1, "current_thread", 4);
    block.setGlobal("thread_slots_used", 1);
    block
      .setThread(0, "id", 4)
      .setThread(0, "name", "worker")
      .setThread(0, "state", 2)
      .setThread(0, "core", 1);
    const first = { snapshot: decode(block, 1000), guestNowTsc: 2e9 };
    block.setCore(0, "halts", 10);
    const second = { snapshot: decode(block, 3000), guestNowTsc: 4e9 };

    const sinceBoot = coreActivity(first);
    expect(sinceBoot[0].haltsPerSecond).toBeNull();
    expect(sinceBoot[0].shares?.idle).toBeCloseTo(0.5); // 1e9 busy + 1e9 open halted
    expect(sinceBoot[1]).toMatchObject({ threadName: "worker", threadId: 4, state: "running" });

    const interval = coreActivity(second, first);
    expect(interval[0].shares?.idle).toBeCloseTo(1); // the whole interval halted, no write from the core
    expect(interval[0].shares?.halted).toBeCloseTo(1);
    expect(interval[0].haltsPerSecond).toBe(0);
    expect(interval[1].shares?.busy).toBeCloseTo(1);

    block.setCore(0, "halts", 50).setCore(0, "state", 1).setCore(0, "state_since_tsc", 4.5e9);
    block.setCore(0, "cycles_halted", 3.5e9); // closed: 1e9 .. 4.5e9
    const third = { snapshot: decode(block, 4000), guestNowTsc: 5e9 };
    const later = coreActivity(third, second);
    expect(later[0].haltsPerSecond).toBeCloseTo(40);
    expect(later[0].shares?.halted).toBeCloseTo(0.5);
    expect(later[0].shares?.busy).toBeCloseTo(0.5);
  });

  it("names the lock a core spins on and converts wake-up latency to microseconds", () => {
    const block = new SyntheticBlock(1, 2_000_000_000);
    block.setGlobal("locks_registered", 2).setLock(1, "name", "scheduler").setLock(1, "seq", 2);
    block.setCore(0, "state", 4).setCore(0, "spinning_lock", 1).setCore(0, "wakeups", 2);
    block.setCore(0, "last_wakeup_latency_cycles", 4000).setCore(0, "worst_wakeup_latency_cycles", 10000);
    const [core] = coreActivity({ snapshot: decode(block, 0), guestNowTsc: null });
    expect(core.spinningLockName).toBe("scheduler");
    expect(core.lastWakeupLatencyMicroseconds).toBeCloseTo(2);
    expect(core.worstWakeupLatencyMicroseconds).toBeCloseTo(5);
    expect(core.shares).toBeNull(); // no cycles accounted yet
  });
});
