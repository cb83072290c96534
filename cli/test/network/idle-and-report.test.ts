// idle-and-report.test.ts - the pure parts of the network bench rows: the idle watch over scripted telemetry
// reads (quiet stretches, wake-ups seen through halt counts, a quiet spell before the load's end discarded)
// and the section's table, target and busy/tickless ratio. Pairs with src/engine/network/all-halted.ts and
// src/bench/network-report.ts.

import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { everyCoreHalted, IdleWatch, SnapshotReader, TelemetrySnapshot } from "@toro-studio/debug-adapter";
import { busyToTicklessRatios, formatNetworkSection } from "../../src/bench/network-report";
import { coreLoadCounters, NetworkLoadRow } from "../../src/bench/network-load";

/** A snapshot with only what the watch reads: per core online, state, halts; and the read time. */
function snapshot(hostTimeMs: number, cores: [string, number][]): TelemetrySnapshot {
  return {
    hostTimeMs,
    cores: cores.map(([state, halts], index) => ({ index, online: true, state, halts })),
  } as unknown as TelemetrySnapshot;
}

/** A reader replaying `states(ms)` where ms counts the 1 ms polls. */
function scriptedReader(states: (ms: number) => [string, number][]): SnapshotReader & { ms: number } {
  const reader = {
    ms: 0,
    read: () => snapshot(reader.ms, states(reader.ms)),
  };
  return reader;
}

describe("IdleWatch", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function advance(reader: { ms: number }, milliseconds: number): void {
    for (let step = 0; step < milliseconds; step++) {
      reader.ms++;
      vi.advanceTimersByTime(1);
    }
  }

  it("reports the start of the first stretch in which every core stayed halted for the quiet time", () => {
    // Core 1 runs until 10 ms; both halted from 10; core 0 wakes once at 30 (halts 5 -> 6); quiet after.
    const reader = scriptedReader((ms) => [
      ["halted", ms < 30 ? 5 : 6],
      [ms < 10 ? "running" : "halted", 7],
    ]);
    const watch = new IdleWatch(reader, 100);
    watch.start();
    advance(reader, 120);
    expect(watch.idleSinceMs).toBeNull(); // 30..120 is only 90 ms
    advance(reader, 20);
    expect(watch.idleSinceMs).toBe(30);
    expect(watch.wakeupsSinceIdle).toBe(0);
    watch.stop();
  });

  it("counts the wake-ups after idle, and forgets a quiet spell that began before the last response", () => {
    let halts = 1;
    const reader = scriptedReader((ms) => {
      if (ms === 300) halts++; // a late wake-up after idle
      return [["halted", halts]];
    });
    const watch = new IdleWatch(reader, 50);
    watch.start();
    advance(reader, 100);
    expect(watch.idleSinceMs).toBe(0);
    watch.ignoreBefore(60); // the load's last response came at 60: the spell before it was a pause
    expect(watch.idleSinceMs).toBeNull();
    advance(reader, 100);
    expect(watch.idleSinceMs).toBe(60); // still halted: idle from the last response on
    expect(watch.wakeupsSinceIdle).toBe(0);
    advance(reader, 200);
    expect(watch.idleSinceMs).toBe(60);
    expect(watch.wakeupsSinceIdle).toBe(1);
    watch.stop();
  });

  it("never reports idle while a core spins (idle=busy)", () => {
    const reader = scriptedReader(() => [
      ["idle-spin", 0],
      ["halted", 3],
    ]);
    const watch = new IdleWatch(reader, 10);
    watch.start();
    advance(reader, 100);
    expect(watch.idleSinceMs).toBeNull();
    expect(watch.wakeupsSinceIdle).toBeNull();
    watch.stop();
    expect(everyCoreHalted(snapshot(0, [["halted", 1]]))).toBe(true);
  });
});

describe("per-core counters under the load", () => {
  /** A snapshot with the fields coreLoadCounters reads: busy cycles, halts, wake reasons, frames in. */
  const read = (
    hostTimeMs: number,
    cores: { busy: number; halts: number; timer: number; frames: number }[],
  ) =>
    ({
      hostTimeMs,
      global: { tscHz: 1e9 },
      cores: cores.map((core, index) => ({
        index,
        online: true,
        state: "halted",
        stateSinceTsc: 0,
        cyclesHalted: 0,
        cyclesBusy: core.busy,
        cyclesIdleSpin: 0,
        cyclesLockSpin: 0,
        cyclesPolling: 0,
        cyclesInterrupt: 0,
        halts: core.halts,
        wakesByReason: { timer: core.timer, ipi: 0, device: 0, pollRecheck: 0 },
        network: { framesIn: core.frames },
      })),
    }) as unknown as TelemetrySnapshot;

  it("takes each core's differences, busy as a share of the window at the guest's TSC rate", () => {
    const before = read(1000, [
      { busy: 5e9, halts: 100, timer: 3, frames: 10 },
      { busy: 1e6, halts: 7, timer: 7, frames: 0 },
    ]);
    // 2 s later (2e9 cycles): core 0 busy 1.5e9 cycles more, core 1 untouched.
    const after = read(3000, [
      { busy: 6.5e9, halts: 900, timer: 5, frames: 5010 },
      { busy: 1e6, halts: 7, timer: 7, frames: 0 },
    ]);
    expect(coreLoadCounters(before, after)).toEqual([
      { busyPercent: 75, halts: 800, timerWakes: 2, ipiWakes: 0, framesIn: 5000 },
      { busyPercent: 0, halts: 0, timerWakes: 0, ipiWakes: 0, framesIn: 0 },
    ]);
  });
});

