// qmp-telemetry.test.ts - the pure parts of the QMP telemetry fallback: parsing `xp /Nxg` text into bytes,
// and decoding through successive captures (each read from its own, later copy) with the seqlock check
// still catching a record that a writer changed between the "before" and "after" copies.

import { describe, expect, it } from "vitest";
import { decodeTelemetry } from "../../src/engine/telemetry/decoder";
import { HEADER_LAYOUT } from "../../src/engine/telemetry/layout";
import { isUnreadable, TelemetrySnapshot } from "../../src/engine/telemetry/snapshot";
import { successiveCaptures } from "../../src/engine/telemetry/qmp-telemetry-source";
import { parseXpWords } from "../../src/engine/qemu/qmp-memory";
import { SyntheticBlock } from "../helpers/synthetic-block";

function snapshotOf(result: ReturnType<typeof decodeTelemetry>): TelemetrySnapshot {
  if (isUnreadable(result)) throw new Error(`unexpectedly unreadable: ${result.unreadable}`);
  return result;
}

describe("parseXpWords", () => {
  it("turns xp /Nxg lines into little-endian bytes", () => {
    const text =
      "000000000010d000: 0x4d4c45544f524f54 0x0000624800000001\r\n" +
      "000000000010d010: 0x0000004800000048 0xffffffffffffffff\r\n";
    const bytes = parseXpWords(text, 0x10d000);
    expect(bytes.length).toBe(32);
    expect(bytes.subarray(0, 8).toString("latin1")).toBe("TOROTELM");
    expect(bytes.readUInt32LE(8)).toBe(1);
    expect(bytes.readUInt32LE(12)).toBe(0x6248);
    expect(bytes.readBigUInt64LE(24)).toBe(0xffffffffffffffffn);
  });

  it("stops at a line that is not the next address (an error message, a gap)", () => {
    const text =
      "0000000000001000: 0x0000000000000011 0x0000000000000022\n" +
      "Cannot access memory\n" +
      "0000000000001010: 0x0000000000000033\n";
    expect(parseXpWords(text, 0x1000).length).toBe(16);
    expect(parseXpWords("0000000000002000: 0x1\n", 0x1000).length).toBe(0);
  });
});

describe("successiveCaptures", () => {
  it("answers the k-th read from the k-th capture and refuses a read past the last one", () => {
    const read = successiveCaptures([
      { offset: 0, bytes: Buffer.from([1, 2, 3]) },
      { offset: 0, bytes: Buffer.from([4, 5, 6]) },
    ]);
    expect([...read(1, 2)]).toEqual([2, 3]);
    expect([...read(0, 5)]).toEqual([4, 5, 6]); // short: the capture ends there
    expect(() => read(0, 1)).toThrow(/needs a capture taken after the 2 taken/);
  });

  it("decodes the same snapshot as a direct read when nothing changes", () => {
    const block = new SyntheticBlock(4);
    block.setCore(1, "halts", 77).setCore(2, "state", 1);
    const direct = snapshotOf(decodeTelemetry(block.reader(), { now: () => 1 }));
    const copies = [block.buffer.subarray(0, HEADER_LAYOUT.size), block.buffer, block.buffer, block.buffer];
    const captured = snapshotOf(
      decodeTelemetry(successiveCaptures(copies.map((bytes) => ({ offset: 0, bytes: Buffer.from(bytes) }))), {
        maxRetries: 0,
        now: () => 1,
      }),
    );
    expect(captured).toEqual(direct);
  });

  it("marks a record torn when it changed between the captures around the data copy", () => {
    const block = new SyntheticBlock(4);
    const header = Buffer.from(block.buffer.subarray(0, HEADER_LAYOUT.size));
    const before = Buffer.from(block.buffer);
    block.setCore(2, "seq", 3).setCore(2, "halts", 5); // the writer is inside core 2's record
    const data = Buffer.from(block.buffer);
    block.setCore(2, "seq", 4);
    const after = Buffer.from(block.buffer);
    const captures = [header, before, data, after].map((bytes) => ({ offset: 0, bytes }));
    const snapshot = snapshotOf(decodeTelemetry(successiveCaptures(captures), { maxRetries: 0 }));
    expect(snapshot.tornRecords).toBe(1);
    expect(snapshot.cores.map((core) => core.torn)).toEqual([false, false, true, false]);
  });

  it("reports a block bigger than the captures as truncated, not as an exception", () => {
    const block = new SyntheticBlock(2);
    const short = Buffer.from(block.buffer.subarray(0, 1024));
    const captures = [short, short, short, short].map((bytes) => ({ offset: 0, bytes }));
    const result = decodeTelemetry(successiveCaptures(captures), { maxRetries: 0 });
    expect(isUnreadable(result) && result.unreadable).toMatch(/truncated/);
  });
});
