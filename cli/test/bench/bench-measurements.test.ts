// bench-measurements.test.ts - the benchmark's measuring functions against real QEMU and GDB, checked for
// what they must do, never for how fast: the by-hand floor really stops at the tagged line of main (and
// fails fast on a line GDB cannot break on), the telemetry rates decode real snapshots, the throughput runs
// see zero VM stops in every mode, the trace-cost row counts events only while tracing is on (under both
// clocks), and the adapter session (when dist/adapter.js exists) reaches main and
// steps. No QEMU or GDB process and no temporary file is left.

import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildApp,
  BuildResult,
  liveInstanceCount,
  loadProfile,
  QemuProfile,
} from "@toro-studio/debug-adapter";
import { MAIN_BREAKPOINT_TAG } from "../../src/bench/bench-command";
import { measureAdapterSession } from "../../src/bench/adapter-session";
import { measureFloor } from "../../src/bench/f5-floor";
import { measureGuestThroughput, TELEMETRY_MODES } from "../../src/bench/guest-throughput";
import { findTaggedLine } from "../../src/bench/source-tag";
import { measureTelemetryRate } from "../../src/bench/telemetry-rate";
import { measureTraceCost } from "../../src/bench/trace-cost";
import { processesMentioning } from "../helpers/cli-process";
import {
  adapterDirectory,
  kernelDirectory,
  makeScratch,
  profilesDirectory,
  removeScratch,
  samplesDirectory,
} from "@toro-studio/debug-adapter/test-support";

const adapterPath = path.join(adapterDirectory, "dist", "adapter.js");
const computeDirectory = path.join(samplesDirectory, "compute");
const mainSource = path.join(computeDirectory, "main.c");

let scratch: string;
let profile: QemuProfile;
let compute: BuildResult;
/** A copy of the images under the scratch folder: any QEMU or GDB still running would mention its path. */
let images: { kernelElf: string; bootElf: string };

function expectNoProcessesLeft(): void {
  expect(processesMentioning(scratch), "QEMU or GDB processes left").toEqual([]);
  expect(liveInstanceCount(), "engine launches still registered").toBe(0);
}

beforeAll(async () => {
  scratch = makeScratch("bench");
  profile = loadProfile("default", profilesDirectory);
  compute = await buildApp({ appDirectory: computeDirectory, kernelDirectory });
  expect(compute.success, compute.output.slice(-2000)).toBe(true);
  images = { kernelElf: path.join(scratch, "kernel.elf"), bootElf: path.join(scratch, "boot.elf") };
  fs.copyFileSync(compute.kernelElf, images.kernelElf);
  fs.copyFileSync(compute.bootElf, images.bootElf);
});
afterAll(() => removeScratch(scratch));

describe("F5 floor (QEMU -S + gdb -batch)", () => {
  it.each(["parallel", "sequential"] as const)(
    "stops at the tagged line of main (%s) and cleans up",
    async (mode) => {
      const line = findTaggedLine(mainSource, MAIN_BREAKPOINT_TAG);
      const floor = await measureFloor(
        { ...images, profile, file: mainSource, line, overrides: { cmdline: "ms=100" } },
        mode,
      );
      expect(floor.mode).toBe(mode);
      expect(floor.milliseconds).toBeGreaterThan(0);
      expectNoProcessesLeft();
    },
  );

  it("fails with GDB's message, not a hang, when the breakpoint cannot be set", async () => {
    const started = Date.now();
    await expect(
      measureFloor({ ...images, profile, file: path.join(scratch, "no-such-file.c"), line: 3 }),
    ).rejects.toThrow(/gdb -batch did not stop at .*no-such-file\.c:3:\n[\s\S]*No source file named/);
    expect(Date.now() - started).toBeLessThan(30_000); // well before the 60 s give-up: the command file stopped
    expectNoProcessesLeft();
  });
});

