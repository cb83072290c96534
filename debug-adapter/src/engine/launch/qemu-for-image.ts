// qemu-for-image.ts - starts QEMU for a kernel image that may still be building. Most launches rebuild
// nothing (make finds everything up to date), so QEMU is started at once with the boot.elf already on disk,
// while make runs. Once the build is done, that file must be the very one QEMU read: same device, inode,
// size, modification and change time as when it was looked at just before QEMU was spawned. If the build
// changed it (or there was none yet), that QEMU is stopped and another started with the new image.
// Invariant: QEMU is started with -S, so no instruction of a stale image ever runs. Used by launch-target.ts
// and run-target.ts.

import * as fs from "node:fs";
import type { QemuInstance } from "../qemu/qemu-instance";
import type { KernelImage } from "./kernel-image";

/** A kernel image to prepare: where the file QEMU boots will be, and how to get it (build or lookup). */
export interface ImagePreparation {
  /**
   * The path of the file QEMU boots once prepared (from the build plan): boot.elf unless `bootFile` says
   * otherwise; undefined when unknown, or when the build may change it in ways its identity would not show.
   */
  expectedBootElf: string | undefined;
  /** Starts the build (or lookup). Called once QEMU's start is under way, so the two overlap. */
  prepare: () => Promise<KernelImage>;
  /** Which file of the prepared image QEMU boots (kernel-image.ts, bootFileFor); default its boot.elf. */
  bootFile?: (image: KernelImage) => string;
}

type FileIdentity = Pick<fs.BigIntStats, "dev" | "ino" | "size" | "mtimeNs" | "ctimeNs">;

function identify(file: string): FileIdentity | undefined {
  try {
    const { dev, ino, size, mtimeNs, ctimeNs } = fs.statSync(file, { bigint: true });
    return { dev, ino, size, mtimeNs, ctimeNs };
  } catch {
    return undefined;
  }
}

function sameFile(before: FileIdentity, after: FileIdentity | undefined): boolean {
  return (
    after !== undefined &&
    before.dev === after.dev &&
    before.ino === after.ino &&
    before.size === after.size &&
    before.mtimeNs === after.mtimeNs &&
    before.ctimeNs === after.ctimeNs
  );
}

type Attempt = { qemu: QemuInstance } | { error: unknown };

/**
 * Starts QEMU and the image's preparation together. `qemu` resolves with QEMU booting (held at reset) the
 * image the preparation produced; a failed build rejects both promises with its own error, before any QEMU
 * error, and leaves no QEMU behind; so does a QEMU that fails to start.
 */
export function startQemuForImage(
  preparation: ImagePreparation,
  start: (bootElf: string) => Promise<QemuInstance>,
  log?: (text: string) => void,
): { image: Promise<KernelImage>; qemu: Promise<QemuInstance> } {
  const expected = preparation.expectedBootElf;
  const before = expected === undefined ? undefined : identify(expected);
  const early: Promise<Attempt> | undefined =
    before === undefined
      ? undefined
      : start(expected!).then(
          (qemu) => ({ qemu }),
          (error: unknown) => ({ error }),
        );
  const image = preparation.prepare();
  const bootFile = preparation.bootFile ?? ((built: KernelImage) => built.bootElf);
  const qemu = (async () => {
    let built: KernelImage;
    try {
      built = await image;
    } catch (error) {
      const attempt = await early;
      if (attempt !== undefined && "qemu" in attempt) await attempt.qemu.stop();
      throw error;
    }
    if (early !== undefined) {
      const attempt = await early;
      if (bootFile(built) === expected && sameFile(before!, identify(bootFile(built)))) {
        if ("error" in attempt) throw attempt.error;
        return attempt.qemu;
      }
      log?.(`the build changed ${bootFile(built)}: starting QEMU again with the new image`);
      if ("qemu" in attempt) await attempt.qemu.stop();
    }
    return start(bootFile(built));
  })();
  return { image, qemu };
}
