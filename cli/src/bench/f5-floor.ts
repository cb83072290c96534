// f5-floor.ts - the floor the F5 latency is compared with: the same stop done by hand, with no adapter.
// QEMU with `-S` and a gdbstub (manual-qemu.ts) and `gdb -batch` (kernel.elf loaded, then `target remote`,
// `break <file>:<line>`, `continue`) are started together, as the adapter starts them; GDB connects as soon
// as the gdbstub listens (a few lines of GDB's Python watch /proc/net/tcp: no probe connection, since the
// gdbstub serves one client). A GDB without Python runs the commands after QEMU listens instead
// ("sequential"). The time runs from the first spawn to GDB printing the stop. The commands go through a
// command file in a private directory because GDB abandons a command file at its first error: a breakpoint
// it cannot set ends the run at once. Pairs with f5-latency.ts, which alternates it with the adapter.

import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import {
  findFreePort,
  LaunchOverrides,
  ManualQemu,
  QemuProfile,
  ToroError,
} from "@toro-studio/debug-adapter";

export const FLOOR_TIMEOUT_MS = 60_000;
/** Printed by GDB's `echo` once `continue` has returned, i.e. once the target stopped. */
const STOPPED_MARKER = "toro-floor: stopped";
const NO_PYTHON = /Python scripting is not supported/;

export type FloorMode = "parallel" | "sequential";

export interface FloorTarget {
  kernelElf: string;
  bootElf: string;
  profile: QemuProfile;
  overrides?: LaunchOverrides;
  /** Where to stop: a source file of the app and a line in it. */
  file: string;
  line: number;
  gdbPath?: string;
}

export interface FloorMeasurement {
  milliseconds: number;
  mode: FloorMode;
}

export class FloorError extends ToroError {}

/** Milliseconds from the first spawn to GDB reporting the breakpoint hit. Leaves no process or file behind. */
export async function measureFloor(
  target: FloorTarget,
  mode: FloorMode = "parallel",
): Promise<FloorMeasurement> {
  const directory = await fs.promises.mkdtemp(path.join(os.tmpdir(), "toro-floor-"));
  let qemu: ManualQemu | undefined;
  try {
    const port = await findFreePort();
    const commands = path.join(directory, "commands.gdb");
    await fs.promises.writeFile(commands, gdbCommands(target, port, mode), { mode: 0o600 });
    const startedAtMs = performance.now();
    const startQemu = () =>
      ManualQemu.start({
        kernelPath: target.bootElf,
        profile: target.profile,
        overrides: target.overrides,
        gdbPort: port,
        stopAtStart: true,
      });
    let gdb: GdbRun;
    if (mode === "parallel") {
      gdb = runGdb(target, commands);
      qemu = startQemu();
    } else {
      qemu = startQemu();
      await waitForListening(port, qemu);
      gdb = runGdb(target, commands);
    }
    void qemu.exited.then(() => gdb.kill()); // QEMU failed: GDB would wait for it in vain
    const outcome = await gdb.outcome;
    if (outcome.stoppedAtMs === undefined && qemu.stderr.trim() !== "")
      outcome.output += `\nQEMU: ${qemu.stderr.trim()}`;
    if (outcome.stoppedAtMs !== undefined) return { milliseconds: outcome.stoppedAtMs - startedAtMs, mode };
    if (mode === "parallel" && NO_PYTHON.test(outcome.output)) {
      await qemu.stop();
      qemu = undefined;
      return await measureFloor(target, "sequential");
    }
    throw new FloorError(
      `gdb -batch did not stop at ${target.file}:${target.line}:\n${outcome.output.trim()}`,
    );
  } finally {
    await qemu?.stop();
    await fs.promises.rm(directory, { recursive: true, force: true });
  }
}

function gdbCommands(target: FloorTarget, port: number, mode: FloorMode): string {
  const lines = ["set breakpoint pending off"];
  if (mode === "parallel") {
    // Wait (inside GDB, so its start-up overlaps QEMU's) until 127.0.0.1:port is in LISTEN state (0A).
    const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, "0")}`;
    lines.push(
      "python",
      "import time",
      `deadline = time.monotonic() + ${FLOOR_TIMEOUT_MS / 1000}`,
      "def toro_listening():",
      "    with open('/proc/net/tcp') as table:",
      `        return any(row.split()[1:2] == ['${local}'] and row.split()[3] == '0A' for row in table)`,
      "while not toro_listening():",
      "    if time.monotonic() > deadline:",
      "        raise RuntimeError('the gdbstub never listened')",
      "    time.sleep(0.001)",
      "end",
    );
  }
  lines.push(`target remote 127.0.0.1:${port}`, `break ${target.file}:${target.line}`, "continue");
  lines.push(`echo ${STOPPED_MARKER}\\n`, "");
  return lines.join("\n");
}

/** Polls /proc/net/tcp for a socket listening on 127.0.0.1:port (no connection: the gdbstub takes one). */
async function waitForListening(port: number, qemu: ManualQemu): Promise<void> {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  const deadline = performance.now() + FLOOR_TIMEOUT_MS;
  let exited = false;
  void qemu.exited.then(() => (exited = true));
  for (;;) {
    const table = fs.readFileSync("/proc/net/tcp", "utf8");
    const listening = table.split("\n").some((row) => {
      const fields = row.trim().split(/\s+/);
      return fields[1] === local && fields[3] === "0A"; // 0A = TCP_LISTEN
    });
    if (listening) return;
    if (exited) throw new FloorError(`QEMU exited before its gdbstub listened: ${qemu.stderr.trim()}`);
    if (performance.now() > deadline) throw new FloorError(`QEMU's gdbstub did not listen on port ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

interface GdbOutcome {
  /** performance.now() when the stop marker arrived after a breakpoint hit; undefined if it never did. */
  stoppedAtMs: number | undefined;
  output: string;
}

interface GdbRun {
  outcome: Promise<GdbOutcome>;
  kill: () => void;
}

/** Runs `gdb -batch -nx -x commands kernel.elf` to its end (killed after FLOOR_TIMEOUT_MS). */
function runGdb(target: FloorTarget, commands: string): GdbRun {
  const gdb = spawn(target.gdbPath ?? "gdb", ["-batch", "-nx", "-x", commands, target.kernelElf], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  let markerAtMs: number | undefined;
  let closed = false;
  const kill = () => {
    if (!closed) gdb.kill("SIGKILL");
  };
  const outcome = new Promise<GdbOutcome>((resolve, reject) => {
    const timer = setTimeout(() => gdb.kill("SIGKILL"), FLOOR_TIMEOUT_MS);
    gdb.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
      if (markerAtMs === undefined && output.includes(STOPPED_MARKER)) markerAtMs = performance.now();
    });
    gdb.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    gdb.on("error", (error) => reject(new FloorError(`cannot run GDB: ${error.message}`)));
    gdb.on("close", () => {
      closed = true;
      clearTimeout(timer);
      resolve({ stoppedAtMs: /Breakpoint 1, /.test(output) ? markerAtMs : undefined, output });
    });
  });
  return { outcome, kill };
}
