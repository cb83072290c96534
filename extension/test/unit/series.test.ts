// series.test.ts - the monitor's data model (src/monitor/common/series.ts): points from bodies, cumulative
// stacks, window trimming, halts and host CPU columns.
import { describe, expect, it } from "vitest";
import {
  coreCountOf,
  downsample,
  haltRateColumns,
  hostCpuColumns,
  MONITOR_MAX_CORE_SERIES,
  monitorPoint,
  seriesLabel,
  stackedColumns,
  trimToWindow,
  type MonitorPoint,
} from "../../src/monitor/common/series";
import { body, core, unreadableBody } from "./telemetry-fixtures";

describe("monitorPoint", () => {
  it("turns a body into seconds, per-core shares (interrupt counted as busy) and host CPU", () => {
    const point = monitorPoint(
      body({
        cores: [
          core(0, "running", {
            shares: { idle: 0, busy: 0.7, halted: 0, idleSpin: 0, lockSpin: 0, polling: 0, interrupt: 0.3 },
          }),
        ],
      }),
    )!;
    expect(point.timeSeconds).toBe(1_700_000_000);
    expect(point.cores[0]).toEqual({
      busy: 1,
      lockSpin: 0,
      idleSpin: 0,
      polling: 0,
      halted: 0,
      haltsPerSecond: 0,
    });
    expect(point.hostCpuPercent).toBe(0.94);
  });

  it("gives no point for an unreadable body", () => {
    expect(monitorPoint(unreadableBody(1))).toBeNull();
  });
});

describe("monitorPoint with many cores", () => {
  const cores64 = () =>
    Array.from({ length: 64 }, (_, index) => core(index, index % 4 === 0 ? "running" : "halted"));

  it("keeps 16 cores as 16 series and merges 64 into 16 groups of 4", () => {
    const sixteen = monitorPoint(body({ cores: cores64().slice(0, 16) }))!;
    expect(sixteen.cores).toHaveLength(16);
    expect(sixteen.coresPerSeries).toBeUndefined();
    expect(seriesLabel(sixteen, 15)).toBe("CPU 15");

    const point = monitorPoint(body({ cores: cores64() }))!;
    expect(point.cores).toHaveLength(MONITOR_MAX_CORE_SERIES);
    expect(point).toMatchObject({ coresPerSeries: 4, coreCount: 64 });
    // Each group: one running core (busy 1) and three halted ones (busy 0.01, halted 0.99, 19.8 halts/s).
    expect(point.cores[5].busy).toBeCloseTo((1 + 3 * 0.01) / 4);
    expect(point.cores[5].halted).toBeCloseTo((3 * 0.99) / 4);
    expect(point.cores[5].haltsPerSecond).toBeCloseTo(3 * 19.8);
    expect(coreCountOf([point])).toBe(16);
    expect([0, 15].map((series) => seriesLabel(point, series))).toEqual(["CPUs 0-3", "CPUs 60-63"]);
  });

  it("labels a smaller last group by the real core count and keeps grouping through downsampling", () => {
    const point = monitorPoint(body({ cores: cores64().slice(0, 40) }))!; // 40 cores: groups of 3, last of 1
    expect(point.cores).toHaveLength(14);
    expect(seriesLabel(point, 13)).toBe("CPUs 39-39");
    const reduced = downsample([point, { ...point, sequence: 8 }, { ...point, sequence: 9 }], 1);
    expect(reduced[0]).toMatchObject({ coresPerSeries: 3, coreCount: 40 });
    expect(seriesLabel(reduced[0], 1)).toBe("CPUs 3-5");
  });
});

describe("stackedColumns", () => {
  it("stacks busy, lock spin, idle spin, polling and halted into cumulative percents", () => {
    const points = [monitorPoint(body())!];
    const [times, busy, lockSpin, idleSpin, polling, halted] = stackedColumns(points, 3);
    expect(times).toEqual([1_700_000_000]);
    expect(busy[0]).toBeCloseTo(40);
    expect(lockSpin[0]).toBeCloseTo(100);
    expect([idleSpin[0], polling[0], halted[0]]).toEqual([100, 100, 100]);
    const haltedCore = stackedColumns(points, 1);
    expect(haltedCore[1][0]).toBeCloseTo(1);
    expect(haltedCore[5][0]).toBeCloseTo(100);
  });

  it("leaves gaps (null) where a core had no shares or did not exist", () => {
    const points = [monitorPoint(body({ cores: [core(0, "running", { shares: null })] }))!];
    expect(
      stackedColumns(points, 0)
        .slice(1)
        .map((column) => column[0]),
    ).toEqual([null, null, null, null, null]);
    expect(stackedColumns(points, 5)[1]).toEqual([null]);
  });
});

describe("window and columns", () => {
  const points: MonitorPoint[] = [0, 30, 61, 90].map((second, index) => ({
    sequence: index,
    timeSeconds: second,
    target: "running",
    cores: [
      { busy: 0, lockSpin: 0, idleSpin: 0, polling: 0, halted: 1, haltsPerSecond: index },
      { busy: 1, lockSpin: 0, idleSpin: 0, polling: 0, halted: 0, haltsPerSecond: null },
    ],
    hostCpuPercent: second / 10,
  }));

  it("keeps the points within the window before the newest", () => {
    expect(trimToWindow(points, 60).map((point) => point.timeSeconds)).toEqual([30, 61, 90]);
    expect(trimToWindow([], 60)).toEqual([]);
  });

  it("gives halts per second per core and host CPU as columns", () => {
    expect(coreCountOf(points)).toBe(2);
    expect(haltRateColumns(points, 2)).toEqual([
      [0, 30, 61, 90],
      [0, 1, 2, 3],
      [null, null, null, null],
    ]);
    expect(hostCpuColumns(points)[1]).toEqual([0, 3, 6.1, 9]);
  });
});

describe("downsample", () => {
  const point = (index: number, halted: number | null, hostCpuPercent: number | null): MonitorPoint => ({
    sequence: index,
    timeSeconds: index / 50,
    target: "running",
    cores: [
      {
        busy: halted === null ? null : 1 - halted,
        lockSpin: 0,
        idleSpin: 0,
        polling: 0,
        halted,
        haltsPerSecond: index,
      },
    ],
    hostCpuPercent,
  });

  it("leaves short series alone", () => {
    const points = [point(0, 1, 1), point(1, 0, 2)];
    expect(downsample(points, 10)).toEqual(points);
  });

  it("averages equal buckets, ignoring nulls, and keeps each bucket's last time and sequence", () => {
    const points = Array.from({ length: 3000 }, (_, index) =>
      point(index, index % 2 === 0 ? 1 : 0, index % 3 === 0 ? null : 10),
    );
    const reduced = downsample(points, 400);
    expect(reduced.length).toBeLessThanOrEqual(400);
    expect(reduced.length).toBeGreaterThan(390);
    expect(reduced[reduced.length - 1].sequence).toBe(2999);
    expect(reduced[reduced.length - 1].timeSeconds).toBeCloseTo(2999 / 50);
    for (const merged of reduced) {
      expect(merged.cores[0].halted! + merged.cores[0].busy!).toBeCloseTo(1);
      expect(merged.hostCpuPercent).toBe(10);
    }
    const sequences = reduced.map((merged) => merged.sequence);
    expect(sequences).toEqual([...sequences].sort((left, right) => left - right));
  });
});
