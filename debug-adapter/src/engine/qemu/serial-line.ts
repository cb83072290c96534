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

/** `toro: ready cores=N idle=POLICY`, printed once every core is in its scheduler. */
export function parseReadyLine(message: string): { cores: number; idlePolicy: string } | null {
  const match = /^toro: ready cores=(\d+) idle=([a-z]+)/.exec(message);
  return match === null ? null : { cores: Number(match[1]), idlePolicy: match[2] };
}

/** `toro: kernel entry to ready US us`, the line before the ready line: the kernel's own boot time by its TSC. */
export function parseEntryToReadyLine(message: string): number | null {
  const match = /^toro: kernel entry to ready (\d+) us$/.exec(message);
  return match === null ? null : Number(match[1]);
}

/** The self-tests' closing line `N passed, N failed`. */
export function parseSelftestSummary(message: string): { passed: number; failed: number } | null {
  const match = /(\d+) passed, (\d+) failed/.exec(message);
  return match === null ? null : { passed: Number(match[1]), failed: Number(match[2]) };
}
