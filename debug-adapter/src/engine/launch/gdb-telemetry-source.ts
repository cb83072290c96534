// gdb-telemetry-source.ts - the last-resort TelemetrySource for an attached QEMU without a QMP socket: reads
// the block through GDB, but ONLY while the VM is already stopped (a GDB packet would stop a running VM,
// which live telemetry must never do); while it runs the result is unreadable with the reason. Pairs with
// ../telemetry/telemetry-source.ts; the RAM-file and QMP sources are preferred whenever available.

import { performance } from "node:perf_hooks";
import { readMemory, type GdbClient } from "../../gdb";
import { decodeTelemetry } from "../telemetry/decoder";
import type { TelemetryLocation, TelemetrySource } from "../telemetry/telemetry-reader";
import type { TelemetryReadResult } from "../telemetry/snapshot";

export class GdbTelemetrySource implements TelemetrySource {
  readonly kind = "gdb" as const;
  private closed = false;

  constructor(
    private readonly gdb: GdbClient,
    private readonly location: TelemetryLocation,
  ) {}

  async read(): Promise<TelemetryReadResult> {
    if (this.closed) return { unreadable: "the telemetry source is closed", hostTimeMs: performance.now() };
    if (this.gdb.state !== "stopped") {
      return {
        unreadable:
          "live telemetry of an attached VM needs its QMP socket (attach argument qmpSocket); " +
          "without it the block is read only while the VM is stopped",
        hostTimeMs: performance.now(),
      };
    }
    try {
      const blocks = await readMemory(this.gdb, BigInt(this.location.virtualAddress), this.location.size);
      const bytes = blocks.length === 1 ? blocks[0].bytes : Buffer.alloc(0);
      // The VM is stopped: no record can change between reads, so one copy answers every read.
      return decodeTelemetry((offset, length) => Buffer.from(bytes.subarray(offset, offset + length)));
    } catch (error) {
      return {
        unreadable: `reading the block through GDB failed: ${(error as Error).message}`,
        hostTimeMs: performance.now(),
      };
    }
  }

  close(): void {
    this.closed = true;
  }
}
