// cli.test.ts - the `toro` CLI as a process: help and usage errors, build errors as file:line:column, `run`
// with --json and --monitor, the end on --duration, Ctrl-C, guest exit and kernel panic; after each run no
// QEMU process and no file is left in its private TMPDIR.

import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { processesMentioning, runCli, startCli, useCliFolders, waitFor } from "../helpers/cli-process";

const folders = useCliFolders("cli");

describe("toro usage", () => {
  it("prints help", async () => {
    const result = await runCli(["help"], folders.tmpdir);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Usage:\n {2}toro run <app> \[options\]/);
  });

  it("exits 2 with the usage text on a usage error", async () => {
    const result = await runCli(["run", "samples/hello", "--cpus", "two"], folders.tmpdir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^toro: --cpus must be a number, got "two"\n\ntoro - build/);
    expect(result.stderr).toContain("Usage:");
  });

  it("exits 1 with a clear message for a bad value, a missing app or a missing profile", async () => {
    const cpus = await runCli(["run", "samples/hello", "--cpus", "999"], folders.tmpdir);
    expect(cpus.code).toBe(1);
    expect(cpus.stderr).toMatch(/"cpus" must be an integer from 1 to 256/);
    const app = await runCli(["build", "samples/no-such-app"], folders.tmpdir);
    expect(app.code).toBe(1);
    expect(app.stderr).toMatch(/app folder not found: .*samples\/no-such-app/);
    const profile = await runCli(["run", "samples/hello", "--profile", "nope"], folders.tmpdir);
    expect(profile.code).toBe(1);
    expect(profile.stderr).toMatch(/nope\.json: cannot read the profile .*available profiles: default/);
  });
});