describe("network bench section", () => {
  const row = (
    cpus: number,
    policy: "tickless" | "busy",
    after: number,
    idle: number | null,
    mode: "keep-alive" | "new-connection" = "keep-alive",
    requestsPerSecond = 9000.4,
    round = 1,
  ): NetworkLoadRow => ({
    cpus,
    policy,
    mode,
    round,
    connections: mode === "keep-alive" ? 32 : 8,
    requestsPerSecond,
    p50Milliseconds: 1.234,
    p99Milliseconds: 17.71,
    failures: 0,
    connectRetries: mode === "keep-alive" ? 0 : 7,
    loadHostCpuPercent: 112.94,
    afterHostCpuPercent: after,
    timeToIdleMilliseconds: idle,
    timeToAllHaltedMilliseconds: idle === null ? null : idle + 500,
    wakeupsAfterIdle: idle === null ? null : 3,
    loadCores: Array.from({ length: cpus }, (_, index) => ({
      busyPercent: index === 0 ? 87.6 : 0,
      halts: index === 0 ? 1200 : 0,
      timerWakes: index === 0 ? 2 : 0,
      ipiWakes: 0,
      framesIn: index === 0 ? 50000 : 0,
    })),
  });

  it("divides busy by tickless host CPU after the load, with the resolution as a floor", () => {
    const rows = [
      row(1, "tickless", 0.4, 20),
      row(1, "busy", 96, null),
      row(4, "tickless", 0, 30),
      row(4, "busy", 70, null),
    ];
    expect(busyToTicklessRatios(rows, 0.2)).toEqual([
      { cpus: 1, ratio: 240, lowerBound: false },
      { cpus: 4, ratio: 350, lowerBound: true },
    ]);
    expect(
      busyToTicklessRatios(
        [
          row(1, "tickless", 1, 5),
          row(1, "busy", 50, null, "new-connection"),
          { cpus: 1, policy: "busy", mode: "keep-alive", round: 1, connections: 32, error: "no" },
        ],
        0.2,
      ),
    ).toEqual([{ cpus: 1, ratio: null, lowerBound: false }]);
  });

  it("prints one row per run with the time-to-idle target on tickless rows", () => {
    const lines = formatNetworkSection({
      seconds: 5,
      hostCpuResolutionPercent: 0.2,
      rows: [
        row(4, "tickless", 0.2, 20.54),
        row(4, "busy", 70, null),
        row(1, "tickless", 0.2, 150),
        row(4, "tickless", 0.3, 40, "new-connection", 3500),
        row(1, "tickless", 0.3, 10, "new-connection", 4000),
        // A second round, 4 vCPUs first: 1.10x keep-alive, 1.25x new-connection.
        row(4, "tickless", 0.2, 20, "keep-alive", 9900, 2),
        row(1, "tickless", 0.2, 20, "keep-alive", 9000, 2),
        row(4, "tickless", 0.2, 20, "new-connection", 5000, 2),
        row(1, "tickless", 0.2, 20, "new-connection", 4000, 2),
      ],
    });
    expect(lines[0]).toMatch(
      /^Network: samples\/http-server, 32 keep-alive connections or 8 loops of a new connection per request for 5 s/,
    );
    expect(lines[3]).toMatch(
      /^ {4}1 {6}4 {2}tickless +keep-alive +9000 +1\.23 ms +17\.7 ms +0 +0 +112\.9% +125 us +0\.2% .* 20\.5 ms +520\.5 ms .* 3 {2}idle < 100 ms \(met\)$/,
    );
    expect(lines[4]).toMatch(/busy .* 70\.0% .* never .* never .* -$/);
    expect(lines[5]).toMatch(/150\.0 ms .* idle < 100 ms \(MISSED\)$/);
    expect(lines[6]).toMatch(
      /new-connection .* 3500 .* 0 +7 .* idle < 100 ms \(met\), >= 3300 req\/s \(met\)$/,
    );
    expect(lines[7]).toMatch(/new-connection .* 4000 .* idle < 100 ms \(met\)$/);
    expect(lines[8]).toMatch(/^ {4}2 {6}4 {2}tickless +keep-alive +9900 /);
    expect(lines[12]).toBe(
      "Per core under the load (tickless rows; core: busy %, wake-ups of which timer/IPI, frames in):",
    );
    expect(lines[13]).toBe(
      "  round 1, 4 vCPUs keep-alive: 0: 88%, 1200 (2/0), 50000; 1: 0%, 0 (0/0), 0; 2: 0%, 0 (0/0), 0; 3: 0%, 0 (0/0), 0",
    );
    expect(lines[14]).toBe("  round 1, 1 vCPU keep-alive: 0: 88%, 1200 (2/0), 50000");
    // The median of each load's per-round ratios: (1.00, 1.10) and (0.875, 1.25).
    expect(lines[21]).toBe(
      "Requests/s, 4 vCPUs / 1 vCPU (tickless, median of the rounds' ratios, target >= 1): " +
        "keep-alive 1.05x (met; rounds 1.00x 1.10x), new-connection 1.06x (met; rounds 0.88x 1.25x)",
    );
    // The same host CPU in every row: per request the inverse of the requests/s ratios.
    expect(lines[22]).toBe(
      "QEMU's host CPU per request, 4 vCPUs / 1 vCPU (tickless, median of the rounds' ratios; 1 = the same " +
        "cost): keep-alive 0.95x (rounds 1.00x 0.91x), new-connection 0.97x (rounds 1.14x 0.80x)",
    );
    expect(lines[23]).toBe("Host CPU after the keep-alive load, busy / tickless: 4 vCPUs 350x, 1 vCPU -");
  });
});
