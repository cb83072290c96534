// process-cpu.test.ts - host CPU of a process from /proc/<pid>/stat: parsing (names with spaces and
// parentheses), and a real busy child measured higher than a real sleeping one (loose bounds only).

import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import {
  clockTicksPerSecond,
  cpuPercent,
  parseProcStatTicks,
  ProcessCpuSampler,
  readProcessCpu,
} from "../../src/engine/host/process-cpu";

describe("parseProcStatTicks", () => {
  it("adds utime and stime, even when the command name has spaces and parentheses", () => {
    const stat = "4242 (qemu (x) 1) S 1 4242 4242 0 -1 4194304 500 0 0 0 1500 250 0 0 20 0 5 0 100 0 0";
    expect(parseProcStatTicks(stat)).toBe(1750);
    expect(parseProcStatTicks("garbage")).toBeNull();
  });

  it("computes percent of one core", () => {
    expect(cpuPercent({ ticks: 100, hostTimeMs: 0 }, { ticks: 150, hostTimeMs: 1000 }, 100)).toBe(50);
    expect(cpuPercent({ ticks: 0, hostTimeMs: 0 }, { ticks: 400, hostTimeMs: 2000 }, 100)).toBe(200);
    expect(cpuPercent({ ticks: 0, hostTimeMs: 5 }, { ticks: 1, hostTimeMs: 5 }, 100)).toBeNull();
  });
});

describe("ProcessCpuSampler on real processes", () => {
  it("reads clock ticks per second from getconf", () => {
    expect(clockTicksPerSecond()).toBeGreaterThan(0);
  });

  it("measures a spinning process as busier than a sleeping one", async () => {
    const spinner = spawn(process.execPath, ["-e", "for(;;){}"], { stdio: "ignore" });
    const sleeper = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
    try {
      await new Promise((resolve) => setTimeout(resolve, 300)); // let both start up
      const busy = new ProcessCpuSampler(spinner.pid!);
      const idle = new ProcessCpuSampler(sleeper.pid!);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const busyPercent = busy.sample()!;
      const idlePercent = idle.sample()!;
      expect(busyPercent).toBeGreaterThan(10); // a spinning loop, even on a crowded machine
      expect(idlePercent).toBeLessThan(10);
      expect(busyPercent).toBeGreaterThan(idlePercent);
      expect(busy.overall()).toBeCloseTo(busyPercent);
      expect(busy.recent(60_000)).toBeCloseTo(busyPercent);
      expect(busy.recent(0)).toBeNull();
    } finally {
      spinner.kill("SIGKILL");
      sleeper.kill("SIGKILL");
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(readProcessCpu(spinner.pid!)).toBeNull(); // reaped: /proc entry gone
  });
});
