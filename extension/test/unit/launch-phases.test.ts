// launch-phases.test.ts - F5's marks become consecutive phases and one log line the bench parses back
// (src/debug/launch-phases.ts); a launch without a build task leaves that phase out.

import { describe, expect, it } from "vitest";
import { launchPhases, launchTimingLine, parseLaunchTimingLine } from "../../src/debug/launch-phases";

describe("launch phases", () => {
  it("turns marks into consecutive phases and a line the bench parses back", () => {
    const marks = {
      resolve: 1000,
      substituted: 1004,
      toolchainChecked: 1010,
      built: 1400,
      adapterStarting: 1420,
      connected: 1700,
      live: 1950.75,
    };
    const phases = launchPhases(marks);
    expect(phases.map((phase) => [phase.name, phase.milliseconds])).toEqual([
      ["configuration resolution", 4],
      ["toolchain check", 6],
      ["build task (or make -q)", 390],
      ["VS Code to adapter start", 20],
      ["adapter + QEMU + GDB start", 280],
      ["kernel boot to first telemetry", 250.75],
    ]);
    const line = launchTimingLine(phases);
    expect(line).toBe(
      "F5 timing: configuration resolution 4 ms, toolchain check 6 ms, build task (or make -q) 390 ms, VS Code to adapter start 20 ms, adapter + QEMU + GDB start 280 ms, kernel boot to first telemetry 251 ms, total 951 ms",
    );
    expect(parseLaunchTimingLine(`2026-12-05 [info] ${line}`)).toEqual({
      phases: {
        "configuration resolution": 4,
        "toolchain check": 6,
        "build task (or make -q)": 390,
        "VS Code to adapter start": 20,
        "adapter + QEMU + GDB start": 280,
        "kernel boot to first telemetry": 251,
        total: 951,
      },
      span: null,
    });
  });

  it("carries the wall-clock span of the marks, for the bench's phases outside the extension", () => {
    const phases = launchPhases({ resolve: 10, substituted: 12.5, live: 800 });
    const line = launchTimingLine(phases, { startEpochMs: 1764921600123.44, endEpochMs: 1764921600913.44 });
    expect(line).toBe(
      "F5 timing: configuration resolution 3 ms, kernel boot to first telemetry 788 ms, total 790 ms; from 1764921600123.4 to 1764921600913.4 epoch ms",
    );
    expect(parseLaunchTimingLine(line)).toEqual({
      phases: { "configuration resolution": 3, "kernel boot to first telemetry": 788, total: 790 },
      span: { startEpochMs: 1764921600123.4, endEpochMs: 1764921600913.4 },
    });
  });

  it("leaves out a phase whose mark never came, and has none without the first mark", () => {
    const phases = launchPhases({ resolve: 0, substituted: 1, adapterStarting: 5, live: 9 });
    expect(phases.map((phase) => [phase.mark, phase.milliseconds])).toEqual([
      ["substituted", 1],
      ["adapterStarting", 4],
      ["live", 4],
    ]);
    expect(launchPhases({ substituted: 1 })).toEqual([]);
    expect(parseLaunchTimingLine("something else")).toBeNull();
  });
});
