// qemu-for-image.test.ts - QEMU started while the image builds (src/engine/launch/qemu-for-image.ts), with a
// stand-in for QEMU: kept when the build left boot.elf untouched, replaced when the build changed it or
// when there was none yet, stopped when the build fails (whose error wins), and an early start's failure
// reported only when the image it was given is the final one.

import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { KernelImage } from "../../src/engine/launch/kernel-image";
import { startQemuForImage } from "../../src/engine/launch/qemu-for-image";
import type { QemuInstance } from "../../src/engine/qemu/qemu-instance";
import { makeScratch, removeScratch } from "../helpers/paths";

interface FakeQemu {
  bootElf: string;
  content: string;
  stopped: boolean;
}

let scratch: string;
let bootElf: string;
let started: FakeQemu[];

beforeEach(() => {
  scratch = makeScratch("qemu-for-image");
  bootElf = path.join(scratch, "build", "boot.elf");
  started = [];
});

afterEach(() => removeScratch(scratch));

/** A QEMU stand-in that "reads" the image when it starts, or fails to start when told to. */
function starter(failWhen: (content: string) => boolean = () => false) {
  return async (file: string): Promise<QemuInstance> => {
    const content = fs.readFileSync(file, "utf8");
    if (failWhen(content)) throw new Error(`cannot boot ${content}`);
    const fake: FakeQemu = { bootElf: file, content, stopped: false };
    started.push(fake);
    return { stop: async () => void (fake.stopped = true) } as unknown as QemuInstance;
  };
}

function writeImage(content: string): void {
  fs.mkdirSync(path.dirname(bootElf), { recursive: true });
  fs.writeFileSync(bootElf, content);
}

/** A preparation whose build runs `during` (e.g. rewrites boot.elf), or fails with `failure`. */
function preparation(during: () => void = () => undefined, failure?: Error) {
  const image: KernelImage = { bootElf, kernelElf: path.join(scratch, "build", "kernel.elf") };
  return {
    expectedBootElf: bootElf,
    prepare: async () => {
      await new Promise((resolve) => setTimeout(resolve, 5)); // QEMU has started by now
      during();
      if (failure !== undefined) throw failure;
      return image;
    },
  };
}

describe("startQemuForImage", () => {
  it("keeps the QEMU started early when the build left boot.elf as it was", async () => {
    writeImage("old");
    await startQemuForImage(preparation(), starter()).qemu;
    expect(started).toEqual([{ bootElf, content: "old", stopped: false }]);
  });

  it("starts QEMU again when the build changed boot.elf", async () => {
    writeImage("old");
    await startQemuForImage(
      preparation(() => writeImage("new")),
      starter(),
    ).qemu;
    expect(started.map(({ content, stopped }) => ({ content, stopped }))).toEqual([
      { content: "old", stopped: true },
      { content: "new", stopped: false },
    ]);
  });

  it("starts QEMU once the build is done when there was no image yet", async () => {
    await startQemuForImage(
      preparation(() => writeImage("first")),
      starter(),
    ).qemu;
    expect(started.map(({ content }) => content)).toEqual(["first"]);
  });

  it("stops the early QEMU and reports the build's error when the build fails", async () => {
    writeImage("old");
    const failure = new Error("the build failed");
    const { qemu, image } = startQemuForImage(preparation(undefined, failure), starter());
    await expect(image).rejects.toBe(failure);
    await expect(qemu).rejects.toBe(failure);
    expect(started).toEqual([{ bootElf, content: "old", stopped: true }]);
  });

  it("reports an early start's failure only for the final image", async () => {
    writeImage("broken");
    await expect(
      startQemuForImage(
        preparation(),
        starter((content) => content === "broken"),
      ).qemu,
    ).rejects.toThrow("cannot boot broken");
    await startQemuForImage(
      preparation(() => writeImage("fixed")),
      starter((content) => content === "broken"),
    ).qemu;
    expect(started.map(({ content }) => content)).toEqual(["fixed"]);
  });
});
