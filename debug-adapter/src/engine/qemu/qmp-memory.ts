// qmp-memory.ts - reads guest physical memory through QMP while the VM runs (neither command stops it), for
// a QEMU the engine did not start and whose RAM is therefore no file of ours. Two ways, measured on the
// 25 KiB telemetry block (4 TCG vCPUs, 2 host cores): `pmemsave` into a file of a private 0700 directory,
// then reading the file, ~1 ms; the monitor's `xp /Nxg` parsed from text, ~2.6 ms (`/Nxb` ~7 ms). pmemsave
// is the default; "auto" falls back to xp for good when QEMU cannot write our directory (another user, another
// mount namespace). Pairs with qmp-client.ts and ../telemetry/qmp-telemetry-source.ts.

import * as fs from "node:fs";
import * as path from "node:path";
import { ToroError } from "../errors";
import { QmpError } from "./errors";
import { createPrivateDirectory, removePrivateDirectory } from "./private-directory";
import { QmpClient } from "./qmp-client";

export type QmpMemoryMethod = "pmemsave" | "xp";

export interface QmpMemoryOptions {
  /** "auto" (default): pmemsave, switching to xp if pmemsave fails or its file is not visible to us. */
  method?: QmpMemoryMethod | "auto";
  /** Where the private directory for pmemsave files is created; default os.tmpdir(). */
  parentDirectory?: string;
}

export class QmpMemoryError extends ToroError {}

/** One `xp /Nxg` output line: "000000000010d000: 0x4d4c45544f524f54 0x0000624800000001". */
const XP_LINE = /^([0-9a-f]+):((?:\s+0x[0-9a-f]+)+)\s*$/i;
const XP_WORD_BYTES = 8;

export class QmpMemoryReader {
  private currentMethod: QmpMemoryMethod;
  private readonly automatic: boolean;
  private directory: Promise<string> | undefined;
  private nextFile = 0;
  private closed = false;

  constructor(
    private readonly qmp: QmpClient,
    private readonly options: QmpMemoryOptions = {},
  ) {
    this.automatic = (options.method ?? "auto") === "auto";
    this.currentMethod = options.method === "xp" ? "xp" : "pmemsave";
  }

  /** The method the next read uses (after an automatic fallback: "xp"). */
  get method(): QmpMemoryMethod {
    return this.currentMethod;
  }

  /** `length` bytes of guest physical memory at `address`, as of one moment during the call. */
  async read(address: number, length: number): Promise<Buffer> {
    if (this.closed) throw new QmpMemoryError("the QMP memory reader is closed");
    if (!Number.isSafeInteger(address) || address < 0 || !Number.isSafeInteger(length) || length <= 0) {
      throw new QmpMemoryError(`bad guest memory range: ${length} bytes at ${address}`);
    }
    if (this.currentMethod === "xp") return this.readWithXp(address, length);
    try {
      return await this.readWithPmemsave(address, length);
    } catch (error) {
      if (!this.automatic || !(error instanceof QmpError || isFileMissing(error))) throw error;
      this.currentMethod = "xp";
      return this.readWithXp(address, length);
    }
  }

  /** Removes the private directory (and any pmemsave file in it). */
  async close(): Promise<void> {
    this.closed = true;
    const directory = this.directory;
    this.directory = undefined;
    const created = await directory?.catch(() => undefined);
    if (created !== undefined) await removePrivateDirectory(created);
  }

  private async readWithPmemsave(address: number, length: number): Promise<Buffer> {
    this.directory ??= createPrivateDirectory(this.options.parentDirectory);
    const directory = await this.directory;
    // One file per read, so overlapping reads never see each other's bytes.
    const file = path.join(directory, `memory-${this.nextFile++}`);
    try {
      await this.qmp.execute("pmemsave", { val: address, size: length, filename: file });
      return await fs.promises.readFile(file);
    } finally {
      await fs.promises.rm(file, { force: true });
    }
  }

  private async readWithXp(address: number, length: number): Promise<Buffer> {
    const words = Math.ceil(length / XP_WORD_BYTES);
    const output = await this.qmp.execute<string>("human-monitor-command", {
      "command-line": `xp /${words}xg 0x${address.toString(16)}`,
    });
    return parseXpWords(output, address).subarray(0, length);
  }
}

/**
 * Bytes from the text of `xp /Nxg` starting at `address` (little-endian 64-bit words, as x86 stores them).
 * Stops at the first line that is not a dump of the next address, e.g. "Cannot access memory".
 */
export function parseXpWords(output: string, address: number): Buffer {
  const words: bigint[] = [];
  for (const line of output.split(/\r?\n/)) {
    if (line.trim() === "") continue;
    const match = XP_LINE.exec(line.trim());
    if (match === null || parseInt(match[1], 16) !== address + words.length * XP_WORD_BYTES) break;
    for (const word of match[2].trim().split(/\s+/)) words.push(BigInt(word));
  }
  const bytes = Buffer.alloc(words.length * XP_WORD_BYTES);
  words.forEach((word, index) => bytes.writeBigUInt64LE(BigInt.asUintN(64, word), index * XP_WORD_BYTES));
  return bytes;
}

function isFileMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException)?.code === "ENOENT";
}
