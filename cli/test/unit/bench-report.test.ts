// bench-report.test.ts - the benchmark rows added for the adapter and telemetry: the F5 ratio and its
// verdict, "adapter not built" / "adapter failed" in place of numbers, the step median and p95, the
// telemetry rates and throughput ratios with VM stops, only the sections that ran; plus the compute
// sample's result line and the tag-comment lookup the breakpoint comes from.

import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatBenchReport } from "../../src/bench/bench-report";
import { F5Results, StepResults } from "../../src/bench/f5-latency";
import { summarize, ThroughputResults, ThroughputSlice } from "../../src/bench/guest-throughput";
import { findTaggedLine } from "../../src/bench/source-tag";
import { TelemetryRateResults } from "../../src/bench/telemetry-rate";
import { makeScratch, removeScratch, samplesDirectory } from "@toro-studio/debug-adapter/test-support";

const base = {
  profile: "default",
  cpus: 4,
  accel: "tcg",
  hostCores: 2,
  seconds: 5,
  hostCpuResolutionPercent: 0.2,
};

const f5: F5Results = {
  breakpoint: "/repo/samples/compute/main.c:61",
  floorMode: "parallel",
  floorMs: [200, 180, 220],
  adapterMs: [250, 230, 300],
  adapter: { state: "measured" },
  floorMedianMs: 200,
  adapterMedianMs: 250,
  ratio: 1.25,
  warmBuildMs: 12.5,
};

const steps: StepResults = {
  adapter: { state: "measured" },
  roundTripsMs: [40, 50, 45, 120],
  medianMs: 47.5,
  p95Ms: 120,
};

const rate: TelemetryRateResults = {
  cores: 4,
  ramFileMaximum: { hz: 40000, snapshots: 80000, torn: 2, unreadable: 0 },
  poller: { askedHz: 50, hz: 49.9, snapshots: 100, torn: 0, unreadable: 0, skippedTicks: 0 },
  qmpMaximum: { hz: 170, snapshots: 340, torn: 0, unreadable: 0, method: "pmemsave" },
  exporterMaximum: { hz: 900, snapshots: 1800, torn: 0, unreadable: 0, vms: 1 },
};

const throughput: ThroughputResults = {
  sliceMilliseconds: 400,
  rounds: 10,
  pollHz: 50,
  slices: [],
  vmStops: 1,
  statusSamples: 120,
  summary: [
    { mode: "off", medianIterationsPerSecond: 1000000, ratioToOff: 1, vmStops: 0 },
    { mode: "ram-file", medianIterationsPerSecond: 995000, ratioToOff: 0.995, vmStops: 0 },
    { mode: "qmp", medianIterationsPerSecond: 950000, ratioToOff: 0.95, vmStops: 1 },
    { mode: "control", medianIterationsPerSecond: 990000, ratioToOff: 0.998, vmStops: 0 },
  ],
};

describe("adapter rows", () => {
  it("print both sides, the ratio and the verdicts", () => {
    const text = formatBenchReport({ ...base, f5, steps }).join("\n");
    expect(text).toMatch(/floor \(QEMU -S \+ gdb -batch, parallel\) +200\.0 ms +200 \/ 180 \/ 220/);
    expect(text).toMatch(/adapter \(DAP launch\) +250\.0 ms +250 \/ 230 \/ 300/);
    expect(text).toMatch(
      /ratio adapter \/ floor: 1\.25x {3}target <= 1\.3x \(met\) {3}\(a warm make takes 12\.5 ms; the adapter skips it when its build stamp shows nothing changed\)/,
    );
    expect(text).toMatch(/Step round trip: DAP next -> stopped, 4 steps in main/);
    expect(text).toMatch(/47\.5 ms +120\.0 ms +120\.0 ms +median < 100 ms \(met\)/);
    expect(text).not.toMatch(/Idle cost|Telemetry/);
    const slow = formatBenchReport({
      ...base,
      f5: { ...f5, ratio: 1.5 },
      steps: { ...steps, medianMs: 150 },
    });
    expect(slow.join("\n")).toMatch(/1\.50x {3}target <= 1\.3x \(MISSED\)/);
    expect(slow.join("\n")).toMatch(/median < 100 ms \(MISSED\)/);
  });

  it("say why when the adapter could not be measured", () => {
    const notBuilt = formatBenchReport({
      ...base,
      f5: { ...f5, adapter: { state: "not-built" }, adapterMs: [], adapterMedianMs: null, ratio: null },
      steps: { adapter: { state: "not-built" }, roundTripsMs: [], medianMs: null, p95Ms: null },
    }).join("\n");
    expect(notBuilt).toMatch(
      /adapter \(DAP launch\) +adapter not built \(no debug-adapter\/dist\/adapter\.js\)/,
    );
    expect(notBuilt).toMatch(/ratio adapter \/ floor: - {3}target <= 1\.3x \(-\)/);
    expect(notBuilt).toMatch(/adapter not built .* +- +- +median < 100 ms \(-\)/);
    const failed = formatBenchReport({
      ...base,
      f5: { ...f5, adapter: { state: "failed", error: "launch failed: QEMU was not found" }, ratio: null },
    }).join("\n");
    expect(failed).toMatch(/adapter failed: launch failed: QEMU was not found/);
  });
});

