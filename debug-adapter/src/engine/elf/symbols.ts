// symbols.ts - the symbol table of an ElfFile (elf-file.ts): find a symbol by name (address and size) and
// translate a virtual address to the physical one through the PT_LOAD program headers (the kernel is
// identity-mapped today, but a higher-half link would still read the right guest RAM).

import { ToroError } from "../errors";
import { ElfFile, ElfSection, readString, SECTION_TYPE, SEGMENT_TYPE_LOAD } from "./elf-file";

export class SymbolNotFoundError extends ToroError {
  constructor(
    readonly symbolName: string,
    readonly source: string,
  ) {
    super(
      `symbol "${symbolName}" not found in ${source}`,
      "Is this the kernel.elf of a Toro build, not stripped?",
    );
  }
}

export const SYMBOL_TYPES = ["notype", "object", "function", "section", "file", "common", "tls"] as const;
export const SYMBOL_BINDINGS = ["local", "global", "weak"] as const;

export interface ElfSymbol {
  name: string;
  /** st_value: the address in an executable, the offset within its section in a relocatable object. */
  value: bigint;
  size: number;
  type: string;
  binding: string;
  /** st_shndx: the section the symbol is defined in (0 = undefined). */
  sectionIndex: number;
}

const SYMBOL_SIZE = 24;

/** Every symbol of the .symtab (or of .dynsym when the file has no .symtab). */
export function readSymbols(elf: ElfFile): ElfSymbol[] {
  const table =
    elf.sections.find((section) => section.type === SECTION_TYPE.symbolTable) ??
    elf.sections.find((section) => section.type === SECTION_TYPE.dynamicSymbols);
  if (table === undefined) return [];
  return readSymbolTable(elf, table);
}

function readSymbolTable(elf: ElfFile, table: ElfSection): ElfSymbol[] {
  const data = elf.sectionData(table);
  const strings = elf.sections[table.link];
  const names = strings === undefined ? Buffer.alloc(0) : elf.sectionData(strings);
  const symbols: ElfSymbol[] = [];
  for (let at = 0; at + SYMBOL_SIZE <= data.length; at += SYMBOL_SIZE) {
    const info = data[at + 4];
    symbols.push({
      name: readString(names, data.readUInt32LE(at)),
      type: SYMBOL_TYPES[info & 0xf] ?? `type ${info & 0xf}`,
      binding: SYMBOL_BINDINGS[info >> 4] ?? `binding ${info >> 4}`,
      sectionIndex: data.readUInt16LE(at + 6),
      value: data.readBigUInt64LE(at + 8),
      size: Number(data.readBigUInt64LE(at + 16)),
    });
  }
  return symbols;
}

/** The defined symbol called `name` (a global one wins over a local one of the same name). */
export function findSymbol(elf: ElfFile, name: string): ElfSymbol {
  const candidates = readSymbols(elf).filter((symbol) => symbol.name === name && symbol.sectionIndex !== 0);
  const symbol = candidates.find((candidate) => candidate.binding !== "local") ?? candidates[0];
  if (symbol === undefined) throw new SymbolNotFoundError(name, elf.source);
  return symbol;
}

/**
 * The physical (load) address of `virtualAddress`: p_paddr + (address - p_vaddr) of the PT_LOAD segment
 * that covers it, or undefined when no loaded segment does.
 */
export function virtualToPhysical(elf: ElfFile, virtualAddress: bigint): bigint | undefined {
  for (const segment of elf.segments) {
    if (segment.type !== SEGMENT_TYPE_LOAD) continue;
    const end = segment.virtualAddress + BigInt(segment.memorySize);
    if (virtualAddress >= segment.virtualAddress && virtualAddress < end) {
      return segment.physicalAddress + (virtualAddress - segment.virtualAddress);
    }
  }
  return undefined;
}
