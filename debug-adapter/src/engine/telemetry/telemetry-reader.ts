// telemetry-reader.ts - the live reader of one guest: locates `toro_telemetry` in kernel.elf
// (locate-block.ts), reads it from the guest RAM file (ram-file-source.ts) and decodes it (decoder.ts).
// Never stops the VM. It is the "ram-file" TelemetrySource (telemetry-source.ts) that telemetry-poller.ts
// polls; the poller keeps the guest clock, rates and history.

import { decodeTelemetry, DecodeOptions } from "./decoder";
import { locateTelemetry, TelemetryLocation } from "./locate-block";
import { RamFileSource } from "./ram-file-source";
import { TelemetryReadResult } from "./snapshot";
import { TelemetrySource } from "./telemetry-source";

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