describe("telemetry rows", () => {
  it("print the rates and the throughput ratios with VM stops and verdicts", () => {
    const text = formatBenchReport({ ...base, telemetryRate: rate, throughput }).join("\n");
    expect(text).toMatch(/RAM file, back to back \(max\) +40000 Hz +80000 +2 +0 +>= 50 Hz \(met\)/);
    expect(text).toMatch(/poller asked for 50 Hz \(RAM file\) +49\.9 Hz +100 +0 +0 +>= 50 Hz \(met\)/);
    expect(text).toMatch(/QMP pmemsave, back to back \(max\) +170 Hz/);
    expect(text).toMatch(/toro exporter scrape, 1 VM\(s\) \(max\) +900 Hz +1800 +- +0 +>= 10 Hz \(met\)/);
    expect(text).toMatch(/one boot, 10 rounds of 400 ms slices/);
    expect(text).toMatch(/off +1000000 +1\.0000x +0 +stops 0 \(met\)/);
    expect(text).toMatch(/control +990000 +0\.9980x +0 +stops 0 \(met\)/);
    expect(text).toMatch(/VM stops over the whole run: 1 \(QMP STOP events \+ 120 query-status samples\)/);
    expect(text).toMatch(/ram-file at 50 Hz +995000 +0\.9950x +0 +>= 0\.99x \(met\), stops 0 \(met\)/);
    expect(text).toMatch(/qmp at 50 Hz +950000 +0\.9500x +1 +>= 0\.99x \(MISSED\), stops 0 \(MISSED\)/);
    const slowPoller = formatBenchReport({
      ...base,
      telemetryRate: { ...rate, poller: { ...rate.poller, hz: 30 } },
    });
    expect(slowPoller.join("\n")).toMatch(/30\.0 Hz +100 +0 +0 +>= 50 Hz \(MISSED\)/);
  });
});

describe("throughput summary", () => {
  const slice = (mode: ThroughputSlice["mode"], iterationsPerSecond: number): ThroughputSlice => ({
    mode,
    iterationsPerSecond,
    durationMs: 400,
    polls: mode === "off" ? 0 : 20,
  });

  it("compares each polled slice with the mean of the off slices around it, then takes the median", () => {
    // The host load drifts (off: 100 -> 200 -> 300 -> 400): the neighbours' mean follows it.
    const slices = [
      slice("off", 100),
      slice("ram-file", 150),
      slice("off", 200),
      slice("qmp", 225),
      slice("off", 250),
      slice("control", 300),
      slice("off", 350),
      slice("qmp", 300),
      slice("off", 400),
    ];
    const result = summarize(slices, 2, 400, { off: 0, "ram-file": 0, qmp: 2, control: 0 }, 50);
    const byMode = Object.fromEntries(result.summary.map((row) => [row.mode, row]));
    expect(byMode.off).toMatchObject({ ratioToOff: 1, medianIterationsPerSecond: 250, vmStops: 0 });
    expect(byMode["ram-file"].ratioToOff).toBeCloseTo(1, 10);
    expect(byMode.control.ratioToOff).toBeCloseTo(1, 10);
    expect(byMode.qmp.ratioToOff).toBeCloseTo((225 / 225 + 300 / 375) / 2, 10);
    expect(byMode.qmp.vmStops).toBe(2);
    expect(result.vmStops).toBe(2);
  });

  it("has no ratio for a polled slice without an off slice on both sides", () => {
    const result = summarize(
      [slice("ram-file", 10), slice("off", 10)],
      1,
      400,
      { off: 0, "ram-file": 0, qmp: 0, control: 0 },
      0,
    );
    expect(result.summary.find((row) => row.mode === "ram-file")!.ratioToOff).toBeNull();
  });
});

describe("tags", () => {
  let scratch: string;
  beforeAll(() => (scratch = makeScratch("tags")));
  afterAll(() => removeScratch(scratch));

  it("finds exactly one tagged line, and the compute sample has its F5 tag", () => {
    const file = path.join(scratch, "main.c");
    fs.writeFileSync(file, "int a;\nvoid main(void) { /* here */ }\n");
    expect(findTaggedLine(file, "/* here */")).toBe(2);
    expect(() => findTaggedLine(file, "/* missing */")).toThrow(
      /exactly one line tagged "\/\* missing \*\/", found 0/,
    );
    fs.writeFileSync(file, "/* t */\n/* t */\n");
    expect(() => findTaggedLine(file, "/* t */")).toThrow(/found 2/);
    const computeMain = path.join(samplesDirectory, "compute", "main.c");
    const line = findTaggedLine(computeMain, "toro-bench: main");
    expect(fs.readFileSync(computeMain, "utf8").split("\n")[line - 1]).toMatch(/app_argument_number\("ms"/);
  });
});
