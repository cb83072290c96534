// debugger-start.ts - the GDB side of a launch or attach, in two steps so the first can overlap the build:
// startGdb spawns and sets up GDB (it needs no kernel yet); loadKernel then loads kernel.elf and arms the
// panic breakpoint before any target is connected (GDB inserts it into QEMU at the first resume), so neither
// costs a round trip once QEMU is up. Used by launch-target.ts and attach-target.ts.

import { GdbClient, loadProgram, type GdbTraceEntry } from "../../gdb";
import { insertPanicBreakpoint } from "./panic-probe";

/** GDB gives up on a refused connection after this many seconds (its default is 15). */
const GDB_CONNECT_TIMEOUT_SECONDS = 3;

/** GDB with the kernel's symbols loaded. */
export interface LoadedDebugger {
  gdb: GdbClient;
  /** GDB number of the breakpoint on the kernel's panic path; undefined when the kernel has none. */
  panicBreakpoint: number | undefined;
}

/** Spawns GDB, set up for QEMU, with no program loaded. Rejects with GdbNotFoundError and the like. */
export function startGdb(gdbPath: string | undefined, log?: (text: string) => void): Promise<GdbClient> {
  const onTrace =
    log === undefined ? undefined : (entry: GdbTraceEntry) => log(`gdb ${entry.direction} ${entry.text}`);
  return GdbClient.start({
    gdbPath,
    onTrace,
    settings: [`set tcp connect-timeout ${GDB_CONNECT_TIMEOUT_SECONDS}`],
  });
}

/**
 * Loads kernel.elf into a started GDB and inserts the panic breakpoint (no target needed); `onLoaded` runs
 * in between, as soon as breakpoints can be set. On failure GDB is shut down before the error is thrown, so
 * the caller owns nothing.
 */
export async function loadKernel(
  gdb: GdbClient,
  kernelElf: string,
  onLoaded?: () => void,
): Promise<LoadedDebugger> {
  try {
    await loadProgram(gdb, kernelElf);
    onLoaded?.();
    return { gdb, panicBreakpoint: await insertPanicBreakpoint(gdb) };
  } catch (error) {
    await gdb.shutdown();
    throw error;
  }
}

/** Both steps, for a caller that has its kernel.elf at hand (attach). */
export async function startDebugger(
  gdbPath: string | undefined,
  kernelElf: string,
  log?: (text: string) => void,
): Promise<LoadedDebugger> {
  return loadKernel(await startGdb(gdbPath, log), kernelElf);
}
