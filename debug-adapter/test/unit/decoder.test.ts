// decoder.test.ts - the telemetry decoder on synthetic blocks: a valid block, records torn or being written
// (sequence counter odd or changing), a writer racing the reader, and every kind of corrupted or truncated
// block, which must come back as { unreadable } and never as an exception. Both ABI versions: the current one
// (256 cores) and version 1 (16 cores, no hypervisor fields), which older kernels still write.

import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { decodeTelemetry, ReadFunction } from "../../src/engine/telemetry/decoder";
import { CORE_LAYOUT } from "../../src/engine/telemetry/layout";
import { isUnreadable, TelemetryReadResult, TelemetrySnapshot } from "../../src/engine/telemetry/snapshot";
import { fixturesDirectory } from "../helpers/paths";
import { CORES_OFFSET, SyntheticBlock, V1_CAPACITIES } from "../helpers/synthetic-block";

function snapshotOf(result: TelemetryReadResult): TelemetrySnapshot {
  if (isUnreadable(result)) throw new Error(`unexpectedly unreadable: ${result.unreadable}`);
  return result;
}

function unreadableReason(result: TelemetryReadResult): string {
  if (!isUnreadable(result)) throw new Error("expected the block to be unreadable");
  return result.unreadable;
}

describe("decodeTelemetry on a valid block", () => {
  it("decodes global, core, lock and thread records", () => {
    const block = new SyntheticBlock(4, 3_000_000_000);
    block.setGlobal("locks_registered", 1).setGlobal("thread_slots_used", 3).setGlobal("poll_grace_us", 500);
    block.setCore(2, "state", 1).setCore(2, "current_thread", 7).setCore(2, "halts", 12345);
    block.setCore(2, "cycles_busy", 9_000_000_000_000).setCore(2, "wakeups", 3);
    block.setCore(3, "state", 4).setCore(3, "spinning_lock", 0);
    block.setLock(0, "seq", 4).setLock(0, "name", "console").setLock(0, "owner_core", 2);
    block.setLock(0, "acquisitions", 99).setLock(0, "contentions", 5);
    block.setThread(0, "id", 7).setThread(0, "name", "worker-2").setThread(0, "core", 2);
    block.setThread(0, "state", 2).setThread(0, "switches", 41);
    block.setThread(1, "id", -1); // a freed slot below the high-water mark
    block
      .setThread(2, "id", 9)
      .setThread(2, "name", "poller")
      .setThread(2, "state", 1)
      .setThread(2, "polling", 1);

    const snapshot = snapshotOf(decodeTelemetry(block.reader(), { now: () => 42 }));
    expect(snapshot.abiVersion).toBe(2);
    expect(snapshot.hostTimeMs).toBe(42);
    expect(snapshot.tornRecords).toBe(0);
    expect(snapshot.global).toMatchObject({
      torn: false,
      idlePolicy: "tickless",
      coresDetected: 4,
      coresOnline: 4,
      tscHz: 3_000_000_000,
      readyTsc: 5000,
      pollGraceMicroseconds: 500,
      panic: null,
      cmdline: "idle=tickless",
    });
    expect(snapshot.cores.map((core) => core.index)).toEqual([0, 1, 2, 3]);
    expect(snapshot.cores[0]).toMatchObject({ state: "halted", online: true, currentThread: null });
    expect(snapshot.cores[2]).toMatchObject({
      state: "running",
      currentThread: 7,
      halts: 12345,
      cyclesBusy: 9_000_000_000_000,
      wakeups: 3,
    });
    expect(snapshot.cores[3]).toMatchObject({ state: "lock-spin", spinningLock: 0 });
    expect(snapshot.locks).toEqual([
      {
        index: 0,
        torn: false,
        name: "console",
        ownerCore: 2,
        acquisitions: 99,
        contentions: 5,
        cyclesSpun: 0,
        longestHoldCycles: 0,
      },
    ]);
    expect(snapshot.threads.map((thread) => [thread.id, thread.name, thread.state, thread.polling])).toEqual([
      [7, "worker-2", "running", false],
      [9, "poller", "ready", true],
    ]);
  });

  it("reports a panic once panic_flag is set", () => {
    const block = new SyntheticBlock();
    block
      .setGlobal("panic_flag", 1)
      .setGlobal("panic_core", 3)
      .setGlobal("panic_message", "double acquire of console");
    expect(snapshotOf(decodeTelemetry(block.reader())).global.panic).toEqual({
      core: 3,
      message: "double acquire of console",
    });
  });

  it("maps unknown enum values to 'unknown' instead of failing", () => {
    const block = new SyntheticBlock();
    block.setCore(1, "state", 77).setGlobal("idle_policy", 9);
    const snapshot = snapshotOf(decodeTelemetry(block.reader()));
    expect(snapshot.cores[1].state).toBe("unknown");
    expect(snapshot.global.idlePolicy).toBe("unknown");
  });

  it("lists cores up to cores_detected, plus any later core that is online", () => {
    const block = new SyntheticBlock(2);
    block.setCore(5, "online", 1).setCore(5, "seq", 2);
    expect(snapshotOf(decodeTelemetry(block.reader())).cores.map((core) => core.index)).toEqual([0, 1, 5]);
  });
});

