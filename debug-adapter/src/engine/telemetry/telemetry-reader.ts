// telemetry-reader.ts - where the telemetry block is and how its bytes are reached without stopping the VM:
// the TelemetrySource contract that telemetry-poller.ts polls (this RAM-file reader, synchronous, ~0.1 ms;
// or qmp-telemetry-source.ts for a QEMU the engine attached to, a few ms); the block's physical address
// from kernel.elf's `toro_telemetry` symbol through the ELF program headers (../elf/symbols.ts); QEMU's
// shared guest RAM file read with readSync (file offset == guest physical address for RAM below 2 GiB on
// q35/pc/microvm); and TelemetryReader, which decodes what it reads (decoder.ts). The poller keeps the guest
// clock, rates and history.

import * as fs from "node:fs";
import { TelemetryReadResult } from "./snapshot";
import { ToroError } from "../errors";
import { ElfFile } from "../elf/elf-file";
import { findSymbol, virtualToPhysical } from "../elf/symbols";
import { BLOCK_LAYOUT, HEADER_LAYOUT, TELEMETRY_SYMBOL } from "./layout";
import { ReadFunction, decodeTelemetry, DecodeOptions } from "./decoder";

/** "gdb": read through GDB while the VM is stopped (../launch/gdb-telemetry-source.ts, attach without QMP). */
export type TelemetrySourceKind = "ram-file" | "qmp" | "gdb";

export interface TelemetrySource {
  readonly kind: TelemetrySourceKind;
  /** Reads and decodes the block once, without stopping the VM. Never throws or rejects: an unreadable
   * result says why (not booted yet, QEMU gone, ...). */
  read(): TelemetryReadResult | Promise<TelemetryReadResult>;
  /** Releases what the source holds (file descriptor, private directory); reads afterwards are unreadable. */
  close(): void | Promise<void>;
}

export interface TelemetryLocation {
  virtualAddress: bigint;
  /** Guest physical address; equal to the offset in the guest RAM file (RAM below 2 GiB on q35/pc). */
  physicalAddress: number;
  /** st_size of the symbol: sizeof(struct toro_telemetry) in the kernel that was built. */
  size: number;
}

export class TelemetryLocationError extends ToroError {}

export function locateTelemetry(kernelElfPath: string): TelemetryLocation {
  const elf = ElfFile.read(kernelElfPath);
  const symbol = findSymbol(elf, TELEMETRY_SYMBOL);
  const physical = virtualToPhysical(elf, symbol.value);
  if (physical === undefined) {
    throw new TelemetryLocationError(
      `${kernelElfPath}: ${TELEMETRY_SYMBOL} at 0x${symbol.value.toString(16)} is in no loaded segment`,
    );
  }
  if (physical >= 0x80000000n) {
    throw new TelemetryLocationError(
      `${kernelElfPath}: ${TELEMETRY_SYMBOL} is at physical 0x${physical.toString(16)}; the RAM-file reader only maps RAM below 2 GiB`,
    );
  }
  // The size only has to hold a header here; the decoder checks the header's own sizes and capacities.
  if (symbol.size < HEADER_LAYOUT.size) {
    throw new TelemetryLocationError(
      `${kernelElfPath}: ${TELEMETRY_SYMBOL} is ${symbol.size} bytes, too small for a telemetry block (struct toro_telemetry is ${BLOCK_LAYOUT.size})`,
    );
  }
  return { virtualAddress: symbol.value, physicalAddress: Number(physical), size: symbol.size };
}

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

export class TelemetryReader implements TelemetrySource {
  readonly kind = "ram-file" as const;
  readonly location: TelemetryLocation;
  private readonly source: RamFileSource;

  /** Throws if the symbol is missing (a build problem); reading itself never throws. */
  constructor(
    kernelElfPath: string,
    ramPath: string,
    private readonly options: DecodeOptions = {},
  ) {
    this.location = locateTelemetry(kernelElfPath);
    this.source = new RamFileSource(ramPath);
  }

  read(): TelemetryReadResult {
    return decodeTelemetry(this.source.reader(this.location.physicalAddress), this.options);
  }

  close(): void {
    this.source.close();
  }
}