describe("telemetry rows", () => {
  it("decodes real snapshots from the RAM file, the poller and QMP", async () => {
    const rates = await measureTelemetryRate(compute, profile, 0.5);
    expect(rates.cores).toBe(4);
    expect(rates.exporterMaximum.vms).toBeGreaterThanOrEqual(1); // this VM, and any other in the same TMPDIR
    for (const measurement of [rates.ramFileMaximum, rates.poller, rates.qmpMaximum, rates.exporterMaximum]) {
      expect(measurement.snapshots).toBeGreaterThan(0);
      expect(measurement.unreadable).toBe(0);
      expect(measurement.hz).toBeGreaterThan(0);
    }
    expect(rates.qmpMaximum.method).toBe("pmemsave");
    expectNoProcessesLeft();
  });

  it("reads the guest's progress in every kind of slice and sees no VM stop", async () => {
    const logged: string[] = [];
    const throughput = await measureGuestThroughput(compute, profile, 1, 200, (line) => logged.push(line));
    expect(throughput.slices.map((slice) => slice.mode)).toEqual([
      "off",
      "ram-file",
      "off",
      "qmp",
      "off",
      "control",
      "off",
    ]);
    for (const slice of throughput.slices) {
      expect(slice.iterationsPerSecond).toBeGreaterThan(0);
      expect(slice.polls > 0).toBe(slice.mode === "ram-file" || slice.mode === "qmp");
    }
    expect(throughput.vmStops).toBe(0);
    expect(throughput.statusSamples).toBeGreaterThan(0);
    expect(throughput.summary.map((row) => row.mode)).toEqual([...TELEMETRY_MODES]);
    expect(throughput.summary.every((row) => row.ratioToOff !== null && row.vmStops === 0)).toBe(true);
    expect(logged).toHaveLength(1);
    expectNoProcessesLeft();
  });
});

describe("trace cost row", () => {
  it("runs samples/trace-load under both clocks: events only in on slices, every slice counted", async () => {
    const traceLoad = await buildApp({
      appDirectory: path.join(samplesDirectory, "trace-load"),
      kernelDirectory,
    });
    expect(traceLoad.success, traceLoad.output.slice(-2000)).toBe(true);
    const results = await measureTraceCost(traceLoad, profile, 1, 100, () => undefined);
    expect(results.runs.map((run) => run.clock)).toEqual(["tsc", "icount"]);
    for (const run of results.runs) {
      expect(run.slices.map((slice) => slice.mode)).toEqual(["off", "on", "off", "control", "off"]);
      for (const slice of run.slices) {
        expect(slice.ops, `${run.clock} ${slice.mode}`).toBeGreaterThan(0);
        expect(slice.nanoseconds).toBeGreaterThanOrEqual(100_000_000);
        // A few events may be begun on another core just before tracing goes off.
        if (slice.mode === "on") expect(slice.events).toBeGreaterThan(1000);
        else expect(slice.events).toBeLessThan(10);
      }
      expect(run.on.median).not.toBeNull();
      expect(run.control.median).not.toBeNull();
    }
    expect(processesMentioning(path.join(samplesDirectory, "trace-load")), "QEMU left").toEqual([]);
    expect(liveInstanceCount(), "engine launches still registered").toBe(0);
  });
});

describe.skipIf(!fs.existsSync(adapterPath))("adapter session (dist/adapter.js)", () => {
  it("launches to the breakpoint in main, steps, and leaves nothing behind", async () => {
    const measurement = await measureAdapterSession(
      {
        adapterPath,
        app: computeDirectory,
        file: mainSource,
        line: findTaggedLine(mainSource, MAIN_BREAKPOINT_TAG),
        cmdline: "ms=1000",
      },
      3,
    );
    expect(measurement.launchToStoppedMs).toBeGreaterThan(0);
    expect(measurement.stepRoundTripsMs.length).toBeGreaterThan(0);
    expect(processesMentioning(computeDirectory), "QEMU or GDB of the adapter left").toEqual([]);
  });
});
