// adapter-report.ts - the benchmark sections measured through the debug adapter: F5 latency against the
// by-hand floor, and the step round trip, with their targets. Pure; pairs with f5-latency.ts.

import { decimal, formatTable } from "../text-table";
import { AdapterStatus, F5Results, StepResults, TARGETS } from "./f5-latency";
import { verdict } from "./verdict";

function milliseconds(value: number | null): string {
  return value === null ? "-" : `${value.toFixed(1)} ms`;
}

function runs(values: number[]): string {
  return values.length === 0 ? "-" : values.map((value) => value.toFixed(0)).join(" / ");
}

/** What to print instead of numbers when the adapter side could not be measured. */
export function adapterNote(status: AdapterStatus): string | null {
  if (status.state === "not-built") return "adapter not built (no debug-adapter/dist/adapter.js)";
  if (status.state === "failed") return `adapter failed: ${status.error}`;
  return null;
}

export function formatF5Section(f5: F5Results): string[] {
  const met = f5.ratio === null ? null : f5.ratio <= TARGETS.f5MaximumRatio;
  const note = adapterNote(f5.adapter);
  return [
    `F5 latency: launch request -> stopped at ${f5.breakpoint} (warm build), against QEMU -S + gdb -batch by hand`,
    ...formatTable(
      ["side", "median", "runs (ms)"],
      [
        [`floor (QEMU -S + gdb -batch, ${f5.floorMode})`, milliseconds(f5.floorMedianMs), runs(f5.floorMs)],
        ["adapter (DAP launch)", note ?? milliseconds(f5.adapterMedianMs), runs(f5.adapterMs)],
      ],
      ["left", "right", "left"],
    ),
    `ratio adapter / floor: ${f5.ratio === null ? "-" : `${f5.ratio.toFixed(2)}x`}   ` +
      `target <= ${TARGETS.f5MaximumRatio}x (${verdict(met)})   ` +
      `(a warm make takes ${milliseconds(f5.warmBuildMs)}; the adapter skips it when its build stamp ` +
      "shows nothing changed)",
  ];
}

export function formatStepSection(steps: StepResults): string[] {
  const note = adapterNote(steps.adapter);
  const met = steps.medianMs === null ? null : steps.medianMs < TARGETS.stepMedianMaximumMs;
  return [
    `Step round trip: DAP next -> stopped, ${steps.roundTripsMs.length} steps in main`,
    ...formatTable(
      ["median", "p95", "max", "target"],
      [
        note === null
          ? [
              milliseconds(steps.medianMs),
              milliseconds(steps.p95Ms),
              steps.roundTripsMs.length === 0 ? "-" : `${decimal(Math.max(...steps.roundTripsMs))} ms`,
              `median < ${TARGETS.stepMedianMaximumMs} ms (${verdict(met)})`,
            ]
          : [note, "-", "-", `median < ${TARGETS.stepMedianMaximumMs} ms (-)`],
      ],
      ["right", "right", "right", "left"],
    ),
  ];
}
