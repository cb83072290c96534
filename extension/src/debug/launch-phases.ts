// launch-phases.ts - where the time of one F5 goes, as pure data: the marks launch-timing.ts takes (ms on
// one clock) become consecutive phases with their durations and one log line, which the extension bench
// reads back (test/bench/extension-bench.ts) for its F5 breakdown rows. A mark that never came (a launch
// without a build, a session that failed) leaves its phase out; the next phase then starts at the last
// mark that came. The line also carries when the first and last marks happened in epoch milliseconds (the
// host's wall clock, shared with the bench), so the bench can time what lies outside the extension
// (keypress to the first mark, first telemetry to rows drawn) instead of taking a difference that may
// go negative.

/** In launch order. */
export const LAUNCH_MARKS = [
  "resolve", // VS Code asked to resolve the configuration (F5 reached the extension)
  "substituted", // variables substituted: VS Code's own step between the two resolve calls
  "toolchainChecked",
  "built", // the toro build task ended, or `make -q` said there was nothing to build
  "adapterStarting", // VS Code starts the adapter (a tracker is created for the new session)
  "connected", // toroSession: QEMU started, GDB connected (launch)
  "live", // the first toroTelemetry event with a readable block: the kernel is up
] as const;
export type LaunchMark = (typeof LAUNCH_MARKS)[number];

export const PHASE_NAMES: Record<Exclude<LaunchMark, "resolve">, string> = {
  substituted: "configuration resolution",
  toolchainChecked: "toolchain check",
  built: "build task (or make -q)",
  adapterStarting: "VS Code to adapter start",
  connected: "adapter + QEMU + GDB start",
  live: "kernel boot to first telemetry",
};

export interface LaunchPhase {
  mark: Exclude<LaunchMark, "resolve">;
  name: string;
  milliseconds: number;
}

export function launchPhases(marks: Partial<Record<LaunchMark, number>>): LaunchPhase[] {
  const phases: LaunchPhase[] = [];
  let previous = marks.resolve;
  if (previous === undefined) return phases;
  for (const mark of LAUNCH_MARKS.slice(1) as Exclude<LaunchMark, "resolve">[]) {
    const at = marks[mark];
    if (at === undefined) continue;
    phases.push({ mark, name: PHASE_NAMES[mark], milliseconds: at - previous });
    previous = at;
  }
  return phases;
}

/** When the first and the last mark of a launch happened, in epoch ms (Date.now()'s clock). */
export interface LaunchSpan {
  startEpochMs: number;
  endEpochMs: number;
}

/**
 * "F5 timing: configuration resolution 3 ms, ..., total 812 ms; from 1764921600123.4 to 1764921600935.1
 * epoch ms" (the bench parses this line; the span part only when given).
 */
export function launchTimingLine(phases: LaunchPhase[], span?: LaunchSpan): string {
  const total = phases.reduce((sum, phase) => sum + phase.milliseconds, 0);
  const parts = phases.map((phase) => `${phase.name} ${Math.round(phase.milliseconds)} ms`);
  const line = `F5 timing: ${[...parts, `total ${Math.round(total)} ms`].join(", ")}`;
  if (span === undefined) return line;
  return `${line}; from ${span.startEpochMs.toFixed(1)} to ${span.endEpochMs.toFixed(1)} epoch ms`;
}

export interface LoggedLaunchTiming {
  /** Phase name -> whole milliseconds, and "total". */
  phases: Record<string, number>;
  span: LaunchSpan | null;
}

/** The phases (and span) back from a logged line (for the bench). */
export function parseLaunchTimingLine(line: string): LoggedLaunchTiming | null {
  const match = /F5 timing: ([^;]*)(?:; from ([\d.]+) to ([\d.]+) epoch ms)?$/.exec(line);
  if (match === null) return null;
  const phases: Record<string, number> = {};
  for (const part of match[1].split(", ")) {
    const found = /^(.*) (\d+) ms$/.exec(part);
    if (found !== null) phases[found[1]] = Number(found[2]);
  }
  const span =
    match[2] === undefined ? null : { startEpochMs: Number(match[2]), endEpochMs: Number(match[3]) };
  return { phases, span };
}
