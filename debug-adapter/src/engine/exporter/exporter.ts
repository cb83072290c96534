// exporter.ts - `toro exporter`'s engine: on every scrape, discovers the Toro VMs of this user on this host
// (run-discovery.ts) plus the QMP targets it was given (qmp-target.ts), reads each one's telemetry block
// without stopping it (the RAM file through RamFileSource and the decoder, as the views do; QMP pmemsave for
// QMP targets), QEMU's host CPU (../host/process-cpu.ts), and returns the exposition (vm-metrics.ts,
// exposition.ts). Per VM it keeps a guest clock (for the open interval of each core's state) and an open RAM
// file, dropped when the VM is gone; counters stay monotonic across VM restarts (monotonic-counters.ts).

import * as fs from "node:fs";
import * as path from "node:path";
import { clockTicksPerSecond, readProcessCpu } from "../host/process-cpu";
import { decodeTelemetry } from "../telemetry/decoder";
import { GuestClock } from "../telemetry/guest-clock";
import { isUnreadable, TelemetryReadResult } from "../telemetry/snapshot";
import { locateTelemetry, RamFileSource } from "../telemetry/telemetry-reader";
import { ExpositionFormat, formatExposition, MetricFamily } from "./exposition";
import { MonotonicCounters } from "./monotonic-counters";
import { QmpScrapeTarget } from "./qmp-target";
import { defaultRunsDirectory, discoverRuns, DiscoveredRun } from "./run-discovery";
import { vmMetricFamilies, VmReading } from "./vm-metrics";

export interface ExporterOptions {
  /** Where run folders are looked for; default os.tmpdir() (where QemuInstance creates them). */
  runsDirectory?: string;
  /** QMP sockets of VMs started elsewhere. */
  qmpSockets?: readonly string[];
}

interface RunState {
  pid: number;
  source: RamFileSource | undefined;
  clock: GuestClock;
  /** The block's place, from kernel.elf as it was (size, mtime) when located; null: no block there. */
  location: { stamp: string; physicalAddress: number | null } | undefined;
}

export class Exporter {
  readonly runsDirectory: string;
  private readonly qmpTargets: { target: QmpScrapeTarget; clock: GuestClock }[];
  private readonly runs = new Map<string, RunState>();
  private readonly counters = new MonotonicCounters();
  private closed = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: ExporterOptions = {}) {
    this.runsDirectory = options.runsDirectory ?? defaultRunsDirectory();
    this.qmpTargets = (options.qmpSockets ?? []).map((socket) => ({
      target: new QmpScrapeTarget(socket),
      clock: new GuestClock(),
    }));
  }

  /**
   * Reads every VM once and returns the metric families. Scrapes run one at a time (two scrapers at once
   * queue): a QMP target holds one connection, and counters must see readings in order.
   */
  collect(): Promise<MetricFamily[]> {
    const result = this.queue.then(() => this.collectNow());
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async collectNow(): Promise<MetricFamily[]> {
    if (this.closed) throw new Error("the exporter is closed");
    const readings = [...this.readRuns(discoverRuns(this.runsDirectory)), ...(await this.readQmpTargets())];
    return vmMetricFamilies(readings, this.counters, Date.now());
  }

  /** One scrape's exposition text. */
  async exposition(format: ExpositionFormat): Promise<string> {
    return formatExposition(await this.collect(), format);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const state of this.runs.values()) state.source?.close();
    this.runs.clear();
    await Promise.all(this.qmpTargets.map(({ target }) => target.close()));
  }

  private readRuns(discovered: DiscoveredRun[]): VmReading[] {
    const live = new Set(discovered.map((run) => run.directory));
    for (const [directory, state] of this.runs) {
      if (!live.has(directory)) {
        state.source?.close();
        this.runs.delete(directory);
      }
    }
    return discovered.map(({ directory, description }) => {
      let state = this.runs.get(directory);
      if (state === undefined || state.pid !== description.pid) {
        state?.source?.close();
        state = {
          pid: description.pid,
          source: openRamFile(description.ramPath),
          clock: new GuestClock(),
          location: undefined,
        };
        this.runs.set(directory, state);
      }
      const address = blockAddress(state, description.kernelElfPath);
      const telemetry =
        address === null || state.source === undefined ? null : decodeTelemetry(state.source.reader(address));
      return {
        app: path.basename(description.app), // the folder's name: what dashboards show

        profile: description.profile,
        idlePolicy: description.idlePolicy,
        pid: description.pid,
        startedAtMs: description.startedAtMs,
        telemetry,
        guestNowTsc: guestNow(state.clock, telemetry),
        qemuCpuSeconds: qemuCpuSeconds(description.pid),
      };
    });
  }

  private async readQmpTargets(): Promise<VmReading[]> {
    return Promise.all(
      this.qmpTargets.map(async ({ target, clock }) => {
        const telemetry = await target.read();
        const pid = target.qemuPid;
        const idlePolicy = isUnreadable(telemetry) ? "unknown" : telemetry.global.idlePolicy;
        return {
          app: `qmp:${target.socketPath}`,
          profile: "external",
          idlePolicy,
          pid,
          startedAtMs: null,
          telemetry,
          guestNowTsc: guestNow(clock, telemetry),
          qemuCpuSeconds: pid === null ? null : qemuCpuSeconds(pid),
        };
      }),
    );
  }
}

/**
 * The block's physical address from kernel.elf, located again only when the file changed (a rebuild); null
 * when kernel.elf is missing or has no telemetry block (the VM is then listed with toro_vm_up 0).
 */
function blockAddress(state: RunState, kernelElfPath: string): number | null {
  let stamp: string;
  try {
    const status = fs.statSync(kernelElfPath);
    stamp = `${status.size}/${status.mtimeMs}`;
  } catch {
    return null;
  }
  if (state.location?.stamp !== stamp) {
    let physicalAddress: number | null = null;
    try {
      physicalAddress = locateTelemetry(kernelElfPath).physicalAddress;
    } catch {
      // not a Toro kernel.elf (a fixture), or one without the symbol
    }
    state.location = { stamp, physicalAddress };
  }
  return state.location.physicalAddress;
}

function openRamFile(ramPath: string): RamFileSource | undefined {
  try {
    return new RamFileSource(ramPath);
  } catch {
    return undefined; // removed between discovery and here: the VM is gone
  }
}

function guestNow(clock: GuestClock, telemetry: TelemetryReadResult | null): number | null {
  if (telemetry === null || isUnreadable(telemetry)) return null;
  clock.observe(telemetry);
  return clock.estimate(telemetry.hostTimeMs);
}

function qemuCpuSeconds(pid: number): number | null {
  const reading = readProcessCpu(pid);
  return reading === null ? null : reading.ticks / clockTicksPerSecond();
}
