// core-rows.ts - view model of the Cores view: one row per core from a toroTelemetry body; above
// CORE_GROUP_SIZE cores, one collapsible row per group of CORE_GROUP_SIZE cores (state counts, halts/s and
// idle share of the group) with the cores inside. Pure (no vscode), unit-tested in
// test/unit/core-rows.test.ts; cores-view.ts shows the rows. A halted core, a busy one and one spinning on a
// lock differ in icon, color and text.

import type { ToroCore, ToroCoreState, ToroTelemetryBody } from "@toro-studio/debug-adapter/protocol";
import { formatCompact, formatCount, formatMicroseconds, formatRate, formatShare } from "./format";
import type { RowIcon, TreeRow } from "./tree-row";

/** Up to this many cores the view lists them flat; above, in collapsible groups of this many. */
export const CORE_GROUP_SIZE = 16;

export interface CoreRow extends TreeRow {
  /** The core this row shows; null for a group row. */
  coreIndex: number | null;
  /** The core's state; for a group row, the state that most needs attention among its cores. */
  state: ToroCoreState;
  /** A group row's core rows (the group starts collapsed); absent for a core row. */
  children?: CoreRow[];
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
  if (body.cores.length <= CORE_GROUP_SIZE) return body.cores.map(coreRow);
  const groups: CoreRow[] = [];
  for (let first = 0; first < body.cores.length; first += CORE_GROUP_SIZE) {
    groups.push(coreGroupRow(body.cores.slice(first, first + CORE_GROUP_SIZE)));
  }
  return groups;
}

/** States in the order a group names them and picks its icon: what burns host CPU first, halted last. */
const ATTENTION_ORDER: readonly ToroCoreState[] = [
  "idle-spin",
  "lock-spin",
  "polling",
  "running",
  "interrupt",
  "unknown",
  "halted",
  "offline",
];

/** One row for a run of cores: "CPUs 16-31", "12 halted · 3 running · 1 lock spin · 240/s · idle 81%". */
export function coreGroupRow(cores: readonly ToroCore[]): CoreRow {
  const first = cores[0].index;
  const last = cores[cores.length - 1].index;
  const counts = new Map<ToroCoreState, number>();
  for (const core of cores) counts.set(core.state, (counts.get(core.state) ?? 0) + 1);
  const present = ATTENTION_ORDER.filter((state) => counts.has(state));
  const state = present[0] ?? "unknown";
  const presentation = CORE_STATE_PRESENTATION[state];
  const stateText = present.map((each) => `${counts.get(each)} ${CORE_STATE_PRESENTATION[each].text}`);
  const rates = cores.map((core) => core.haltsPerSecond).filter((rate): rate is number => rate !== null);
  const idleShares = cores.flatMap((core) => (core.shares === null ? [] : [core.shares.idle]));
  const parts = [...stateText, rates.length === 0 ? "-" : formatRate(sum(rates))];
  if (idleShares.length > 0) parts.push(`idle ${formatShare(sum(idleShares) / idleShares.length)}`);
  const label = `CPUs ${first}-${last}`;
  const tooltip = [
    `**${label}**: ${cores.length} cores; expand for each core`,
    "",
    "| state | cores |",
    "|---|---:|",
    ...present.map((each) => `| ${CORE_STATE_PRESENTATION[each].text} | ${counts.get(each)} |`),
    "",
    `halts per second (all ${cores.length}): ${rates.length === 0 ? "-" : formatRate(sum(rates))}`,
  ].join("\n");
  return {
    id: `cores-${first}-${last}`,
    coreIndex: null,
    state,
    label,
    description: parts.join(" · "),
    tooltip,
    icon: presentation.icon,
    contextValue: "toroCoreGroup",
    children: cores.map(coreRow),
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

/** The Cores view's title description: the hypervisor the kernel found and its APIC mode ("KVM · x2APIC"). */
export function coresSummary(body: ToroTelemetryBody | null): string | undefined {
  const global = body?.global;
  if (global === null || global === undefined || global.hypervisor === null) return undefined;
  const machine = global.hypervisor.kind === "none" ? "bare metal" : global.hypervisor.kind;
  return global.apicMode === null ? machine : `${machine} · ${global.apicMode}`;
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
  const network = core.network;
  if (network.framesIn + network.framesOut + network.framesDropped + network.connectionsOpen > 0) {
    lines.push(
      `| network frames in / out / dropped | ${formatCompact(network.framesIn)} / ${formatCompact(network.framesOut)} / ${formatCompact(network.framesDropped)} |`,
    );
    if (network.connectionsOpen + network.timeWait > 0)
      lines.push(`| connections open (TIME_WAIT) | ${network.connectionsOpen} (${network.timeWait}) |`);
  }
  return lines.join("\n");
}
