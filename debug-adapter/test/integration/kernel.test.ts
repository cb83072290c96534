// kernel.test.ts - the real kernel under real QEMU through the engine: self-tests on 1, 4 and 64 vCPUs, the
// expected-panic self-tests, every sample's output, the CPU-exception report, and the live telemetry
// decoder (4 cores, halts rising on idle cores, busy cores running, QEMU host CPU sampled). Every test
// leaves no QEMU process and no file behind.

import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildApp, BuildOutputs } from "../../src/engine/build/build-runner";
import { bootFileFor } from "../../src/engine/launch/kernel-image";
import { loadProfile } from "../../src/engine/profiles/load-profile";
import { LaunchOverrides, QemuProfile } from "../../src/engine/profiles/profile";
import { parseSelftestSummary } from "../../src/engine/qemu/serial-line";
import { GuestRun } from "../../src/engine/run/guest-run";
import { TelemetrySample } from "../../src/engine/telemetry/derived";
import { expectNothingLeft } from "../helpers/cleanup";
import {
  kernelDirectory,
  makeScratch,
  profilesDirectory,
  removeScratch,
  samplesDirectory,
} from "../helpers/paths";

const SAMPLES = [
  "hello",
  "idle-demo",
  "polling",
  "spinlock-contention",
  "wakeup-latency",
  "vm-exit-costs",
  "crash",
];
const LINE_TIMEOUT_MS = 90_000;

let scratch: string;
let profile: QemuProfile;
const builds = new Map<string, BuildOutputs>();
const runs: GuestRun[] = [];

async function boot(app: string, overrides: LaunchOverrides, withTelemetry = false): Promise<GuestRun> {
  const build = builds.get(app)!;
  const run = await GuestRun.start({
    kernelPath: build.bootElf,
    kernelElfPath: withTelemetry ? build.kernelElf : undefined,
    profile,
    overrides,
    parentDirectory: scratch,
  });
  runs.push(run);
  return run;
}

function messages(run: GuestRun): string[] {
  return run.qemu.serial.lines.map((line) => line.message);
}

