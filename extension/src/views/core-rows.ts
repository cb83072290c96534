// core-rows.ts - view model of the Cores view: one row per core from a toroTelemetry body. Pure (no vscode),
// unit-tested in test/unit/core-rows.test.ts; cores-view.ts shows the rows. A halted core, a busy one and
// one spinning on a lock differ in icon, color and text.

import type {
  ToroCore,
  ToroCoreState,
  ToroTelemetryBody,
} from "@toro-studio/debug-adapter/src/protocol/toro-protocol";
import { formatCompact, formatCount, formatMicroseconds, formatRate, formatShare } from "./format";
import type { RowIcon, TreeRow } from "./tree-row";

export interface CoreRow extends TreeRow {
  coreIndex: number;
  state: ToroCoreState;
}

interface StatePresentation {
  text: string;
  icon: RowIcon;
  meaning: string;
}

/** How each state looks. Green = idle the cheap way (halted); red/orange = burning host CPU without work. */
export const CORE_STATE_PRESENTATION: Record<ToroCoreState, StatePresentation> = {
  running: { text: "running", icon: { codicon: "play", color: "charts.blue" }, meaning: "running a thread" },
  halted: {
    text: "halted",
    icon: { codicon: "debug-pause", color: "charts.green" },
    meaning: "in `hlt` until the next interrupt (costs the host nothing)",
  },
  "idle-spin": {
    text: "idle spin",
    icon: { codicon: "sync", color: "charts.red" },
    meaning: "spinning with nothing to do (burns a host CPU)",
  },
  "lock-spin": {
    text: "lock spin",
    icon: { codicon: "lock", color: "charts.orange" },
    meaning: "spinning on a spinlock held by another core",
  },
  polling: {
    text: "polling",
    icon: { codicon: "radio-tower", color: "charts.yellow" },
    meaning: "every thread only polls (halts between polls under a halting policy)",
  },
  interrupt: {
    text: "interrupt",
    icon: { codicon: "zap", color: "charts.purple" },
    meaning: "in an interrupt handler",
  },
  offline: {
    text: "offline",
    icon: { codicon: "circle-slash", color: "disabledForeground" },
    meaning: "not started, or stopped after a panic",
  },
  unknown: { text: "unknown", icon: { codicon: "question", color: null }, meaning: "state not readable" },
};

export function coreRows(body: ToroTelemetryBody | null): CoreRow[] {
  if (body === null) return [];
  return body.cores.map(coreRow);
}

export function coreRow(core: ToroCore): CoreRow {
  const presentation = CORE_STATE_PRESENTATION[core.state] ?? CORE_STATE_PRESENTATION.unknown;
  const parts = [
    presentation.text,
    threadText(core),
    `${formatCount(core.halts)} halts`,
    formatRate(core.haltsPerSecond),
  ];
  if (core.shares !== null) {
    parts.push(`idle ${formatShare(core.shares.idle)}`);
    parts.push(`spin ${formatShare(core.shares.idleSpin + core.shares.lockSpin)}`);
  }
  if (core.spinningLock !== null) parts.push(`on ${core.spinningLock}`);
  return {
    id: `core-${core.index}`,
    coreIndex: core.index,
    state: core.state,
    label: `CPU ${core.index}`,
    description: parts.join(" · "),
    tooltip: coreTooltip(core, presentation),
    icon: presentation.icon,
    contextValue: "toroCore",
  };
}

function threadText(core: ToroCore): string {
  if (core.threadName !== null) return core.threadName;
  if (core.threadId !== null) return `thread ${core.threadId}`;
  return "no thread";
}

function coreTooltip(core: ToroCore, presentation: StatePresentation): string {
  const shares = core.shares;
  const lines = [
    `**CPU ${core.index}**: ${presentation.text}, ${presentation.meaning}`,
    "",
    "| | |",
    "|---|---:|",
    `| thread | ${threadText(core)} |`,
    `| threads ready / polling / total | ${core.readyThreads} / ${core.pollingThreads} / ${core.totalThreads} |`,
    `| halts (while polling) | ${formatCount(core.halts)} (${formatCount(core.pollHalts)}) |`,
    `| halts per second | ${formatRate(core.haltsPerSecond)} |`,
  ];
  if (shares !== null) {
    lines.push(
      `| busy / interrupt | ${formatShare(shares.busy)} / ${formatShare(shares.interrupt)} |`,
      `| halted / polling | ${formatShare(shares.halted)} / ${formatShare(shares.polling)} |`,
      `| idle spin / lock spin | ${formatShare(shares.idleSpin)} / ${formatShare(shares.lockSpin)} |`,
    );
  }
  lines.push(
    `| context switches | ${formatCompact(core.contextSwitches)} |`,
    `| interrupts / IPIs | ${formatCompact(core.interrupts)} / ${formatCompact(core.ipisReceived)} |`,
    `| wake-ups | ${formatCompact(core.wakeups)} |`,
    `| wake-up latency last / worst | ${formatMicroseconds(core.lastWakeupLatencyMicroseconds)} / ${formatMicroseconds(core.worstWakeupLatencyMicroseconds)} |`,
  );
  if (core.spinningLock !== null) lines.push(`| spinning on | ${core.spinningLock} |`);
  return lines.join("\n");
}
