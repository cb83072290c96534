// errors.ts - every error the GDB access layer throws on purpose, plus the call-site capture that makes their
// stacks point at the code that issued the command (not at gdb-js's stream callbacks). Pairs with gdb-client.ts,
// which creates them; the engine may wrap them in its own ToroError subclasses for the user.

/** The install command printed whenever GDB is missing. */
export const GDB_INSTALL_HINT = "apt-get install -y gdb";

/** GDB answered a command with `^error`. `miMessage` is GDB's own text, untouched. */
export class GdbError extends Error {
  constructor(
    readonly command: string,
    readonly miMessage: string,
  ) {
    super(`GDB refused "${command}": ${miMessage}`);
    this.name = new.target.name;
  }
}

/** The GDB executable could not be started (not installed, not executable, wrong path). */
export class GdbNotFoundError extends Error {
  readonly installHint = GDB_INSTALL_HINT;

  constructor(
    readonly gdbPath: string,
    readonly systemError: string,
  ) {
    super(
      `GDB could not be started from "${gdbPath}" (${systemError}). Install it with: ${GDB_INSTALL_HINT}`,
    );
    this.name = new.target.name;
  }
}

/** GDB exited (or was killed) before answering `command`, or before the call was made. */
export class GdbExitedError extends Error {
  constructor(
    readonly command: string,
    readonly exitCode: number | null,
    readonly exitSignal: string | null,
    readonly standardError: string,
  ) {
    const how = exitSignal === null ? `with code ${exitCode}` : `from signal ${exitSignal}`;
    const tail = standardError.trim() === "" ? "" : `; its last error output: ${standardError.trim()}`;
    super(`GDB exited ${how} before answering "${command}"${tail}`);
    this.name = new.target.name;
  }
}

/**
 * GDB did not answer `command` within `timeoutMs`. gdb-js matches replies to commands by order and has no
 * timeout of its own, so after this the connection is unusable: the client refuses further commands and the
 * owner must shut it down.
 */
export class GdbTimeoutError extends Error {
  constructor(
    readonly command: string,
    readonly timeoutMs: number,
    /** A later command refused because of the earlier timeout (it was not sent). */
    readonly unsentCommand?: string,
  ) {
    super(
      unsentCommand === undefined
        ? `GDB did not answer "${command}" within ${timeoutMs} ms; the GDB connection is no longer usable`
        : `"${unsentCommand}" was not sent: GDB stopped answering at "${command}" (no reply within ${timeoutMs} ms)`,
    );
    this.name = new.target.name;
  }
}

/** The command needs a stopped target but the target is running; it was NOT sent to GDB. */
export class TargetRunningError extends Error {
  constructor(readonly command: string) {
    super(`"${command}" cannot run while the target is running; pause it first (the command was not sent)`);
    this.name = new.target.name;
  }
}

/** The command needs a connected, stopped target but GDB is connected to none; it was NOT sent to GDB. */
export class NoTargetError extends Error {
  constructor(readonly command: string) {
    super(`"${command}" needs a connected target; connect first (the command was not sent)`);
    this.name = new.target.name;
  }
}

/** No stop arrived within the wait (see GdbClient.nextStop). */
export class StopTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`the target did not stop within ${timeoutMs} ms`);
    this.name = new.target.name;
  }
}

/** GDB's reply did not have the shape the MI manual documents (a field missing or of the wrong kind). */
export class MiShapeError extends Error {
  constructor(
    readonly command: string,
    detail: string,
  ) {
    super(`unexpected reply shape for "${command}": ${detail}`);
    this.name = new.target.name;
  }
}

/** A stack trace taken when a command is issued; see adoptCallSite. */
export interface CallSite {
  readonly stack: string;
}

/**
 * Captures the current stack, skipping `skipAbove` and everything above it, so the first frame shown is the
 * caller of `skipAbove` (e.g. mi/breakpoints.ts's insertBreakpoint and then the adapter code that called it).
 */
export function captureCallSite(skipAbove: (...parameters: never[]) => unknown): CallSite {
  const holder: { stack?: string } = {};
  Error.captureStackTrace(holder, skipAbove);
  return { stack: holder.stack ?? "" };
}

/** Gives `error` the stack captured at issue time (keeping its own "Name: message" header). */
export function adoptCallSite<ErrorType extends Error>(error: ErrorType, callSite: CallSite): ErrorType {
  const frames = callSite.stack.indexOf("\n");
  if (frames >= 0) {
    error.stack = `${error.name}: ${error.message}${callSite.stack.slice(frames)}`;
  }
  return error;
}
