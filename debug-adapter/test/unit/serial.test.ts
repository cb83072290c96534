// serial.test.ts - serial output split into lines (chunks cut anywhere, CRLF, UTF-8 split across chunks),
// the core prefix, waiting for a line (timeout, end of output), the async iterator, and the line parsers.

import { describe, expect, it } from "vitest";
import { SerialConsole } from "../../src/engine/qemu/serial-console";
import {
  parseEntryToReadyLine,
  parseReadyLine,
  parseSelftestSummary,
  parseSerialLine,
} from "../../src/engine/qemu/serial-line";
import { SerialTimeoutError } from "../../src/engine/qemu/errors";

describe("SerialConsole", () => {
  it("splits chunks into lines wherever they are cut, dropping CR", () => {
    const serial = new SerialConsole();
    const seen: string[] = [];
    serial.onLine((line) => seen.push(line.text));
    serial.push("[cpu0] hel");
    serial.push("lo\r\n[cpu1] wor");
    serial.push(Buffer.from("ld \xe2\x9c\x93".slice(0, 3), "latin1"));
    serial.push(Buffer.from([0xe2, 0x9c]));
    serial.push(Buffer.from([0x93, 0x0d, 0x0a]));
    serial.push("tail without newline");
    expect(seen).toEqual(["[cpu0] hello", "[cpu1] world ✓"]);
    serial.end(() => new Error("ended"));
    expect(serial.lines.map((line) => [line.core, line.message])).toEqual([
      [0, "hello"],
      [1, "world ✓"],
      [null, "tail without newline"],
    ]);
    expect(serial.nextIndex).toBe(3);
  });

  it("resolves waitForLine with a line already received or arriving later", async () => {
    const serial = new SerialConsole();
    serial.push("[cpu0] first\n");
    await expect(serial.waitForLine(/first/, { timeoutMs: 100 })).resolves.toMatchObject({
      message: "first",
    });
    const later = serial.waitForLine((line) => line.core === 2, {
      timeoutMs: 5000,
      fromIndex: serial.nextIndex,
    });
    serial.push("[cpu1] not me\n[cpu2] me\n");
    await expect(later).resolves.toMatchObject({ message: "me" });
  });

  it("rejects waitForLine on timeout with the last lines, and when the output ends", async () => {
    const serial = new SerialConsole();
    serial.push("[cpu0] booting\n");
    const timeout = serial.waitForLine(/never/, { timeoutMs: 20 });
    await expect(timeout).rejects.toBeInstanceOf(SerialTimeoutError);
    await expect(timeout).rejects.toThrow(
      /no serial line matching \/never\/ within 20 ms; last lines:\n {2}\[cpu0\] booting/,
    );
    const pending = serial.waitForLine(/never/, { timeoutMs: 5000 });
    serial.end((waitingFor) => new Error(`gone while ${waitingFor}`));
    await expect(pending).rejects.toThrow(/gone while waiting for a serial line/);
    await expect(serial.waitForLine(/never/, { timeoutMs: 5000 })).rejects.toThrow(/gone while/);
  });

  it("iterates every line, then new ones, and finishes at the end", async () => {
    const serial = new SerialConsole();
    serial.push("one\n");
    const collected: string[] = [];
    const done = (async () => {
      for await (const line of serial) collected.push(line.text);
    })();
    await new Promise((resolve) => setTimeout(resolve, 5));
    serial.push("two\nthree\n");
    await new Promise((resolve) => setTimeout(resolve, 5));
    serial.end(() => new Error("ended"));
    await done;
    expect(collected).toEqual(["one", "two", "three"]);
  });
});

describe("serial line parsers", () => {
  it("parses the core prefix", () => {
    expect(parseSerialLine("[cpu12] x y", 5)).toEqual({
      text: "[cpu12] x y",
      core: 12,
      message: "x y",
      receivedAtMs: 5,
    });
    expect(parseSerialLine("SeaBIOS", 1)).toMatchObject({ core: null, message: "SeaBIOS" });
  });

  it("recognises the ready line and the self-test summary", () => {
    expect(parseReadyLine("toro: ready cores=4 idle=tickless")).toEqual({ cores: 4, idlePolicy: "tickless" });
    expect(parseEntryToReadyLine("toro: kernel entry to ready 12345 us")).toBe(12345);
    expect(parseEntryToReadyLine("toro: kernel entry to ready soon")).toBeNull();
    expect(parseReadyLine("toro: booting")).toBeNull();
    expect(parseSelftestSummary("selftest: 9 passed, 0 failed")).toEqual({ passed: 9, failed: 0 });
    expect(parseSelftestSummary("passed")).toBeNull();
  });
});
