// serial-line.ts - parses one kernel console line. The kernel prefixes every line with the core that printed
// it, e.g. "[cpu1] toro: ready cores=4 idle=tickless". Pure; used by serial-console.ts and the CLI.

export interface SerialLine {
  /** The line as printed, without the line ending. */
  text: string;
  /** The core from the "[cpuN] " prefix, or null for a line without one (firmware, early boot). */
  core: number | null;
  /** The line without its core prefix. */
  message: string;
  /** Host time (performance.now(), ms) when the line's last byte arrived. */
  receivedAtMs: number;
}

const CORE_PREFIX = /^\[cpu(\d+)\] ?/;

export function parseSerialLine(text: string, receivedAtMs: number): SerialLine {
  const match = CORE_PREFIX.exec(text);
  if (match === null) return { text, core: null, message: text, receivedAtMs };
  return { text, core: Number(match[1]), message: text.slice(match[0].length), receivedAtMs };
}

/**
 * `toro: ready cores=N idle=POLICY after US us`, printed once every core is in its scheduler; US is the
 * time from kernel entry, by the guest's TSC (absent from kernels older than the boot profile).
 */
export function parseReadyLine(
  message: string,
): { cores: number; idlePolicy: string; entryToReadyUs: number | null } | null {
  const match = /^toro: ready cores=(\d+) idle=([a-z]+)(?: after (\d+) us)?/.exec(message);
  if (match === null) return null;
  return {
    cores: Number(match[1]),
    idlePolicy: match[2],
    entryToReadyUs: match[3] === undefined ? null : Number(match[3]),
  };
}

/** The self-tests' closing line `N passed, N failed`. */
export function parseSelftestSummary(message: string): { passed: number; failed: number } | null {
  const match = /(\d+) passed, (\d+) failed/.exec(message);
  return match === null ? null : { passed: Number(match[1]), failed: Number(match[2]) };
}
