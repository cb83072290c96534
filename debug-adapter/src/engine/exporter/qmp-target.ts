// qmp-target.ts - a VM the exporter reaches only by its QMP socket (`toro exporter --qmp PATH`): a QEMU started
// elsewhere, whose RAM is no file of ours. Its telemetry is read with the existing QMP source
// (../telemetry/qmp-telemetry-source.ts: pmemsave, never stopping the VM). Without a kernel.elf the block is
// found by its self-describing header: the first page-aligned "TOROTELM" magic of a supported ABI version
// between 1 MiB and 64 MiB of guest physical memory (where the kernel is loaded), remembered until a read
// fails. QEMU's pid (for its host CPU) is the process of this user whose command line names the socket.
// The QMP connection is held between scrapes (QEMU's QMP socket serves one client) and reopened after a loss.

import * as fs from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { QmpClient } from "../qemu/qmp-client";
import { QmpMemoryReader } from "../qemu/qmp-memory";
import { HEADER_LAYOUT, SUPPORTED_ABI_VERSIONS, TELEMETRY_MAGIC } from "../telemetry/layout";
import { QmpTelemetrySource } from "../telemetry/qmp-telemetry-source";
import { TelemetryReadResult } from "../telemetry/snapshot";

const SCAN_START = 0x100000;
const SCAN_END = 64 * 0x100000;
const SCAN_CHUNK = 0x100000;
const PAGE = 0x1000;
const CONNECT_TIMEOUT_MS = 2000;

/** The physical address and size of the telemetry block in `chunk` (read at `base`), or undefined. */
export function findTelemetryHeader(
  chunk: Buffer,
  base: number,
): { physicalAddress: number; size: number } | undefined {
  const fields = HEADER_LAYOUT.fields;
  for (let offset = 0; offset + HEADER_LAYOUT.size <= chunk.length; offset += PAGE) {
    if (chunk.readBigUInt64LE(offset + fields.magic.offset) !== TELEMETRY_MAGIC) continue;
    const version = chunk.readUInt32LE(offset + fields.abi_version.offset);
    const size = chunk.readUInt32LE(offset + fields.total_size.offset);
    if (SUPPORTED_ABI_VERSIONS.includes(version) && size >= HEADER_LAYOUT.size) {
      return { physicalAddress: base + offset, size };
    }
  }
  return undefined;
}

/** The pid of this user's process whose arguments contain `socketPath` (QEMU's -qmp / -chardev), or null. */
export function findProcessNaming(socketPath: string): number | null {
  const uid = process.getuid?.();
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  for (const entry of entries) {
    try {
      if (uid !== undefined && fs.statSync(`/proc/${entry}`).uid !== uid) continue;
      const args = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (Number(entry) !== process.pid && args.some((arg) => arg.includes(socketPath))) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return null;
}

export class QmpScrapeTarget {
  readonly socketPath: string;
  private client: QmpClient | undefined;
  private source: QmpTelemetrySource | undefined;
  private pid: number | null = null;

  constructor(socketPath: string) {
    this.socketPath = path.resolve(socketPath);
  }

  /** QEMU's pid, found at the first successful connection. */
  get qemuPid(): number | null {
    return this.pid;
  }

  /** One read of the block; never throws (an unreadable result says why). */
  async read(): Promise<TelemetryReadResult> {
    try {
      const source = await this.connectedSource();
      const result = await source.read();
      if ("unreadable" in result) await this.disconnect(); // locate again (or reconnect) next time
      return result;
    } catch (error) {
      await this.disconnect();
      return {
        unreadable: `QMP ${this.socketPath}: ${(error as Error).message}`,
        hostTimeMs: performance.now(),
      };
    }
  }

  async close(): Promise<void> {
    await this.disconnect();
  }

  private async connectedSource(): Promise<QmpTelemetrySource> {
    if (this.source !== undefined && this.client !== undefined && !this.client.isClosed) return this.source;
    await this.disconnect();
    this.client = await QmpClient.connect(this.socketPath, { timeoutMs: CONNECT_TIMEOUT_MS });
    this.pid ??= findProcessNaming(this.socketPath);
    const location = await this.locate(this.client);
    this.source = new QmpTelemetrySource(this.client, { virtualAddress: 0n, ...location });
    return this.source;
  }

  private async locate(client: QmpClient): Promise<{ physicalAddress: number; size: number }> {
    const memory = new QmpMemoryReader(client);
    try {
      for (let base = SCAN_START; base < SCAN_END; base += SCAN_CHUNK) {
        const found = findTelemetryHeader(await memory.read(base, SCAN_CHUNK), base);
        if (found !== undefined) return found;
      }
    } finally {
      await memory.close();
    }
    throw new Error(
      `no Toro telemetry block (magic "TOROTELM") between ${SCAN_START / 0x100000} and ${SCAN_END / 0x100000} MiB of guest memory: not a Toro kernel, or not booted yet`,
    );
  }

  private async disconnect(): Promise<void> {
    const source = this.source;
    const client = this.client;
    this.source = undefined;
    this.client = undefined;
    await source?.close();
    client?.close();
  }
}
