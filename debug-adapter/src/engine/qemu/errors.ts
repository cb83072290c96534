// errors.ts - typed errors of the QEMU launcher, created where the failing step happens so stacks point at
// the caller. Pairs with qemu-instance.ts, serial-console.ts and qmp-client.ts.

import { ToroError } from "../errors";

export const QEMU_INSTALL_HINT = "Install it with: sudo apt-get install -y qemu-system-x86";

export class QemuNotFoundError extends ToroError {
  constructor(readonly qemuPath: string) {
    super(`QEMU was not found: cannot run "${qemuPath}"`, QEMU_INSTALL_HINT);
  }
}

/** QEMU ended while something still waited on it (starting, a serial line, a QMP answer). */
export class QemuExitedError extends ToroError {
  constructor(
    readonly waitingFor: string,
    readonly exitCode: number | null,
    readonly signal: string | null,
    readonly stderr: string,
  ) {
    const how = signal === null ? `with status ${exitCode}` : `on signal ${signal}`;
    const output = stderr.trim() === "" ? "" : `; QEMU said:\n${stderr.trim()}`;
    super(`QEMU exited ${how} while ${waitingFor}${output}`);
  }
}

export class QemuStartTimeoutError extends ToroError {
  constructor(readonly timeoutMs: number) {
    super(`QEMU did not open its QMP socket within ${timeoutMs} ms`);
  }
}

export class SerialTimeoutError extends ToroError {
  constructor(
    readonly expected: string,
    readonly timeoutMs: number,
    readonly lastLines: string[],
  ) {
    const tail = lastLines.length === 0 ? "no serial output" : `last lines:\n  ${lastLines.join("\n  ")}`;
    super(`no serial line matching ${expected} within ${timeoutMs} ms; ${tail}`);
  }
}

export class QmpError extends ToroError {
  constructor(
    readonly command: string,
    readonly errorClass: string,
    readonly description: string,
  ) {
    super(`QMP command "${command}" failed: ${errorClass}: ${description}`);
  }
}

export class QmpClosedError extends ToroError {
  constructor(readonly command: string) {
    super(`QMP connection closed before "${command}" was answered`);
  }
}

export class QmpConnectTimeoutError extends ToroError {
  constructor(
    readonly socketPath: string,
    readonly timeoutMs: number,
  ) {
    super(`cannot connect to the QMP socket ${socketPath} within ${timeoutMs} ms`);
  }
}
