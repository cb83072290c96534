// monitor-view.ts - the live per-core table of `toro run --monitor`, as plain text lines from derived
// telemetry (pure: snapshot in, lines out). Above MONITOR_CORE_ROWS cores (a terminal's height) it shows one
// row per group of cores with a one-letter state per core instead. Pairs with terminal-monitor.ts, which
// redraws it.

import { CoreActivity, TelemetrySnapshot } from "@toro-studio/debug-adapter";
import { decimal, formatTable, percent } from "./text-table";

export interface MonitorFrame {
  title: string;
  activity: CoreActivity[] | null;
  snapshot: TelemetrySnapshot | null;
  /** Why the block could not be read this time (before the kernel initialised it, ...). */
  unreadable: string | null;
  /** QEMU's host CPU over the last interval, percent of one host core. */
  hostCpuPercent: number | null;
  serialTail: string[];
}

const STATE_LABELS: Record<string, string> = {
  offline: "OFFLINE",
  running: "RUNNING",
  "idle-spin": "IDLE_SPIN",
  halted: "HALTED",
  "lock-spin": "LOCK_SPIN",
  interrupt: "INTERRUPT",
  polling: "POLLING",
  unknown: "?",
};

/** Up to this many cores, one row each; above, one row per MONITOR_CORE_ROWS cores (fits a 24-line terminal). */
export const MONITOR_CORE_ROWS = 16;

/** One letter per state for the grouped rows; the legend line spells them out. */
const STATE_LETTERS: Record<string, string> = {
  offline: ".",
  running: "R",
  "idle-spin": "S",
  halted: "H",
  "lock-spin": "L",
  interrupt: "I",
  polling: "P",
  unknown: "?",
};
const STATE_LEGEND =
  "states: H halted  R running  S idle spin  L lock spin  P polling  I interrupt  . offline";

function sumOrNull(values: Array<number | null | undefined>): number | null {
  const known = values.filter((value): value is number => value !== null && value !== undefined);
  return known.length === 0 ? null : known.reduce((total, value) => total + value, 0);
}

function meanOrNull(values: Array<number | null | undefined>): number | null {
  const total = sumOrNull(values);
  const count = values.filter((value) => value !== null && value !== undefined).length;
  return total === null ? null : total / count;
}

/** One row per group of MONITOR_CORE_ROWS cores: range, a letter per core, summed halts, mean shares. */
export function groupRows(activity: CoreActivity[]): string[][] {
  const rows: string[][] = [];
  for (let first = 0; first < activity.length; first += MONITOR_CORE_ROWS) {
    const group = activity.slice(first, first + MONITOR_CORE_ROWS);
    const letters = group.map((core) => (STATE_LETTERS[core.state] ?? "?") + (core.torn ? "*" : ""));
    rows.push([
      `${group[0].index}-${group[group.length - 1].index}`,
      letters.join(""),
      String(sumOrNull(group.map((core) => core.halts)) ?? 0),
      decimal(sumOrNull(group.map((core) => core.haltsPerSecond)), 0),
      percent(meanOrNull(group.map((core) => core.shares?.idle))),
      percent(meanOrNull(group.map((core) => core.shares?.lockSpin))),
    ]);
  }
  return rows;
}

export function coreRows(activity: CoreActivity[]): string[][] {
  return activity.map((core) => [
    String(core.index),
    STATE_LABELS[core.state] + (core.torn ? "*" : ""),
    core.threadName === null
      ? core.threadId === null
        ? "-"
        : `#${core.threadId}`
      : `${core.threadName} #${core.threadId}`,
    String(core.halts),
    decimal(core.haltsPerSecond, 0),
    percent(core.shares?.idle),
    core.spinningLockName === null
      ? percent(core.shares?.lockSpin)
      : `${percent(core.shares?.lockSpin)} ${core.spinningLockName}`,
  ]);
}

export function renderMonitor(frame: MonitorFrame): string[] {
  const lines = [frame.title];
  const host = frame.hostCpuPercent === null ? "-" : `${frame.hostCpuPercent.toFixed(1)}% of one host core`;
  const global = frame.snapshot?.global;
  const halted = frame.activity?.filter((core) => core.state === "halted").length ?? 0;
  lines.push(
    `QEMU host CPU: ${host}   cores halted: ${frame.activity === null ? "-" : `${halted}/${frame.activity.length}`}` +
      (global === undefined
        ? ""
        : `   idle=${global.idlePolicy}   threads: ${frame.snapshot!.threads.length}`),
  );
  if (global?.hypervisor) {
    lines.push(
      `hypervisor: ${global.hypervisor.kind}` +
        (global.hypervisor.signature === "" ? "" : ` ("${global.hypervisor.signature}")`) +
        `   APIC: ${global.apicMode ?? "-"}`,
    );
  }
  if (global?.panic) lines.push(`PANIC on core ${global.panic.core}: ${global.panic.message}`);
  lines.push("");
  if (frame.activity === null) {
    lines.push(`telemetry: ${frame.unreadable ?? "waiting for the guest"}`);
  } else if (frame.activity.length > MONITOR_CORE_ROWS) {
    lines.push(
      ...formatTable(["cores", "states", "halts", "halts/s", "idle %", "spin"], groupRows(frame.activity), [
        "left",
        "left",
        "right",
        "right",
        "right",
        "right",
      ]),
      STATE_LEGEND,
    );
  } else {
    lines.push(
      ...formatTable(
        ["core", "state", "thread", "halts", "halts/s", "idle %", "spin"],
        coreRows(frame.activity),
        ["right", "left", "left", "right", "right", "right", "left"],
      ),
    );
  }
  if (frame.serialTail.length > 0) lines.push("", "serial:", ...frame.serialTail.map((line) => `  ${line}`));
  return lines;
}
