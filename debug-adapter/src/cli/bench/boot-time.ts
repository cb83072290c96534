// boot-time.ts - benchmark part 3: time from spawning QEMU to the kernel's `toro: ready` line, for one boot.
// Pairs with bench-command.ts, which takes the median of several.

import { BuildOutputs } from "../../engine/build/build-runner";
import { QemuProfile } from "../../engine/profiles/profile";
import { GuestRun } from "../../engine/run/guest-run";

export async function measureBootTime(build: BuildOutputs, profile: QemuProfile): Promise<number> {
  const run = await GuestRun.start({ kernelPath: build.bootElf, profile });
  try {
    const ready = await run.waitForReady();
    return ready.receivedAtMs - run.qemu.startedAtMs;
  } finally {
    await run.stop();
  }
}