describe("decodeTelemetry on both ABI versions", () => {
  it("reads the hypervisor and APIC mode of a version 2 block", () => {
    const block = new SyntheticBlock(4);
    block.setGlobal("hypervisor", 2).setGlobal("hypervisor_max_leaf", 0x40000010);
    block.buffer.write("KVMKVMKVM\0\0\0", 72 + 464, "latin1"); // global record + hypervisor_signature
    block.setGlobal("hypervisor_tsc_khz", 2_100_000).setGlobal("hypervisor_lapic_khz", 1_000_000);
    block.setGlobal("apic_mode", 1);
    const global = snapshotOf(decodeTelemetry(block.reader())).global;
    expect(global.hypervisor).toEqual({
      kind: "KVM",
      signature: "KVMKVMKVM",
      maxLeaf: 0x40000010,
      tscKhz: 2_100_000,
      lapicKhz: 1_000_000,
    });
    expect(global.apicMode).toBe("x2APIC");
  });

  it("reports absent timing leaves as null and unknown hypervisor ids as 'unknown'", () => {
    const block = new SyntheticBlock(1).setGlobal("hypervisor", 99).setGlobal("apic_mode", 7);
    const global = snapshotOf(decodeTelemetry(block.reader())).global;
    expect(global.hypervisor).toMatchObject({ kind: "unknown", signature: "", tscKhz: null, lapicKhz: null });
    expect(global.apicMode).toBe("unknown");
  });

  it("decodes a version 1 block: 16-core table, 128 thread slots, no hypervisor fields", () => {
    const block = new SyntheticBlock(16, 2_500_000_000, V1_CAPACITIES);
    expect(block.buffer.length).toBe(25160); // sizeof(struct toro_telemetry) in ABI version 1
    block.setCore(15, "state", 1).setCore(15, "halts", 77).setCore(15, "apic_id", 15);
    block.setGlobal("thread_slots_used", 128).setThread(127, "id", 42).setThread(127, "name", "last-slot");
    block.setThread(127, "core", 15).setThread(127, "state", 2);
    block.setGlobal("hypervisor", 7); // padding in version 1: must not be read as a hypervisor
    const snapshot = snapshotOf(decodeTelemetry(block.reader()));
    expect(snapshot.abiVersion).toBe(1);
    expect(snapshot.cores).toHaveLength(16);
    expect(snapshot.cores[15]).toMatchObject({ state: "running", halts: 77, apicId: 15 });
    expect(snapshot.threads).toEqual([expect.objectContaining({ id: 42, name: "last-slot", core: 15 })]);
    expect(snapshot.global).toMatchObject({ tscHz: 2_500_000_000, hypervisor: null, apicMode: null });
  });

  it("decodes a block captured from a real version 1 kernel (samples/hello, 4 vCPUs, idle)", () => {
    // Captured from guest RAM (memory-backend-file) with the kernel of commit 4f179a2, the last one with
    // ABI version 1, after `hello: done`: 25,160 bytes, gzipped.
    const captured = zlib.gunzipSync(
      fs.readFileSync(path.join(fixturesDirectory, "telemetry-v1-hello-4cores.bin.gz")),
    );
    expect(captured.length).toBe(25160);
    const snapshot = snapshotOf(
      decodeTelemetry((offset, length) => captured.subarray(offset, offset + length)),
    );
    expect(snapshot.abiVersion).toBe(1);
    expect(snapshot.tornRecords).toBe(0);
    expect(snapshot.global).toMatchObject({
      idlePolicy: "tickless",
      coresDetected: 4,
      coresOnline: 4,
      cmdline: "idle=tickless",
      panic: null,
      hypervisor: null,
      apicMode: null,
    });
    expect(snapshot.global.tscHz).toBe(2_096_036_258);
    expect(snapshot.cores.map((core) => [core.index, core.apicId, core.state, core.online])).toEqual([
      [0, 0, "halted", true],
      [1, 1, "halted", true],
      [2, 2, "halted", true],
      [3, 3, "halted", true],
    ]);
    expect(snapshot.cores[0]).toMatchObject({ contextSwitches: 4, ipisSent: 5, halts: 2 });
    expect(snapshot.threads).toEqual([expect.objectContaining({ id: 1, name: "main", state: "exited" })]);
  });

  it("decodes 64 and 256 cores, the capacity coming from the header", () => {
    for (const count of [64, 256]) {
      const block = new SyntheticBlock(count);
      block.setCore(count - 1, "state", 1).setCore(count - 1, "apic_id", 1000 + count);
      const snapshot = snapshotOf(decodeTelemetry(block.reader()));
      expect(snapshot.cores.map((core) => core.index)).toEqual([...Array(count).keys()]);
      expect(snapshot.cores[count - 1]).toMatchObject({ state: "running", apicId: 1000 + count });
    }
  });
});

