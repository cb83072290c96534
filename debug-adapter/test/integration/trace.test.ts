// trace.test.ts - the event trace end to end under real QEMU: samples/wakeup-latency boots with trace=on, the
// engine drains every core's ring while the guest runs (TraceRecorder fed by telemetry snapshots, as
// `toro run --trace` does), and the trace must show the IPI wake-ups the sample measures - on the pong core,
// halts ended by an IPI from the ping core, each after its IPI-received event - with no overrun; the Chrome
// JSON export must parse with one track per core and IPI flows. Leaves no QEMU and no file behind.

import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/engine/build/build-runner";
import { loadProfile } from "../../src/engine/profiles/load-profile";
import { GuestRun } from "../../src/engine/run/guest-run";
import { isUnreadable } from "../../src/engine/telemetry/snapshot";
import { TraceRecorder } from "../../src/engine/trace/trace-recorder";
import { expectNothingLeft } from "../helpers/cleanup";
import {
  kernelDirectory,
  makeScratch,
  profilesDirectory,
  removeScratch,
  samplesDirectory,
} from "../helpers/paths";

const ROUND_TRIPS = 100;
const RESULT_LINE = /^wakeup-latency idle=\S+ p50_us=\S+ p99_us=\S+ samples=(\d+)$/;
const DRAIN_INTERVAL_MS = 50;

let scratch: string;
let build: Awaited<ReturnType<typeof buildApp>>;

beforeAll(async () => {
  scratch = makeScratch("trace");
  build = await buildApp({ appDirectory: path.join(samplesDirectory, "wakeup-latency"), kernelDirectory });
  expect(build.success, build.output.slice(-2000)).toBe(true);
});
afterAll(() => removeScratch(scratch));

describe("event trace under QEMU", () => {
  it("shows samples/wakeup-latency's IPI wake-ups in order, with no overrun, and exports a Perfetto trace", async () => {
    const run = await GuestRun.start({
      kernelPath: build.bootElf,
      kernelElfPath: build.kernelElf,
      profile: loadProfile("default", profilesDirectory),
      overrides: { cpus: 4, cmdline: `trace=on samples=${ROUND_TRIPS} exit` },
      parentDirectory: scratch,
    });
    const recorder = TraceRecorder.open(build.kernelElf, run.qemu.ramPath);
    const observe = () => {
      const result = run.telemetry!.read();
      recorder.observe(isUnreadable(result) ? null : result);
    };
    const drainer = setInterval(observe, DRAIN_INTERVAL_MS);
    let samples = 0;
    try {
      const line = await run.qemu.serial.waitForLine((candidate) => RESULT_LINE.test(candidate.message), {
        timeoutMs: 90_000,
      });
      samples = Number(RESULT_LINE.exec(line.message)![1]);
      observe();
    } finally {
      clearInterval(drainer);
      await run.stop();
    }
    const lines = run.qemu.serial.lines.map((line) => line.message);
    expect(lines.join("\n")).toMatch(/toro: trace on \(kinds 0xfffe\), 2048 events of 16 bytes per core/);
    const game = /ping core (\d+) <-> pong core (\d+)/.exec(lines.join("\n"))!;
    const [ping, pong] = [Number(game[1]), Number(game[2])];
    expect(samples).toBe(2 * ROUND_TRIPS);

    const statistics = recorder.drain.statistics();
    expect(statistics.map((core) => core.core)).toEqual([0, 1, 2, 3]);
    for (const core of statistics) expect(core.overruns, `core ${core.core} overruns`).toBe(0);

    // On the pong core, every wake-up by the ping core's doorbell: IPI received, then the halt exit.
    const events = recorder.drain.events(pong);
    for (let index = 1; index < events.length; index++)
      expect(events[index].tsc).toBeGreaterThanOrEqual(events[index - 1].tsc);
    const ipiExits = events.filter(
      (event) => event.kind === "halt-exit" && event.detail === 2 && event.arg === ping,
    );
    expect(ipiExits.length).toBeGreaterThanOrEqual(ROUND_TRIPS * 0.9);
    for (const exit of ipiExits) {
      const before = events.slice(0, events.indexOf(exit)).reverse();
      const received = before.find((event) => event.kind === "ipi-received");
      const entered = before.find((event) => event.kind === "halt-enter");
      expect(received?.arg).toBe(ping);
      expect(entered!.tsc).toBeLessThanOrEqual(received!.tsc);
    }
    const summary = recorder.summary();
    const pongAnalysis = summary.cores.find((core) => core.core === pong)!.analysis!;
    expect(pongAnalysis.ipiWakeupsPerSecondFrom[`core ${ping}`]).toBeGreaterThan(0);
    expect(pongAnalysis.haltResidency).toBeGreaterThan(0.3);
    expect(pongAnalysis.notHalted.map((reason) => reason.reason).join()).toMatch(/ponger/);

    const tracePath = path.join(scratch, "out.json");
    recorder.writeChromeTrace(tracePath);
    recorder.close();
    const file = JSON.parse(fs.readFileSync(tracePath, "utf8")) as {
      traceEvents: { ph: string; name: string; args?: { name?: string } }[];
    };
    fs.rmSync(tracePath);
    const tracks = file.traceEvents
      .filter((event) => event.name === "thread_name")
      .map((event) => event.args?.name);
    expect(tracks).toEqual(["core 0", "core 1", "core 2", "core 3"]);
    expect(file.traceEvents.filter((event) => event.ph === "s").length).toBeGreaterThanOrEqual(
      ROUND_TRIPS * 0.9,
    );
    expect(file.traceEvents.some((event) => event.ph === "X" && event.name === "ponger")).toBe(true);
    expectNothingLeft(scratch, [run.qemu.pid]);
    const perCore = statistics.map((core) => `core ${core.core}: ${core.drained}`).join(", ");
    console.log(
      `trace: ${summary.eventsPerSecond.toFixed(0)} events/s over ${summary.windowSeconds.toFixed(2)} s (${perCore}), 0 overruns`,
    );
  });
});
