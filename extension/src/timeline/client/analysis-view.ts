// analysis-view.ts - the answers beside the timeline, per core: halt residency, the histogram of halt
// lengths, wake-ups per second by reason (and IPI wake-ups by sending core), the top 5 reasons the core was
// not halted, and the trace's own health (events written, overruns). Built with DOM nodes (no innerHTML).

import type { ToroTraceWindowBody } from "@toro-studio/debug-adapter/protocol";

function node<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  className?: string,
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (text !== undefined) element.textContent = text;
  if (className !== undefined) element.className = className;
  return element;
}

const percent = (share: number) => `${(share * 100).toFixed(1)} %`;
const rate = (value: number) => (value >= 10 ? value.toFixed(0) : value.toFixed(1));

export function renderAnalysis(container: HTMLElement, window: ToroTraceWindowBody): void {
  container.replaceChildren();
  for (const core of window.analysis) {
    const lane = window.lanes.find((entry) => entry.core === core.core);
    const section = node("section", undefined, "core-analysis");
    section.dataset.core = String(core.core);
    section.dataset.haltResidency = core.haltResidency.toFixed(4);
    section.append(node("h3", `core ${core.core}`));
    section.append(
      node(
        "p",
        `halted ${percent(core.haltResidency)} of ${core.windowSeconds.toFixed(2)} s · ${core.halts} halts`,
      ),
    );
    const histogram = node("div", undefined, "histogram");
    const largest = Math.max(1, ...core.haltLengths.map((bucket) => bucket.count));
    for (const bucket of core.haltLengths) {
      const row = node("div", undefined, "bucket");
      const bar = node("span", undefined, "bar");
      bar.style.width = `${(bucket.count / largest) * 100}%`;
      row.append(
        node("span", bucket.label, "bucket-label"),
        bar,
        node("span", String(bucket.count), "count"),
      );
      histogram.append(row);
    }
    section.append(node("h4", "halt lengths"), histogram);
    const wakeups = Object.entries(core.wakeupsPerSecond).filter(([, value]) => value > 0);
    const ipiFrom = Object.entries(core.ipiWakeupsPerSecondFrom);
    section.append(
      node("h4", "wake-ups per second"),
      node(
        "p",
        wakeups.length === 0
          ? "none"
          : wakeups.map(([reason, value]) => `${reason} ${rate(value)}`).join(" · ") +
              (ipiFrom.length === 0
                ? ""
                : ` (ipi from ${ipiFrom.map(([from, value]) => `${from}: ${rate(value)}`).join(", ")})`),
      ),
    );
    const reasons = node("ol", undefined, "reasons");
    for (const reason of core.notHalted)
      reasons.append(
        node("li", `${reason.reason}: ${percent(reason.share)} (${reason.seconds.toFixed(3)} s)`),
      );
    section.append(node("h4", "top reasons not halted"), reasons);
    if (lane !== undefined) {
      section.append(
        node(
          "p",
          `${lane.drained} events read of ${lane.written} written · ${lane.overruns} overruns · ${lane.evicted} dropped from the window`,
          lane.overruns > 0 ? "health warning" : "health",
        ),
      );
    }
    container.append(section);
  }
}
