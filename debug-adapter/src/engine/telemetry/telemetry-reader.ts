// telemetry-reader.ts - the live reader of one guest: locates `toro_telemetry` in kernel.elf
// (locate-block.ts), reads it from the guest RAM file (ram-file-source.ts), decodes it (decoder.ts) and keeps
// the guest clock estimate (guest-clock.ts) so each sample carries the guest's "now". Never stops the VM.
// It is the "ram-file" TelemetrySource (telemetry-source.ts) that telemetry-poller.ts polls.

import { performance } from "node:perf_hooks";
import { decodeTelemetry, DecodeOptions } from "./decoder";
import { TelemetrySample } from "./derived";
import { GuestClock } from "./guest-clock";
import { locateTelemetry, TelemetryLocation } from "./locate-block";
import { RamFileSource } from "./ram-file-source";
import { isUnreadable, TelemetryReadResult } from "./snapshot";
import { TelemetrySource } from "./telemetry-source";

export class TelemetryReader implements TelemetrySource {
  readonly kind = "ram-file" as const;
  readonly location: TelemetryLocation;
  readonly clock = new GuestClock();
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

  /** A decoded snapshot with the estimated guest TSC at its read time, or the reason it is unreadable. */
  sample(): TelemetrySample | { unreadable: string } {
    const result = this.read();
    if (isUnreadable(result)) return { unreadable: result.unreadable };
    this.clock.observe(result);
    return { snapshot: result, guestNowTsc: this.clock.estimate(result.hostTimeMs) };
  }

  /** Anchors the guest clock: the guest TSC was `tsc` at host time `hostMs` (e.g. ready_tsc and the ready line). */
  anchorClock(tsc: number, hostMs: number = performance.now()): void {
    this.clock.anchor(tsc, hostMs);
  }

  close(): void {
    this.source.close();
  }
}
