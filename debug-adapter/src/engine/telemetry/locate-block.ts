// locate-block.ts - where the telemetry block lives in guest physical memory: the `toro_telemetry` symbol of
// kernel.elf (address, size) translated to a physical address through the ELF program headers. Pairs with
// ../elf/symbols.ts and ram-file-source.ts.

import { ToroError } from "../errors";
import { ElfFile } from "../elf/elf-file";
import { findSymbol, virtualToPhysical } from "../elf/symbols";
import { BLOCK_LAYOUT, HEADER_LAYOUT, TELEMETRY_SYMBOL } from "./layout";

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
