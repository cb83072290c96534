// status-text.ts - view model of the status bar item: `4 cores · 3 halted · host 0.9%` from a telemetry body.
// Pure; tested in test/unit/status-text.test.ts. status-bar.ts shows it.

import type { ToroTelemetryBody } from "@toro-studio/debug-adapter/protocol";
import { formatHostPercent } from "./format";

export interface StatusText {
  text: string;
  tooltip: string;
}

export type SessionPhase = "live" | "ended";

export function statusText(body: ToroTelemetryBody, phase: SessionPhase): StatusText {
  const online = body.cores.filter((core) => core.online);
  const halted = online.filter((core) => core.state === "halted").length;
  const coreCount = online.length === 1 ? "1 core" : `${online.length} cores`;
  const host = `host ${formatHostPercent(body.host.qemuCpuPercent)}`;
  const ended = phase === "ended" ? " (ended)" : "";
  const policy = body.global?.idlePolicy ?? "unknown";
  const tooltipLines = [
    `Toro: ${coreCount}, ${halted} halted${body.target === "stopped" ? ", VM stopped" : ""}`,
    `idle policy: ${policy}`,
    `QEMU process: ${formatHostPercent(body.host.qemuCpuPercent)} of one host CPU`,
  ];
  if (body.unreadable !== null) tooltipLines.push(`telemetry: ${body.unreadable}`);
  if (phase === "ended") tooltipLines.push("The session ended: this is its last snapshot.");
  tooltipLines.push("Click to open the live monitor.");
  const summary = body.cores.length === 0 ? "Toro: no cores yet" : `${coreCount} · ${halted} halted`;
  return { text: `$(pulse) ${summary} · ${host}${ended}`, tooltip: tooltipLines.join("\n") };
}
