// ram-file-source.ts - reads guest physical memory from QEMU's shared guest RAM file (memory-backend-file,
// share=on) with an open file descriptor and readSync: no VM stop, no QMP round trip. File offset ==
// guest physical address for RAM below 2 GiB on q35/pc/microvm. Gives decoder.ts its read function.

import * as fs from "node:fs";
import { ReadFunction } from "./decoder";

export class RamFileSource {
  private descriptor: number | undefined;

  /** Opens the file now, so reads keep working after QEMU exits and its directory is removed. */
  constructor(readonly ramPath: string) {
    this.descriptor = fs.openSync(ramPath, "r");
  }

  /** Bytes at a guest physical address; shorter than `length` past the end of guest RAM. */
  readPhysical(address: number, length: number): Buffer {
    if (this.descriptor === undefined) throw new Error(`${this.ramPath} is closed`);
    const buffer = Buffer.allocUnsafe(length);
    let filled = 0;
    while (filled < length) {
      const count = fs.readSync(this.descriptor, buffer, filled, length - filled, address + filled);
      if (count === 0) break;
      filled += count;
    }
    return buffer.subarray(0, filled);
  }

  /** A ReadFunction for the block that starts at `baseAddress`. */
  reader(baseAddress: number): ReadFunction {
    return (offset, length) => this.readPhysical(baseAddress + offset, length);
  }

  close(): void {
    if (this.descriptor !== undefined) fs.closeSync(this.descriptor);
    this.descriptor = undefined;
  }
}
