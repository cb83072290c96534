// monitor-view.ts - the live per-core table of `toro run --monitor`, as plain text lines from derived
// telemetry (pure: snapshot in, lines out). Pairs with terminal-monitor.ts, which redraws it.

import { CoreActivity } from "../engine/telemetry/derived";
import { TelemetrySnapshot } from "../engine/telemetry/snapshot";
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
  if (global?.panic) lines.push(`PANIC on core ${global.panic.core}: ${global.panic.message}`);
  lines.push("");
  if (frame.activity === null) {
    lines.push(`telemetry: ${frame.unreadable ?? "waiting for the guest"}`);
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
