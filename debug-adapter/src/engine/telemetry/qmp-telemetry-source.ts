// qmp-telemetry-source.ts - the telemetry block of a QEMU the engine did not start (no RAM file of ours),
// read through QMP memory reads (../qemu/qmp-memory.ts) without stopping the VM, then decoded by decoder.ts
// over successive captures. One snapshot = four captures (header, then the whole block three times:
// sequence numbers before, records, sequence numbers after), ~4 ms with pmemsave. The decoder's seqlock
// check needs each read to happen after the previous one: the k-th read is answered from the k-th capture.
// A record that was being written makes the whole snapshot be taken again (up to `attempts` times), since a
// capture cannot be re-read.

import { ReadFunction, decodeTelemetry } from "./decoder";
import { performance } from "node:perf_hooks";
import { QmpClient } from "../qemu/qmp-client";
import { QmpMemoryOptions, QmpMemoryReader } from "../qemu/qmp-memory";
import { HEADER_LAYOUT } from "./layout";
import { locateTelemetry, TelemetryLocation, TelemetrySource } from "./telemetry-reader";
import { TelemetryReadResult } from "./snapshot";

export interface Capture {
  /** Offset of `bytes` from the start of the block. */
  offset: number;
  bytes: Buffer;
}

export class CapturesExhaustedError extends Error {}

export function successiveCaptures(captures: Capture[]): ReadFunction {
  let next = 0;
  return (offset, length) => {
    const capture = captures[next++];
    if (capture === undefined) {
      throw new CapturesExhaustedError(
        `read ${next} needs a capture taken after the ${captures.length} taken`,
      );
    }
    const start = offset - capture.offset;
    if (start < 0) throw new RangeError(`capture ${next - 1} starts after offset ${offset}`);
    // Shorter than asked when the capture ends early: the decoder reports the block as truncated.
    return Buffer.from(capture.bytes.subarray(start, start + length));
  };
}

export const DEFAULT_SNAPSHOT_ATTEMPTS = 3;

export interface QmpTelemetryOptions extends QmpMemoryOptions {
  /** Snapshots taken when records keep showing torn; the last one is returned as is. Default 3. */
  attempts?: number;
}

export class QmpTelemetrySource implements TelemetrySource {
  readonly kind = "qmp" as const;
  readonly memory: QmpMemoryReader;
  private closed = false;

  /**
   * `qmp` stays the caller's (it is not closed here). `location` comes from the kernel.elf the guest runs
   * (locateTelemetry), as for the RAM file.
   */
  constructor(
    qmp: QmpClient,
    readonly location: TelemetryLocation,
    private readonly options: QmpTelemetryOptions = {},
  ) {
    this.memory = new QmpMemoryReader(qmp, options);
  }

  /** Locates `toro_telemetry` in `kernelElfPath`; throws if the symbol is missing (a build problem). */
  static forKernel(qmp: QmpClient, kernelElfPath: string, options?: QmpTelemetryOptions): QmpTelemetrySource {
    return new QmpTelemetrySource(qmp, locateTelemetry(kernelElfPath), options);
  }

  async read(): Promise<TelemetryReadResult> {
    const attempts = Math.max(1, this.options.attempts ?? DEFAULT_SNAPSHOT_ATTEMPTS);
    let result: TelemetryReadResult | undefined;
    for (let attempt = 0; attempt < attempts; attempt++) {
      result = await this.readOnce();
      if ("unreadable" in result || result.tornRecords === 0) return result;
    }
    return result!;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.memory.close();
  }

  private async readOnce(): Promise<TelemetryReadResult> {
    if (this.closed)
      return { unreadable: "the QMP telemetry source is closed", hostTimeMs: performance.now() };
    const base = this.location.physicalAddress;
    try {
      const header = await this.memory.read(base, HEADER_LAYOUT.size);
      const before = await this.memory.read(base, this.location.size);
      const data = await this.memory.read(base, this.location.size);
      const dataTimeMs = performance.now();
      const after = await this.memory.read(base, this.location.size);
      const captures = [header, before, data, after].map((bytes) => ({ offset: 0, bytes }));
      return decodeTelemetry(successiveCaptures(captures), { maxRetries: 0, now: () => dataTimeMs });
    } catch (error) {
      return {
        unreadable: `reading the block through QMP failed: ${(error as Error).message}`,
        hostTimeMs: performance.now(),
      };
    }
  }
}
