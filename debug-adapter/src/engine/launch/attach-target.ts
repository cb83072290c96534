// attach-target.ts - connects to a QEMU started elsewhere: GDB to its gdbstub (host:port), QMP to its socket
// when given (live telemetry through QMP memory reads, restart, triple-fault detection). Without QMP the
// telemetry block is read through GDB only while the VM is stopped. Produces a DebugTarget (debug-target.ts);
// disposing it with "detach" leaves that QEMU running. With `ssh`, both are reached through an SSH tunnel
// (ssh-tunnel.ts) to the machine QEMU runs on; the tunnel is closed when the target is disposed.

import * as fs from "node:fs";
import { connectRemote, GdbError, listThreads } from "../../gdb";
import { ToroError } from "../errors";
import { QmpClient } from "../qemu/qmp-client";
import { locateTelemetry, type TelemetrySource } from "../telemetry/telemetry-reader";
import { QmpTelemetrySource } from "../telemetry/qmp-telemetry-source";
import { DebugTarget } from "./debug-target";
import { GdbTelemetrySource } from "./gdb-telemetry-source";
import { startDebugger } from "./debugger-start";
import { SshTunnel } from "./ssh-tunnel";

export interface AttachTargetOptions {
  host: string;
  port: number;
  qmpSocket?: string;
  /** Reach `host:port` and `qmpSocket` on this machine through ssh (they are as seen from there). */
  ssh?: { destination: string; port?: number; options?: readonly string[] };
  kernelElf: string;
  gdbPath?: string;
  log?: (text: string) => void;
}

export class AttachError extends ToroError {}

const QMP_CONNECT_TIMEOUT_MS = 3_000;

async function connectQmp(socketPath: string): Promise<QmpClient> {
  try {
    return await QmpClient.connect(socketPath, { timeoutMs: QMP_CONNECT_TIMEOUT_MS });
  } catch (error) {
    throw new AttachError(
      `cannot connect to the QMP socket ${socketPath}: ${(error as Error).message}`,
      "Start QEMU with -qmp unix:<path>,server=on,wait=off, or leave qmpSocket out.",
    );
  }
}

export async function attachTarget(options: AttachTargetOptions): Promise<DebugTarget> {
  if (!fs.existsSync(options.kernelElf)) {
    throw new AttachError(`program not found: ${options.kernelElf}`, "Give the kernel.elf QEMU is running.");
  }
  if (options.ssh === undefined) return attachDirectly(options);
  const tunnel = await SshTunnel.open({
    ...options.ssh,
    gdbstub: { host: options.host, port: options.port },
    qmpSocket: options.qmpSocket,
    log: options.log,
  });
  try {
    return await attachDirectly(
      { ...options, host: "127.0.0.1", port: tunnel.gdbPort, qmpSocket: tunnel.qmpSocket },
      tunnel,
    );
  } catch (error) {
    await tunnel.close();
    throw error;
  }
}

async function attachDirectly(options: AttachTargetOptions, tunnel?: SshTunnel): Promise<DebugTarget> {
  const location = locateTelemetry(options.kernelElf);
  const qmp = options.qmpSocket === undefined ? undefined : await connectQmp(options.qmpSocket);
  let loaded;
  try {
    loaded = await startDebugger(options.gdbPath, options.kernelElf, options.log);
  } catch (error) {
    qmp?.close();
    throw error;
  }
  const { gdb, panicBreakpoint } = loaded;
  try {
    try {
      await connectRemote(gdb, options.host, options.port);
    } catch (error) {
      if (!(error instanceof GdbError)) throw error;
      throw new AttachError(
        `cannot attach to the gdbstub at ${options.host}:${options.port}: ${error.miMessage}`,
        `Is QEMU running with -gdb tcp:${options.host}:${options.port}? A gdbstub serves one debugger at a time.`,
      );
    }
    const { threads } = await listThreads(gdb);
    const source: TelemetrySource =
      qmp === undefined ? new GdbTelemetrySource(gdb, location) : new QmpTelemetrySource(qmp, location);
    return new DebugTarget({
      origin: "attached",
      gdb,
      kernelElf: options.kernelElf,
      cpuCount: Math.max(1, threads.length),
      gdbstub: { host: options.host, port: options.port },
      telemetrySource: source,
      qmp,
      panicBreakpoint,
      log: options.log,
      tunnel,
    });
  } catch (error) {
    await gdb.shutdown("detach");
    qmp?.close();
    throw error;
  }
}
