// disassembly.ts - GDB/MI "-data-disassemble": instructions of an address range or of the function around an
// address, with their bytes and, on request, the source line each belongs to (the DAP disassemble request
// and the REPL's listing build on it). Pairs with data.ts (memory) and stack.ts (addresses of frames).

import { MiShapeError } from "../errors";
import type { GdbClient } from "../gdb-client";
import { miCommand } from "./command-line";
import {
  asTuple,
  formatAddress,
  listField,
  optionalIntegerField,
  optionalStringField,
  parseAddress,
  resultListValues,
  stringField,
  type MiTuple,
} from "./values";

/** `with-source` also reports each instruction's source line (MI mode 5 instead of mode 2). */
export type DisassemblyDetail = "instructions" | "with-source";

const MODE: Record<DisassemblyDetail, number> = { instructions: 2, "with-source": 5 };

export interface SourceLine {
  file?: string;
  fullPath?: string;
  line: number;
}

export interface Instruction {
  address: bigint;
  functionName?: string;
  /** Offset from the start of `functionName`. */
  offset?: number;
  /** AT&T syntax text, e.g. `mov    %rsp,%rbp`. */
  text: string;
  /** The instruction's bytes as hex pairs, e.g. `48 89 e5`. */
  opcodes?: string;
  source?: SourceLine;
}

function parseInstruction(command: string, tuple: MiTuple, source: SourceLine | undefined): Instruction {
  const address = parseAddress(stringField(command, tuple, "address"));
  if (address === undefined) {
    throw new MiShapeError(command, "instruction without an address");
  }
  return {
    address,
    functionName: optionalStringField(tuple, "func-name"),
    offset: optionalIntegerField(tuple, "offset"),
    text: stringField(command, tuple, "inst"),
    opcodes: optionalStringField(tuple, "opcodes"),
    source,
  };
}

async function disassemble(
  client: GdbClient,
  command: string,
  detail: DisassemblyDetail,
): Promise<Instruction[]> {
  const { results } = await client.execute(command, { requirement: "target-not-running" });
  const listing = listField(command, results, "asm_insns");
  if (detail === "instructions") {
    return listing.map((entry) => parseInstruction(command, asTuple(command, entry), undefined));
  }
  // Mode 5: a list of results `src_and_asm_line={line,file,fullname,line_asm_insn=[...]}`.
  return resultListValues(command, listing).flatMap((entry) => {
    const group = asTuple(command, entry);
    const line = optionalIntegerField(group, "line");
    const source =
      line === undefined || line === 0
        ? undefined
        : {
            file: optionalStringField(group, "file"),
            fullPath: optionalStringField(group, "fullname"),
            line,
          };
    return listField(command, group, "line_asm_insn").map((instruction) =>
      parseInstruction(command, asTuple(command, instruction), source),
    );
  });
}

/** Instructions whose addresses lie in [start, end). Reads target memory, so QEMU's loaded code is shown. */
export async function disassembleRange(
  client: GdbClient,
  start: bigint,
  end: bigint,
  detail: DisassemblyDetail = "instructions",
): Promise<Instruction[]> {
  if (end <= start) {
    throw new RangeError(`empty disassembly range ${formatAddress(start)}..${formatAddress(end)}`);
  }
  const command = miCommand(
    "-data-disassemble",
    "-s",
    formatAddress(start),
    "-e",
    formatAddress(end),
    "--",
    MODE[detail],
  );
  return disassemble(client, command, detail);
}

/** Every instruction of the function containing `address` (a bigint or an expression such as `tick`). */
export async function disassembleFunction(
  client: GdbClient,
  address: bigint | string,
  detail: DisassemblyDetail = "instructions",
): Promise<Instruction[]> {
  const location = typeof address === "bigint" ? formatAddress(address) : address;
  const command = miCommand("-data-disassemble", "-a", location, "--", MODE[detail]);
  return disassemble(client, command, detail);
}
