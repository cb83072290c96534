// idle-cost.ts - benchmark part 1: the QEMU process's host CPU while every vCPU is idle, for one idle
// policy. Boots an app that goes idle (samples/hello), lets boot settle, then measures host CPU from /proc
// and the guest's own halted share from telemetry over the same window. Pairs with bench-command.ts.

import {
  BuildOutputs,
  coreActivity,
  GuestRun,
  IdlePolicy,
  ProcessCpuSampler,
  QemuProfile,
  TelemetrySample,
} from "@toro-studio/debug-adapter";

export const SETTLE_MS = 1000;

export interface IdleCost {
  policy: IdlePolicy;
  /** Extra kernel command line of this row (e.g. "trace=on"), absent for the plain policy rows. */
  cmdline?: string;
  /** Percent of one host core, summed over QEMU's threads. */
  hostCpuPercent: number | null;
  /** Mean over cores of the guest's halted share in the window (0..1). */
  guestHaltedShare: number | null;
  /** Mean over cores of halts per second in the window. */
  haltsPerSecondPerCore: number | null;
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

async function sample(run: GuestRun): Promise<TelemetrySample | null> {
  return (await run.poller!.pollNow()).sample;
}

export async function measureIdleCost(
  build: BuildOutputs,
  profile: QemuProfile,
  policy: IdlePolicy,
  seconds: number,
  cmdline?: string,
): Promise<IdleCost> {
  const run = await GuestRun.start({
    kernelPath: build.bootElf,
    kernelElfPath: build.kernelElf,
    profile,
    overrides: { idlePolicy: policy, ...(cmdline === undefined ? {} : { cmdline }) },
  });
  try {
    await run.waitForReady();
    await sleep(SETTLE_MS);
    const cpu = new ProcessCpuSampler(run.qemu.pid!);
    const before = await sample(run);
    await sleep(seconds * 1000);
    const hostCpuPercent = cpu.sample();
    const after = await sample(run);
    let guestHaltedShare: number | null = null;
    let haltsPerSecondPerCore: number | null = null;
    if (before !== null && after !== null) {
      const cores = coreActivity(after, before);
      const mean = (values: number[]) =>
        values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
      guestHaltedShare = mean(cores.map((core) => core.shares?.halted ?? 0));
      haltsPerSecondPerCore = mean(cores.map((core) => core.haltsPerSecond ?? 0));
    }
    return {
      policy,
      ...(cmdline === undefined ? {} : { cmdline }),
      hostCpuPercent,
      guestHaltedShare,
      haltsPerSecondPerCore,
    };
  } finally {
    await run.stop();
  }
}
