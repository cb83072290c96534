// exit-status.ts - what QEMU's exit tells about the guest. The kernel leaves through isa-debug-exit, which
// makes QEMU exit with (code << 1) | 1: always odd. Status 0 means QEMU was asked to quit (signal, QMP
// `quit`). Caveat: QEMU also exits with 1 on its own errors; those happen while starting, which the launcher
// reports separately (QemuExitedError with QEMU's message), so after a successful start 1 means guest code 0.

export interface QemuExit {
  /** QEMU's exit status, or null when it was killed by a signal. */
  exitCode: number | null;
  signal: string | null;
  /** The code the guest wrote to isa-debug-exit, or null when QEMU ended another way. */
  guestExitCode: number | null;
  /** The last part of QEMU's stderr (its own warnings and errors). */
  stderr: string;
}

export function guestExitCodeFromStatus(exitCode: number | null): number | null {
  if (exitCode === null || exitCode % 2 === 0) return null;
  return exitCode >> 1;
}
