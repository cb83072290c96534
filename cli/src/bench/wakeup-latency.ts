// wakeup-latency.ts - benchmark part 2: wake-up latency per idle policy, as printed by the wakeup-latency
// sample (`wakeup-latency idle=tickless p50_us=41.2 p99_us=97.0 samples=400`). Boots it with `exit` so the
// guest leaves QEMU when done. Pairs with bench-command.ts.

import { BuildOutputs, GuestRun, IdlePolicy, QemuProfile } from "@toro-studio/debug-adapter";

export const WAKEUP_TIMEOUT_MS = 180_000;

export interface WakeupLatency {
  policy: IdlePolicy;
  p50Microseconds: number;
  p99Microseconds: number;
  samples: number;
}

const RESULT_LINE = /wakeup-latency idle=(\w+) p50_us=([\d.]+) p99_us=([\d.]+) samples=(\d+)/;

/** The sample's result line, or null; `policy` is what the guest printed (checked by the caller). */
export function parseWakeupLine(
  message: string,
): (Omit<WakeupLatency, "policy"> & { policy: string }) | null {
  const match = RESULT_LINE.exec(message);
  if (match === null) return null;
  return {
    policy: match[1],
    p50Microseconds: Number(match[2]),
    p99Microseconds: Number(match[3]),
    samples: Number(match[4]),
  };
}

export async function measureWakeupLatency(
  build: BuildOutputs,
  profile: QemuProfile,
  policy: IdlePolicy,
): Promise<WakeupLatency> {
  const run = await GuestRun.start({
    kernelPath: build.bootElf,
    profile,
    overrides: { idlePolicy: policy, cmdline: "exit" },
  });
  try {
    const line = await run.qemu.serial.waitForLine(
      (candidate) => parseWakeupLine(candidate.message) !== null,
      {
        timeoutMs: WAKEUP_TIMEOUT_MS,
      },
    );
    const result = parseWakeupLine(line.message)!;
    return { ...result, policy };
  } finally {
    await run.stop();
  }
}
