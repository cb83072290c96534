// thread-rows.ts - view model of the Threads view: one row per kernel thread, ordered by core then id.
// Pure; tested in test/unit/thread-rows.test.ts.

import type { ToroThread, ToroThreadState, ToroTelemetryBody } from "@toro-studio/debug-adapter/protocol";
import { formatCount } from "./format";
import type { RowIcon, TreeRow } from "./tree-row";

export interface ThreadRow extends TreeRow {
  threadId: number;
  core: number;
}

const THREAD_STATE_ICON: Record<ToroThreadState, RowIcon> = {
  running: { codicon: "play", color: "charts.blue" },
  ready: { codicon: "circle-outline", color: null },
  sleeping: { codicon: "clock", color: "charts.green" },
  blocked: { codicon: "debug-pause", color: "charts.yellow" },
  exited: { codicon: "pass", color: "disabledForeground" },
  unknown: { codicon: "question", color: null },
};

export function threadRows(body: ToroTelemetryBody | null): ThreadRow[] {
  if (body === null) return [];
  return [...body.threads].sort((left, right) => left.core - right.core || left.id - right.id).map(threadRow);
}

export function threadRow(thread: ToroThread): ThreadRow {
  const parts = [`CPU ${thread.core}`, thread.state];
  if (thread.polling) parts.push("polling");
  parts.push(`${formatCount(thread.switches)} switches`);
  return {
    id: `thread-${thread.id}`,
    threadId: thread.id,
    core: thread.core,
    label: `${thread.name} #${thread.id}`,
    description: parts.join(" · "),
    tooltip: [
      `**${thread.name}** (thread ${thread.id}) on CPU ${thread.core}`,
      "",
      `state: ${thread.state}${thread.polling ? ", polling (declared through the polling API)" : ""}`,
      `context switches: ${formatCount(thread.switches)}`,
    ].join("\n"),
    icon:
      thread.polling && thread.state !== "exited"
        ? { codicon: "radio-tower", color: "charts.yellow" }
        : THREAD_STATE_ICON[thread.state],
    contextValue: `toroThread.${thread.state}`,
  };
}