async function sample(run: GuestRun): Promise<TelemetrySample> {
  const poll = await run.poller!.pollNow();
  if (poll.sample === null) throw new Error(`telemetry unreadable: ${poll.unreadable}`);
  return poll.sample;
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

beforeAll(async () => {
  scratch = makeScratch("kernel");
  profile = loadProfile("default", profilesDirectory);
  for (const app of ["selftest", ...SAMPLES]) {
    const directory =
      app === "selftest" ? path.join(kernelDirectory, "selftest") : path.join(samplesDirectory, app);
    const result = await buildApp({ appDirectory: directory, kernelDirectory });
    expect(result.success, `build of ${app}:\n${result.output.slice(-2000)}`).toBe(true);
    expect(fs.existsSync(result.bootElf)).toBe(true);
    builds.set(app, result);
  }
});
afterEach(async () => {
  await Promise.all(runs.map((run) => run.stop()));
  expectNothingLeft(
    scratch,
    runs.map((run) => run.qemu.pid),
  );
  runs.length = 0;
});
afterAll(() => removeScratch(scratch));

describe("kernel self-tests", () => {
  it.each([1, 4])("pass on %i vCPU(s) and leave QEMU through isa-debug-exit with status 1", async (cpus) => {
    const run = await boot("selftest", { cpus, cmdline: "test" });
    const exit = await run.qemu.exited;
    const summary = messages(run)
      .map(parseSelftestSummary)
      .find((parsed) => parsed !== null);
    expect(summary, messages(run).join("\n")).toBeDefined();
    expect(summary!.failed, messages(run).join("\n")).toBe(0);
    expect(summary!.passed).toBeGreaterThan(5);
    expect(messages(run)).toContain(`toro: ready cores=${cpus} idle=tickless`);
    expect(exit).toMatchObject({ exitCode: 1, guestExitCode: 0 });
  });

  // PVH: QEMU's -kernel enters kernel.elf itself through its Xen PVH note, on q35 and on microvm.
  it.each(["default", "pvh"])(
    "pass when QEMU boots kernel.elf through PVH on the %s profile's machine",
    async (name) => {
      const chosen: QemuProfile = { ...loadProfile(name, profilesDirectory), boot: "pvh" };
      const build = builds.get("selftest")!;
      const run = await GuestRun.start({
        kernelPath: bootFileFor(build, chosen.boot),
        profile: chosen,
        overrides: { cmdline: "test" },
        parentDirectory: scratch,
      });
      runs.push(run);
      const exit = await run.qemu.exited;
      const lines = messages(run);
      expect(lines[0], lines.join("\n")).toBe('toro: booting (pvh), command line "idle=tickless test"');
      expect(lines.join("\n")).toMatch(/acpi: RSDP at 0x[0-9a-f]+ \(from the loader\)/);
      expect(lines).toContain("toro: ready cores=4 idle=tickless");
      const summary = lines.map(parseSelftestSummary).find((parsed) => parsed !== null);
      expect(summary?.failed, lines.join("\n")).toBe(0);
      expect(exit).toMatchObject({ exitCode: 1, guestExitCode: 0 });
    },
  );

  it("pass on 64 vCPUs, and the telemetry shows 64 cores, their APIC ids and the hypervisor", async () => {
    const run = await boot("selftest", { cpus: 64, cmdline: "test" }, true);
    const exit = await run.qemu.exited;
    const lines = messages(run);
    const summary = lines.map(parseSelftestSummary).find((parsed) => parsed !== null);
    expect(summary, lines.join("\n")).toBeDefined();
    expect(summary!.failed, lines.join("\n")).toBe(0);
    expect(lines).toContain("toro: ready cores=64 idle=tickless");
    expect(exit).toMatchObject({ exitCode: 1, guestExitCode: 0 });
    // The block stays readable through the open RAM file after QEMU left.
    const snapshot = (await sample(run)).snapshot;
    expect(snapshot.abiVersion).toBe(2);
    expect(snapshot.cores.map((core) => core.index)).toEqual([...Array(64).keys()]);
    expect(new Set(snapshot.cores.map((core) => core.apicId)).size).toBe(64);
    expect(snapshot.global).toMatchObject({ coresDetected: 64, coresOnline: 64 });
    // The default profile is TCG: CPUID 0x40000000 says "TCGTCGTCGTCG", and QEMU 7.2's TCG has no x2APIC.
    expect(profile.accel).toBe("tcg");
    expect(snapshot.global.hypervisor).toMatchObject({ kind: "TCG", signature: "TCGTCGTCGTCG" });
    expect(lines.some((line) => line.startsWith('toro: hypervisor TCG (signature "TCGTCGTCGTCG"'))).toBe(
      true,
    );
    expect(snapshot.global.apicMode).toBe("xAPIC");
  });

  it.each([
    ["double-acquire", /^PANIC on cpu \d+: acquire: double acquire of spinlock/],
    ["release-not-held", /^PANIC on cpu \d+: release: spinlock .* which does not hold it/],
    // Guard page: the report names the thread and its core (kernel/README.md, "Boot, per-CPU data, memory").
    [
      "stack-overflow",
      /^PANIC on cpu 1: stack overflow: thread \d+ \(deep\) on cpu 1 ran into its guard page/,
    ],
  ])(
    "expected-panic case %s panics with its message and exits with a failure status",
    async (name, expectedPanic) => {
      const run = await boot("selftest", { cpus: 2, cmdline: `test selftest=${name}` });
      const exit = await run.qemu.exited;
      const lines = messages(run);
      expect(
        lines.some((line) => expectedPanic.test(line)),
        lines.join("\n"),
      ).toBe(true);
      expect(lines.join("\n")).not.toMatch(/returned without a panic/);
      expect(exit.guestExitCode).not.toBeNull();
      expect(exit.guestExitCode).not.toBe(0);
    },
  );
});

describe("samples", () => {
  const expectations: [string, string, RegExp[]][] = [
    ["hello", "exit", [/^hello: \d cores/, /^hello from core 3/, /^hello: done$/]],
    [
      "idle-demo",
      "rounds=1 work_ms=300 idle_ms=500 exit",
      [/phase=busy cores=4/, /phase=idle cores=4 halts=\+\d+/, /^idle-demo: done/],
    ],
    [
      "polling",
      "rounds=1 period_ms=300 job_ms=50 exit",
      [/^polling: round 1: \d+ polling halts/, /^polling: core \d got job/, /^polling: done/],
    ],
    [
      "spinlock-contention",
      "rounds=1 phase_ms=200 exit",
      [/phase=shared-short lock=shared acquisitions=\d+/, /phase=per-core/, /^spinlock-contention: done/],
    ],
    [
      "wakeup-latency",
      "samples=20 exit",
      [/^wakeup-latency idle=tickless p50_us=[\d.]+ p99_us=[\d.]+ samples=40$/],
    ],
    [
      "vm-exit-costs",
      "exit",
      [
        /^probe: hypervisor bit 1, leaf 0x40000000 "TCGTCGTCGTCG"/,
        /^probe: cpuid \(always exits\) +1000 ops +\d+ cycles\/op +\d+ ns\/op$/,
        /^probe: first touch of a page +1024 ops/,
        /^probe: done$/,
      ],
    ],
  ];

  it.each(expectations)("%s boots and prints its lines", async (app, cmdline, patterns) => {
    const run = await boot(app, { cmdline });
    const exit = await run.qemu.exited;
    const lines = messages(run);
    for (const pattern of patterns)
      expect(
        lines.some((line) => pattern.test(line)),
        `${pattern}\n${lines.join("\n")}`,
      ).toBe(true);
    expect(exit.guestExitCode).toBe(0);
  });

  it("crash prints the CPU-exception panic report", async () => {
    const run = await boot("crash", { cpus: 2, cmdline: "test" }, true);
    await run.qemu.exited;
    const text = messages(run).join("\n");
    expect(text).toMatch(/crash: about to follow a null pointer/);
    expect(text).toMatch(/PANIC on cpu 0: .*(page fault|#PF)/i);
    const faultAddress = /\bcr2 0x([0-9a-f]+)/i.exec(text);
    expect(faultAddress, "CR2 in the report").not.toBeNull();
    expect(parseInt(faultAddress![1], 16)).toBeLessThan(4096); // a field of a null pointer: page 0
    expect(text).toMatch(/\brip [0-9a-f]+/i);
    expect(text).toMatch(/\brsp [0-9a-f]+/i);
    expect(text).not.toMatch(/survived a null dereference/);
    // The telemetry block (still readable through the open descriptor) carries the panic too.
    const panic = (await sample(run)).snapshot.global.panic;
    expect(panic?.core).toBe(0);
    expect(panic?.message).toMatch(/page fault|#PF/i);
  });
});

describe("QEMU profiles", () => {
  // kvm.json needs a usable /dev/kvm; it is only booted when TORO_TEST_KVM=1 says the machine has one.
  // uefi.json boots an ISO built with the launch's command line: iso.test.ts boots it.
  const bootable = [
    "default",
    "smp1",
    "microvm",
    "pvh",
    ...(process.env.TORO_TEST_KVM === "1" ? ["kvm"] : []),
  ];

  it.each(bootable)("%s boots the kernel to ready with its vCPUs and readable telemetry", async (name) => {
    const chosen = loadProfile(name, profilesDirectory);
    const build = builds.get("hello")!;
    const run = await GuestRun.start({
      kernelPath: bootFileFor(build, chosen.boot),
      kernelElfPath: build.kernelElf,
      profile: chosen,
      overrides: { cmdline: "exit" },
      parentDirectory: scratch,
    });
    runs.push(run);
    const ready = await run.waitForReady(LINE_TIMEOUT_MS);
    expect(ready.message).toBe(`toro: ready cores=${chosen.cpus} idle=tickless`);
    expect((await run.qemu.exited).guestExitCode).toBe(0);
    expect((await sample(run)).snapshot.cores).toHaveLength(chosen.cpus);
  });
});

describe("live telemetry from the guest RAM file", () => {
  it("sees 4 cores, busy cores running, halts rising on idle cores, and QEMU's host CPU", async () => {
    const run = await boot("idle-demo", { cmdline: "work_ms=1500 idle_ms=1500" }, true);
    await run.waitForReady(LINE_TIMEOUT_MS);
    const first = await sample(run);
    expect(first.snapshot.cores).toHaveLength(4);
    expect(first.snapshot.cores.every((core) => core.online)).toBe(true);
    expect(first.snapshot.global).toMatchObject({ coresOnline: 4, idlePolicy: "tickless" });
    expect(first.snapshot.global.tscHz).toBeGreaterThan(100_000_000);

    // Busy phase: every core should be seen running a thread (poll until seen, within the phase).
    const busyStart = await run.qemu.serial.waitForLine(/phase=busy start/, { timeoutMs: LINE_TIMEOUT_MS });
    const seenRunning = new Set<number>();
    const busyCpu = run.hostCpu;
    busyCpu.sample();
    while (seenRunning.size < 4 && run.qemu.serial.nextIndex >= 0) {
      for (const core of (await sample(run)).snapshot.cores)
        if (core.state === "running" && !core.torn) seenRunning.add(core.index);
      if (
        run.qemu.serial.lines.some(
          (line) => line.receivedAtMs > busyStart.receivedAtMs && /phase=busy cores/.test(line.message),
        )
      )
        break;
      await sleep(50);
    }
    expect([...seenRunning].sort()).toEqual([0, 1, 2, 3]);
    const busyHostCpu = busyCpu.sample();
    expect(busyHostCpu).not.toBeNull();
    expect(busyHostCpu!).toBeGreaterThan(10); // four vCPUs computing under TCG

    // Idle phase: the cores halt and their halt counters climb (each sleep wake-up ends a halt), and so do the
    // per-reason wake counters (telemetry_abi.h wakes_*).
    await run.qemu.serial.waitForLine(/phase=idle start/, {
      timeoutMs: LINE_TIMEOUT_MS,
      fromIndex: run.qemu.serial.nextIndex,
    });
    await sleep(200);
    const idleBefore = await sample(run);
    await sleep(800);
    const idleAfter = await sample(run);
    for (const core of idleAfter.snapshot.cores) {
      const before = idleBefore.snapshot.cores[core.index];
      expect(core.halts, `core ${core.index} halts`).toBeGreaterThan(before.halts);
      // Every halt that ended counted its reason once: the sleep deadline (timer) or a wake IPI here.
      const wakes = core.wakesByReason;
      const ended = wakes.timer + wakes.ipi + wakes.device + wakes.pollRecheck;
      expect(wakes.timer, `core ${core.index} timer wakes`).toBeGreaterThan(before.wakesByReason.timer);
      expect(ended, `core ${core.index} wakes by reason vs halts`).toBeLessThanOrEqual(core.halts);
      expect(ended, `core ${core.index} wakes by reason vs halts`).toBeGreaterThanOrEqual(core.halts - 1); // one may be open
      expect(wakes.device + wakes.pollRecheck, `core ${core.index}: no device, no polling here`).toBe(0);
    }
    expect(idleAfter.snapshot.cores.some((core) => core.state === "halted")).toBe(true);
    expect(run.hostCpu.sample()).toBeGreaterThanOrEqual(0);
  });
});
