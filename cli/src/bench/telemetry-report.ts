// telemetry-report.ts - the benchmark's telemetry section: snapshot rates (RAM file flat out, the poller
// at 50 Hz, QMP flat out, whole exporter scrapes) and the compute sample's throughput with polling off / on, with the VM stops seen.
// Pure; pairs with telemetry-rate.ts and guest-throughput.ts.

import { decimal, formatTable } from "../text-table";
import { TelemetryRateResults } from "./telemetry-rate";
import { ThroughputResults } from "./guest-throughput";
import { verdict } from "./verdict";

export const TELEMETRY_TARGETS = {
  minimumSnapshotHz: 50,
  /** A scrape well under Prometheus' shortest usual interval (1 s): at most 100 ms. */
  minimumScrapeHz: 10,
  minimumThroughputRatio: 0.99,
  maximumVmStops: 0,
} as const;

export function formatTelemetrySection(
  rate: TelemetryRateResults | undefined,
  throughput: ThroughputResults | undefined,
): string[] {
  const lines: string[] = [];
  if (rate !== undefined) {
    const pollerMet = rate.poller.hz >= TELEMETRY_TARGETS.minimumSnapshotHz * 0.98; // a timer tick of slack
    lines.push(
      `Telemetry: decoded snapshots per second, compute sample with ${rate.cores} busy vCPUs`,
      ...formatTable(
        ["source", "rate", "snapshots", "torn", "unreadable", "target"],
        [
          [
            "RAM file, back to back (max)",
            `${decimal(rate.ramFileMaximum.hz, 0)} Hz`,
            String(rate.ramFileMaximum.snapshots),
            String(rate.ramFileMaximum.torn),
            String(rate.ramFileMaximum.unreadable),
            `>= ${TELEMETRY_TARGETS.minimumSnapshotHz} Hz (${verdict(rate.ramFileMaximum.hz >= TELEMETRY_TARGETS.minimumSnapshotHz)})`,
          ],
          [
            `poller asked for ${rate.poller.askedHz} Hz (RAM file)`,
            `${decimal(rate.poller.hz, 1)} Hz`,
            String(rate.poller.snapshots),
            String(rate.poller.torn),
            String(rate.poller.unreadable),
            `>= ${TELEMETRY_TARGETS.minimumSnapshotHz} Hz (${verdict(pollerMet)})`,
          ],
          [
            `QMP ${rate.qmpMaximum.method}, back to back (max)`,
            `${decimal(rate.qmpMaximum.hz, 0)} Hz`,
            String(rate.qmpMaximum.snapshots),
            String(rate.qmpMaximum.torn),
            String(rate.qmpMaximum.unreadable),
            "",
          ],
          [
            `toro exporter scrape, ${rate.exporterMaximum.vms} VM(s) (max)`,
            `${decimal(rate.exporterMaximum.hz, 0)} Hz`,
            String(rate.exporterMaximum.snapshots),
            "-",
            String(rate.exporterMaximum.unreadable),
            `>= ${TELEMETRY_TARGETS.minimumScrapeHz} Hz (${verdict(rate.exporterMaximum.hz >= TELEMETRY_TARGETS.minimumScrapeHz)})`,
          ],
        ],
        ["left", "right", "right", "right", "right", "left"],
      ),
    );
  }
  if (throughput !== undefined) {
    if (lines.length > 0) lines.push("");
    lines.push(
      `Guest throughput: samples/compute, one boot, ${throughput.rounds} rounds of ${throughput.sliceMilliseconds} ms ` +
        `slices; each slice vs the two telemetry-off slices around it (control: no reader, the noise floor)`,
      ...formatTable(
        ["telemetry", "iterations/s (median)", "vs off (median)", "VM stops", "target"],
        throughput.summary.map((row) => {
          const ratioMet =
            row.ratioToOff === null ? null : row.ratioToOff >= TELEMETRY_TARGETS.minimumThroughputRatio;
          const stopsMet = row.vmStops <= TELEMETRY_TARGETS.maximumVmStops;
          return [
            row.mode === "off" || row.mode === "control"
              ? row.mode
              : `${row.mode} at ${throughput.pollHz} Hz`,
            row.medianIterationsPerSecond === null ? "-" : String(Math.round(row.medianIterationsPerSecond)),
            row.ratioToOff === null ? "-" : `${row.ratioToOff.toFixed(4)}x`,
            String(row.vmStops),
            row.mode === "off" || row.mode === "control"
              ? `stops ${TELEMETRY_TARGETS.maximumVmStops} (${verdict(stopsMet)})`
              : `>= ${TELEMETRY_TARGETS.minimumThroughputRatio}x (${verdict(ratioMet)}), stops ${TELEMETRY_TARGETS.maximumVmStops} (${verdict(stopsMet)})`,
          ];
        }),
        ["left", "right", "right", "right", "left"],
      ),
      `VM stops over the whole run: ${throughput.vmStops} (QMP STOP events + ${throughput.statusSamples} query-status samples)`,
    );
  }
  return lines;
}