describe("toro build", () => {
  it("reports compiler errors as file:line:column", async () => {
    const app = path.join(folders.scratch, "broken-app");
    fs.mkdirSync(app);
    fs.writeFileSync(
      path.join(app, "main.c"),
      '#include "toro.h"\n\nvoid main(void)\n{\n    undeclared_call(42)\n}\n',
    );
    const result = await runCli(["build", app], folders.tmpdir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${path.join(app, "main.c")}:5:`);
    expect(result.stderr).toMatch(/: error: /);
    expect(result.stderr).toMatch(/toro: build failed \(make exited with 2, \d+ error\(s\)\)/);
  });

  it("prints the built images", async () => {
    const result = await runCli(["build", "samples/hello"], folders.tmpdir);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /samples\/hello\/build\/kernel\.elf\n.*samples\/hello\/build\/boot\.elf\n$/,
    );
  });
});

describe("toro run", () => {
  it("--duration --json prints one JSON object with per-core counters and QEMU's host CPU", async () => {
    const result = await runCli(["run", "samples/hello", "--duration", "3", "--json"], folders.tmpdir);
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ end: "duration", profile: "default", telemetry: "ok", panic: null });
    expect(summary.settings).toMatchObject({ cpus: 4, idlePolicy: "tickless" });
    expect(summary.cores).toHaveLength(4);
    for (const core of summary.cores) {
      expect(core.state).toBe("halted");
      expect(core.idleShare).toBeGreaterThan(0.5);
      expect(core.halts).toBeGreaterThan(0);
    }
    expect(summary.qemuHostCpuPercent).toBeGreaterThanOrEqual(0);
    expect(summary.bootMilliseconds).toBeGreaterThan(0);
    expect(result.stderr).toMatch(/\[cpu0\] hello: done/); // serial goes to stderr with --json
  });

  it("--trace writes a Perfetto-loadable JSON trace and --json carries the per-core trace analysis", async () => {
    const tracePath = path.join(folders.scratch, "wakeup.json");
    const result = await runCli(
      ["run", "samples/wakeup-latency", "--cmdline", "samples=40 exit", "--trace", tracePath, "--json"],
      folders.tmpdir,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/toro: trace written to .*wakeup\.json \(\d+ events, 0 overruns\)/);
    const summary = JSON.parse(result.stdout);
    expect(summary.settings.kernelCommandLine).toMatch(/samples=40 exit trace=on/);
    expect(summary.trace.problem).toBeNull();
    expect(summary.trace.cores.map((core: { core: number }) => core.core)).toEqual([0, 1, 2, 3]);
    const pong = summary.trace.cores[2];
    expect(pong.overruns).toBe(0);
    expect(pong.analysis.ipiWakeupsPerSecondFrom["core 1"]).toBeGreaterThan(0);
    expect(pong.analysis.haltLengths).toHaveLength(7);
    expect(pong.analysis.notHalted.length).toBeGreaterThan(0);
    const file = JSON.parse(fs.readFileSync(tracePath, "utf8"));
    const tracks = file.traceEvents.filter((event: { name: string }) => event.name === "thread_name");
    expect(tracks.map((event: { args: { name: string } }) => event.args.name)).toEqual([
      "core 0",
      "core 1",
      "core 2",
      "core 3",
    ]);
    fs.rmSync(tracePath);
    const missing = await runCli(
      ["run", "samples/hello", "--trace", "/no/such/folder/out.json"],
      folders.tmpdir,
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /--trace \/no\/such\/folder\/out\.json: the folder \/no\/such\/folder does not exist/,
    );
  });

  it("--json over busy cores: busy shares, counters and QEMU's host CPU over the run", async () => {
    const result = await runCli(
      ["run", "samples/compute", "--cmdline", "ms=30000", "--duration", "3", "--json"],
      folders.tmpdir,
    );
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ end: "duration", telemetry: "ok", panic: null });
    expect(summary.measuredSeconds).toBeGreaterThan(1);
    expect(summary.cores).toHaveLength(4);
    for (const core of summary.cores) {
      expect(core).toMatchObject({ state: "running", thread: "compute" });
      expect(core.busyShare).toBeGreaterThan(0.8);
      expect(core.idleShare).toBeLessThan(0.2);
      expect(core.haltsPerSecond).toBeLessThan(5); // a core that computes does not halt
      expect(core.contextSwitches).toBeGreaterThan(0);
      expect(core.interrupts).toBeGreaterThanOrEqual(0);
    }
    // Four vCPUs that never halt keep QEMU on the host CPU (100 = one host core).
    expect(summary.qemuHostCpuPercent).toBeGreaterThan(25);
  });

  it("--monitor draws the per-core table", async () => {
    const result = await runCli(
      ["run", "samples/idle-demo", "--cpus", "2", "--monitor", "--duration", "4"],
      folders.tmpdir,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/core {2}state +thread +halts {2}halts\/s {2}idle % {2}spin/);
    expect(result.stdout).toMatch(/^ +1 {2}(RUNNING|HALTED)/m);
    expect(result.stdout).toMatch(/QEMU host CPU: [\d.]+% of one host core/);
    expect(result.stderr).toMatch(/run ended \(duration\)/);
  });

  it("ends cleanly on Ctrl-C (SIGINT)", async () => {
    const run = startCli(["run", "samples/hello"], folders.tmpdir);
    await waitFor(() => run.output.stdout.includes("hello: done"), 90_000, "the hello sample's output");
    run.child.kill("SIGINT");
    const result = await run.finished;
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/run ended \(interrupted\)/);
  });

  it("leaves no QEMU running when killed outright, and the next run removes the folder it left", async () => {
    const run = startCli(["run", "samples/hello"], folders.tmpdir);
    await waitFor(() => run.output.stdout.includes("hello: done"), 90_000, "the hello sample's output");
    expect(processesMentioning(folders.tmpdir), "the CLI's QEMU").toHaveLength(1);
    run.child.kill("SIGKILL"); // no exit hook runs: only the parent-death signal can end QEMU
    await run.finished;
    await waitFor(() => processesMentioning(folders.tmpdir).length === 0, 10_000, "QEMU to die with the CLI");
    expect(fs.readdirSync(folders.tmpdir)).toEqual([expect.stringMatching(/^toro-qemu-/)]);

    const next = await runCli(["run", "samples/hello", "--duration", "1"], folders.tmpdir);
    expect(next.code, next.stderr).toBe(0);
    // afterEach: nothing is left in TMPDIR, so the killed run's folder was swept by this one.
  });

  it("ends with the guest's exit code when the guest leaves QEMU", async () => {
    const result = await runCli(
      ["run", "kernel/selftest", "--cpus", "1", "--cmdline", "test", "--json"],
      folders.tmpdir,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      end: "guest-exit",
      guestExitCode: 0,
      qemuExitStatus: 1,
    });
    expect(result.stderr).toMatch(/\d+ passed, 0 failed/);
  });

  it("stops on a kernel panic and reports it", async () => {
    const result = await runCli(["run", "samples/crash", "--cpus", "2", "--json"], folders.tmpdir);
    expect(result.code).toBe(1);
    const summary = JSON.parse(result.stdout);
    expect(summary.end).toBe("panic");
    expect(summary.panic).toMatchObject({ core: 0, message: expect.stringMatching(/page fault/) });
    expect(result.stderr).toMatch(/PANIC on cpu 0/);
  });
});
