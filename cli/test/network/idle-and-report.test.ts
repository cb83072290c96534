// idle-and-report.test.ts - the pure parts of the network bench rows: the idle watch over scripted telemetry
// reads (quiet stretches, wake-ups seen through halt counts, a quiet spell before the load's end discarded)
// and the section's table, target and busy/tickless ratio. Pairs with src/engine/network/all-halted.ts and
// src/bench/network-report.ts.

import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { everyCoreHalted, IdleWatch, SnapshotReader, TelemetrySnapshot } from "@toro-studio/debug-adapter";
import { busyToTicklessRatios, formatNetworkSection } from "../../src/bench/network-report";
import { NetworkLoadRow } from "../../src/bench/network-load";

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

describe("network bench section", () => {
  const row = (
    cpus: number,
    policy: "tickless" | "busy",
    after: number,
    idle: number | null,
    mode: "keep-alive" | "new-connection" = "keep-alive",
    requestsPerSecond = 9000.4,
  ): NetworkLoadRow => ({
    cpus,
    policy,
    mode,
    connections: mode === "keep-alive" ? 32 : 8,
    requestsPerSecond,
    p50Milliseconds: 1.234,
    p99Milliseconds: 17.71,
    failures: 0,
    loadHostCpuPercent: 112.94,
    afterHostCpuPercent: after,
    timeToIdleMilliseconds: idle,
    timeToAllHaltedMilliseconds: idle === null ? null : idle + 500,
    wakeupsAfterIdle: idle === null ? null : 3,
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
          { cpus: 1, policy: "busy", mode: "keep-alive", connections: 32, error: "no" },
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
      ],
    });
    expect(lines[0]).toMatch(
      /^Network: samples\/http-server, 32 keep-alive connections or 8 loops of a new connection per request for 5 s/,
    );
    expect(lines[3]).toMatch(
      /^ {4}4 {2}tickless +keep-alive +9000 +1\.23 ms +17\.7 ms .* 112\.9% .* 0\.2% .* 20\.5 ms +520\.5 ms .* 3 {2}idle < 100 ms \(met\)$/,
    );
    expect(lines[4]).toMatch(/busy .* 70\.0% .* never .* never .* -$/);
    expect(lines[5]).toMatch(/150\.0 ms .* idle < 100 ms \(MISSED\)$/);
    expect(lines[6]).toMatch(/new-connection .* 3500 .* idle < 100 ms \(met\), >= 3300 req\/s \(met\)$/);
    expect(lines[7]).toMatch(/new-connection .* 4000 .* idle < 100 ms \(met\)$/);
    expect(lines[8]).toBe(
      "Requests/s, 4 vCPUs / 1 vCPU (tickless, target >= 1): keep-alive 1.00x (met), new-connection 0.88x (MISSED)",
    );
    expect(lines[9]).toBe("Host CPU after the keep-alive load, busy / tickless: 4 vCPUs 350x, 1 vCPU -");
  });
});
