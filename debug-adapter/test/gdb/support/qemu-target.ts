// qemu-target.ts - boots the test kernel in QEMU (TCG, stopped at reset with -S) with its gdbstub on a free
// 127.0.0.1 port, for the GDB layer's tests. Independent of the engine's launcher on purpose: these tests
// exercise src/gdb alone. A watchdog kills QEMU if a test forgets to; stop() always reaps it.

import { spawn } from "node:child_process";
import * as net from "node:net";

/** No test needs QEMU longer than this; it is killed afterwards whatever happens. */
const WATCHDOG_MS = 120_000;

export interface QemuTarget {
  port: number;
  pid: number;
  readonly exited: boolean;
  /** Resolves when QEMU has exited (and been reaped). */
  whenExited(): Promise<void>;
  /** Kills QEMU (if still running) and waits for it. */
  stop(): Promise<void>;
  /** QEMU's standard error so far (startup failures). */
  errorOutput(): string;
}

export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on("error", reject);
    server.listen({ host: "127.0.0.1", port: 0, exclusive: true }, () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address !== null ? resolve(address.port) : reject(),
      );
    });
  });
}

export async function startQemu(bootPath: string, cpus: number): Promise<QemuTarget> {
  const port = await findFreePort();
  const child = spawn(
    "qemu-system-x86_64",
    [
      ["-accel", "tcg"],
      ["-m", "64"],
      ["-smp", String(cpus)],
      ["-nodefaults"],
      ["-display", "none"],
      ["-serial", "none"],
      ["-monitor", "none"],
      ["-no-reboot"],
      ["-S"],
      ["-gdb", `tcp:127.0.0.1:${port}`],
      ["-kernel", bootPath],
    ].flat(),
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let standardError = "";
  child.stderr.on("data", (chunk: Buffer) => (standardError += chunk.toString("utf8")));
  let exited = false;
  const exitPromise = new Promise<void>((resolve) => {
    child.once("exit", () => {
      exited = true;
      resolve();
    });
  });
  const watchdog = setTimeout(() => child.kill("SIGKILL"), WATCHDOG_MS);
  watchdog.unref();
  void exitPromise.then(() => clearTimeout(watchdog));
  await new Promise<void>((resolve, reject) => {
    child.once("spawn", resolve);
    child.once("error", reject);
  });
  return {
    port,
    pid: child.pid ?? -1,
    get exited() {
      return exited;
    },
    whenExited: () => exitPromise,
    stop: async () => {
      if (!exited) {
        child.kill("SIGKILL");
      }
      await exitPromise;
    },
    errorOutput: () => standardError,
  };
}
