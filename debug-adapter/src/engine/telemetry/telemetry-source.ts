// telemetry-source.ts - where a telemetry snapshot comes from: the guest RAM file of a QEMU the engine
// started (telemetry-reader.ts, synchronous, ~0.1 ms) or QMP memory reads of a QEMU it attached to
// (qmp-telemetry-source.ts, asynchronous, a few ms). telemetry-poller.ts polls either one the same way.

import { TelemetryReadResult } from "./snapshot";

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
