// target.ts - GDB/MI "Target Manipulation" and "File Commands": load the kernel's symbols, connect to QEMU's
// gdbstub. Leaving it (detach, disconnect or kill) is GdbClient.shutdown(disposition) in gdb-client.ts, the one
// place that sends those commands. Each function takes the GdbClient; state changes arrive through its events.

import type { GdbClient } from "../gdb-client";
import { miCommand } from "./command-line";

/** `target remote` may wait for QEMU to open its port (GDB retries a refused connection by itself). */
const CONNECT_TIMEOUT_MS = 20_000;

/** Loads the ELF that GDB uses for symbols and source lines (`kernel.elf`, not the ELF32 boot wrapper). */
export async function loadProgram(client: GdbClient, elfPath: string): Promise<void> {
  await client.execute(miCommand("-file-exec-and-symbols", elfPath), { requirement: "target-not-running" });
}

/**
 * Connects to a gdbstub (QEMU's `-gdb tcp:127.0.0.1:<port>`). QEMU stops the VM when GDB connects, so on
 * success the client's state is `stopped` and a `stopped` event with reason `none` has been emitted.
 */
export async function connectRemote(client: GdbClient, host: string, port: number): Promise<void> {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new RangeError(`gdbstub port must be an integer in 1..65535, got ${port}`);
  }
  if (!/^[A-Za-z0-9.:[\]-]+$/.test(host)) {
    throw new RangeError(`gdbstub host must be a host name or address, got ${JSON.stringify(host)}`);
  }
  if (client.state !== "disconnected") {
    throw new RangeError(`already connected to a target (state: ${client.state})`);
  }
  await client.execute(miCommand("-target-select", "remote", `${host}:${port}`), {
    requirement: "target-not-running",
    timeoutMs: CONNECT_TIMEOUT_MS,
  });
}