describe("decodeTelemetry and the sequence counter", () => {
  it("reports a record whose counter stays odd as torn, and still decodes the rest", () => {
    const block = new SyntheticBlock();
    block.setCore(1, "seq", 7).setCore(1, "halts", 5);
    const snapshot = snapshotOf(decodeTelemetry(block.reader(), { maxRetries: 5 }));
    expect(snapshot.tornRecords).toBe(1);
    expect(snapshot.cores[1].torn).toBe(true);
    expect(snapshot.cores.filter((core) => core.torn).map((core) => core.index)).toEqual([1]);
    expect(snapshot.global.torn).toBe(false);
  });

  it("retries a record that is being written until its counter settles", () => {
    const block = new SyntheticBlock();
    block.setCore(2, "seq", 9).setCore(2, "halts", 1);
    let reads = 0;
    const read: ReadFunction = (offset, length) => {
      reads++;
      if (reads === 6) block.setCore(2, "halts", 2).setCore(2, "seq", 10); // the writer finishes
      return block.reader()(offset, length);
    };
    const snapshot = snapshotOf(decodeTelemetry(read));
    expect(snapshot.cores[2]).toMatchObject({ torn: false, halts: 2 });
    expect(snapshot.tornRecords).toBe(0);
  });

  it("retries a record whose even counter changed between the copies", () => {
    const block = new SyntheticBlock();
    block.setCore(0, "seq", 20).setCore(0, "halts", 100);
    let reads = 0;
    const read: ReadFunction = (offset, length) => {
      reads++;
      // After the header and the first bulk copy, the writer completes a whole update.
      if (reads === 3) block.setCore(0, "seq", 22).setCore(0, "halts", 101);
      return block.reader()(offset, length);
    };
    expect(snapshotOf(decodeTelemetry(read)).cores[0]).toMatchObject({ torn: false, halts: 101 });
  });

  it("never returns a mixed record while a writer races the reader", () => {
    // The writer keeps halts == poll_halts whenever its counter is even, and moves one step per read call.
    const block = new SyntheticBlock();
    const base = CORES_OFFSET + 1 * CORE_LAYOUT.size;
    let value = 0;
    let step = 0;
    const writerStep = () => {
      const seq = block.buffer.readUInt32LE(base);
      if (step % 2 === 0) {
        block.buffer.writeUInt32LE(seq + 1, base); // odd: writing
        block.setCore(1, "halts", value + 1);
      } else {
        block.setCore(1, "poll_halts", value + 1);
        value++;
        block.buffer.writeUInt32LE(seq + 1, base); // even: done
      }
      step++;
    };
    for (let round = 0; round < 50; round++) {
      const everyNth = 1 + (round % 4);
      let calls = 0;
      const read: ReadFunction = (offset, length) => {
        if (calls++ % everyNth === 0) writerStep();
        return block.reader()(offset, length);
      };
      const core = snapshotOf(decodeTelemetry(read, { maxRetries: 8 })).cores[1];
      if (!core.torn) expect(core.halts).toBe(core.pollHalts);
    }
  });
});

