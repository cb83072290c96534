// elf-file.ts - reads an ELF64 little-endian file (the kernel's kernel.elf, or a gcc object in tests) with
// Buffer: the file header, section headers and program headers. No dependency. Pairs with symbols.ts, which
// reads the symbol table and maps virtual to physical addresses through the program headers.

import * as fs from "node:fs";
import { ToroError } from "../errors";

export class ElfFormatError extends ToroError {}

export const SECTION_TYPE = { symbolTable: 2, stringTable: 3, noBits: 8, dynamicSymbols: 11 } as const;
export const SEGMENT_TYPE_LOAD = 1;

export interface ElfSection {
  index: number;
  name: string;
  type: number;
  flags: bigint;
  address: bigint;
  offset: number;
  size: number;
  link: number;
  info: number;
  entrySize: number;
}

export interface ElfSegment {
  type: number;
  flags: number;
  offset: number;
  virtualAddress: bigint;
  physicalAddress: bigint;
  fileSize: number;
  memorySize: number;
}

const ELF_TYPES: Record<number, string> = { 1: "relocatable", 2: "executable", 3: "shared", 4: "core" };
const MACHINE_X86_64 = 62;
const SECTION_HEADER_SIZE = 64;
const PROGRAM_HEADER_SIZE = 56;
const SECTION_INDEX_EXTENDED = 0xffff;

export class ElfFile {
  readonly type: string;
  readonly machine: number;
  readonly entry: bigint;
  readonly sections: ElfSection[];
  readonly segments: ElfSegment[];

  private constructor(
    readonly data: Buffer,
    readonly source: string,
  ) {
    this.checkIdentification();
    const typeCode = data.readUInt16LE(16);
    this.type = ELF_TYPES[typeCode] ?? `type ${typeCode}`;
    this.machine = data.readUInt16LE(18);
    this.entry = data.readBigUInt64LE(24);
    this.sections = this.readSections();
    this.segments = this.readSegments();
  }

  static read(file: string): ElfFile {
    let data: Buffer;
    try {
      data = fs.readFileSync(file);
    } catch (error) {
      throw new ElfFormatError(`cannot read ${file}: ${(error as Error).message}`);
    }
    return new ElfFile(data, file);
  }

  static parse(data: Buffer, source = "ELF buffer"): ElfFile {
    return new ElfFile(data, source);
  }

  get isX86_64(): boolean {
    return this.machine === MACHINE_X86_64;
  }

  /** The bytes of a section inside the file (empty for NOBITS sections such as .bss). */
  sectionData(section: ElfSection): Buffer {
    if (section.type === SECTION_TYPE.noBits) return Buffer.alloc(0);
    this.checkRange(section.offset, section.size, `section ${section.name || section.index}`);
    return this.data.subarray(section.offset, section.offset + section.size);
  }

  findSection(name: string): ElfSection | undefined {
    return this.sections.find((section) => section.name === name);
  }

  private checkIdentification(): void {
    const data = this.data;
    if (data.length < 64 || data.readUInt32BE(0) !== 0x7f454c46) {
      throw new ElfFormatError(`${this.source} is not an ELF file (no \\x7fELF signature)`);
    }
    if (data[4] !== 2) {
      throw new ElfFormatError(
        `${this.source} is a 32-bit ELF file; expected ELF64 (use kernel.elf, not the boot.elf wrapper)`,
      );
    }
    if (data[5] !== 1) throw new ElfFormatError(`${this.source} is big-endian; expected little-endian`);
  }

  private readSections(): ElfSection[] {
    const data = this.data;
    const tableOffset = toNumber(data.readBigUInt64LE(40), "section header offset", this.source);
    if (tableOffset === 0) return [];
    const entrySize = data.readUInt16LE(58);
    if (entrySize !== SECTION_HEADER_SIZE) {
      throw new ElfFormatError(`${this.source}: section header size ${entrySize}, expected 64`);
    }
    this.checkRange(tableOffset, SECTION_HEADER_SIZE, "section header table");
    // Files with 0xff00 or more sections store the real count and string-table index in section 0.
    let count = data.readUInt16LE(60);
    if (count === 0) count = Number(data.readBigUInt64LE(tableOffset + 32));
    let namesIndex = data.readUInt16LE(62);
    if (namesIndex === SECTION_INDEX_EXTENDED) namesIndex = data.readUInt32LE(tableOffset + 40);
    this.checkRange(tableOffset, count * SECTION_HEADER_SIZE, "section header table");

    const sections: ElfSection[] = [];
    for (let index = 0; index < count; index++) {
      const at = tableOffset + index * SECTION_HEADER_SIZE;
      sections.push({
        index,
        name: "",
        type: data.readUInt32LE(at + 4),
        flags: data.readBigUInt64LE(at + 8),
        address: data.readBigUInt64LE(at + 16),
        offset: toNumber(data.readBigUInt64LE(at + 24), "section offset", this.source),
        size: toNumber(data.readBigUInt64LE(at + 32), "section size", this.source),
        link: data.readUInt32LE(at + 40),
        info: data.readUInt32LE(at + 44),
        entrySize: toNumber(data.readBigUInt64LE(at + 56), "section entry size", this.source),
      });
    }
    const names = sections[namesIndex];
    if (names !== undefined && names.type === SECTION_TYPE.stringTable) {
      const table = this.sectionData(names);
      sections.forEach((section, index) => {
        section.name = readString(table, data.readUInt32LE(tableOffset + index * SECTION_HEADER_SIZE));
      });
    }
    return sections;
  }

  private readSegments(): ElfSegment[] {
    const data = this.data;
    const tableOffset = toNumber(data.readBigUInt64LE(32), "program header offset", this.source);
    const count = data.readUInt16LE(56);
    if (tableOffset === 0 || count === 0) return [];
    const entrySize = data.readUInt16LE(54);
    if (entrySize !== PROGRAM_HEADER_SIZE) {
      throw new ElfFormatError(`${this.source}: program header size ${entrySize}, expected 56`);
    }
    this.checkRange(tableOffset, count * PROGRAM_HEADER_SIZE, "program header table");
    const segments: ElfSegment[] = [];
    for (let index = 0; index < count; index++) {
      const at = tableOffset + index * PROGRAM_HEADER_SIZE;
      segments.push({
        type: data.readUInt32LE(at),
        flags: data.readUInt32LE(at + 4),
        offset: toNumber(data.readBigUInt64LE(at + 8), "segment offset", this.source),
        virtualAddress: data.readBigUInt64LE(at + 16),
        physicalAddress: data.readBigUInt64LE(at + 24),
        fileSize: toNumber(data.readBigUInt64LE(at + 32), "segment file size", this.source),
        memorySize: toNumber(data.readBigUInt64LE(at + 40), "segment memory size", this.source),
      });
    }
    return segments;
  }

  private checkRange(offset: number, length: number, what: string): void {
    if (offset + length > this.data.length) {
      throw new ElfFormatError(
        `${this.source} is truncated: ${what} needs bytes ${offset}..${offset + length}, file has ${this.data.length}`,
      );
    }
  }
}

/** A NUL-terminated string from a string table ("" when the offset is outside the table). */
export function readString(table: Buffer, offset: number): string {
  if (offset >= table.length) return "";
  const end = table.indexOf(0, offset);
  return table.toString("latin1", offset, end < 0 ? table.length : end);
}

function toNumber(value: bigint, what: string, source: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER))
    throw new ElfFormatError(`${source}: ${what} ${value} is too large`);
  return Number(value);
}
