// run-summary.ts - the one JSON object `toro run --json` prints at the end: settings, how the run ended,
// boot time, QEMU host CPU over the run, and per-core counters with halts/s and shares over the run
// (first telemetry sample after ready -> last sample). Pure; pairs with run-command.ts.

import { coreActivity, EffectiveSettings, QemuExit, TelemetrySample } from "@toro-studio/debug-adapter";

export type RunEnd = "duration" | "interrupted" | "guest-exit" | "qemu-exited" | "panic" | "triple-fault";

export interface RunSummaryInput {
  app: string;
  profile: string;
  settings: EffectiveSettings;
  end: RunEnd;
  exit: QemuExit | null;
  durationSeconds: number;
  bootMilliseconds: number | null;
  qemuHostCpuPercent: number | null;
  first: TelemetrySample | null;
  last: TelemetrySample | null;
  telemetryProblem: string | null;
}

function round(value: number | null | undefined, digits = 3): number | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function runSummary(input: RunSummaryInput) {
  const last = input.last;
  const first = input.first !== null && input.first !== last ? input.first : undefined;
  const activity = last === null ? [] : coreActivity(last, first);
  return {
    app: input.app,
    profile: input.profile,
    settings: input.settings,
    end: input.end,
    guestExitCode: input.exit?.guestExitCode ?? null,
    qemuExitStatus: input.exit?.exitCode ?? null,
    durationSeconds: round(input.durationSeconds),
    bootMilliseconds: round(input.bootMilliseconds, 1),
    qemuHostCpuPercent: round(input.qemuHostCpuPercent, 2),
    /** Over the interval the per-core rates and shares cover (first sample after ready -> last sample). */
    measuredSeconds:
      first === undefined || last === null
        ? null
        : round((last.snapshot.hostTimeMs - first.snapshot.hostTimeMs) / 1000),
    telemetry: input.telemetryProblem === null ? "ok" : input.telemetryProblem,
    panic: last?.snapshot.global.panic ?? null,
    /** Null for a kernel whose telemetry predates the field (ABI version 1) or without telemetry. */
    hypervisor: last?.snapshot.global.hypervisor ?? null,
    apicMode: last?.snapshot.global.apicMode ?? null,
    cores: activity.map((core) => {
      const record = last!.snapshot.cores.find((candidate) => candidate.index === core.index)!;
      return {
        index: core.index,
        state: core.state,
        thread: core.threadName,
        halts: record.halts,
        pollHalts: record.pollHalts,
        haltsPerSecond: round(core.haltsPerSecond, 1),
        idleShare: round(core.shares?.idle),
        haltedShare: round(core.shares?.halted),
        busyShare: round(core.shares?.busy),
        idleSpinShare: round(core.shares?.idleSpin),
        lockSpinShare: round(core.shares?.lockSpin),
        pollingShare: round(core.shares?.polling),
        contextSwitches: record.contextSwitches,
        interrupts: record.interrupts,
        timerInterrupts: record.timerInterrupts,
        ipisReceived: record.ipisReceived,
        ipisSent: record.ipisSent,
        wakeups: record.wakeups,
        worstWakeupLatencyMicroseconds: round(core.worstWakeupLatencyMicroseconds, 1),
        network: record.network,
      };
    }),
    locks:
      last?.snapshot.locks.map((lock) => ({
        name: lock.name,
        ownerCore: lock.ownerCore,
        acquisitions: lock.acquisitions,
        contentions: lock.contentions,
        cyclesSpun: lock.cyclesSpun,
      })) ?? [],
  };
}