describe("decodeTelemetry on bad blocks reports unreadable, never throws", () => {
  it("explains an all-zero block (kernel not started yet)", () => {
    const zero = Buffer.alloc(30000);
    const reason = unreadableReason(
      decodeTelemetry((offset, length) => Buffer.from(zero.subarray(offset, offset + length))),
    );
    expect(reason).toMatch(/all zero/);
  });

  it("rejects a corrupted magic", () => {
    const block = new SyntheticBlock().setHeader("magic", 0x1234n);
    expect(unreadableReason(decodeTelemetry(block.reader()))).toMatch(/bad magic 0x1234/);
  });

  it("rejects an ABI version it does not know", () => {
    for (const version of [0, 3]) {
      const block = new SyntheticBlock().setHeader("abi_version", version);
      expect(unreadableReason(decodeTelemetry(block.reader()))).toMatch(
        new RegExp(`ABI version ${version}, this engine decodes versions 1, 2`),
      );
    }
  });

  it.each([
    ["header_size", 64],
    ["global_size", 500],
    ["core_record_size", 128],
    ["lock_record_size", 0],
    ["thread_record_size", 4096],
    ["name_length", 16],
  ] as const)("rejects a wrong %s", (field, value) => {
    const block = new SyntheticBlock().setHeader(field, value);
    expect(unreadableReason(decodeTelemetry(block.reader()))).toContain(`${field} is ${value}`);
  });

  it("rejects absurd capacities and sizes", () => {
    expect(
      unreadableReason(decodeTelemetry(new SyntheticBlock().setHeader("core_capacity", 0).reader())),
    ).toMatch(/core_capacity is 0/);
    expect(
      unreadableReason(
        decodeTelemetry(new SyntheticBlock().setHeader("thread_capacity", 1_000_000).reader()),
      ),
    ).toMatch(/thread_capacity/);
    expect(
      unreadableReason(decodeTelemetry(new SyntheticBlock().setHeader("total_size", 0xffffffff).reader())),
    ).toMatch(/total_size/);
  });

  it("rejects a section that does not fit or overlaps another", () => {
    expect(
      unreadableReason(decodeTelemetry(new SyntheticBlock().setHeader("total_size", 20000).reader())),
    ).toMatch(/section cores at offset 584 \(256 x 256 bytes\) does not fit/);
    const block = new SyntheticBlock();
    expect(
      unreadableReason(decodeTelemetry(block.setHeader("total_size", block.buffer.length - 8).reader())),
    ).toMatch(/section threads .* does not fit/);
    expect(
      unreadableReason(decodeTelemetry(new SyntheticBlock().setHeader("locks_offset", 1000).reader())),
    ).toMatch(/overlap/);
    expect(
      unreadableReason(decodeTelemetry(new SyntheticBlock().setHeader("cores_offset", 580).reader())),
    ).toMatch(/8-aligned/);
  });

  it("reports a truncated source (the RAM file ends inside the block)", () => {
    const block = new SyntheticBlock();
    expect(block.buffer.length).toBe(72 + 512 + 256 * 256 + 64 * 128 + 512 * 96); // sizeof(struct toro_telemetry)
    expect(unreadableReason(decodeTelemetry(block.reader(10000)))).toMatch(
      /truncated.*needs 123464 bytes.*10000/,
    );
    expect(unreadableReason(decodeTelemetry(block.reader(40)))).toMatch(
      /truncated: only 40 of the 72 header bytes/,
    );
    expect(unreadableReason(decodeTelemetry(block.reader(0)))).toMatch(/truncated/);
  });

  it("reports a read function that throws", () => {
    const reason = unreadableReason(
      decodeTelemetry(() => {
        throw new Error("EIO");
      }),
    );
    expect(reason).toMatch(/reading the block failed: EIO/);
  });

  it("survives random corruption of the header without throwing", () => {
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let round = 0; round < 300; round++) {
      const block = new SyntheticBlock();
      const position = 8 + Math.floor(random() * 64);
      block.buffer[position] = Math.floor(random() * 256);
      expect(() => decodeTelemetry(block.reader())).not.toThrow();
    }
  });
});
