// metric-catalog.ts - every metric `toro exporter` emits: name, type, unit and help, in exposition order. The
// one list: vm-metrics.ts fills only these families, and the dashboard test (dashboards/toro-vms.json) checks
// every metric a PromQL expression names against it. Names follow Prometheus conventions: `toro_` prefix,
// base units (seconds), counters end in `_total`.
// Labels of every per-VM series: app, profile, idle_policy, hypervisor, vm (0, 1, ... among live VMs that
// share app, profile and idle policy, oldest first); per-core series add core; per-lock series add lock.

import type { MetricType } from "./exposition";

export interface MetricDefinition {
  name: string;
  type: MetricType;
  help: string;
  unit?: "seconds";
}

function counter(name: string, help: string, unit?: "seconds"): MetricDefinition {
  return { name, type: "counter", help, unit };
}
function gauge(name: string, help: string, unit?: "seconds"): MetricDefinition {
  return { name, type: "gauge", help, unit };
}

export const METRIC_CATALOG = {
  vmInfo: gauge(
    "toro_vm_info",
    "A Toro VM found by the exporter (1); labels name it; pid is QEMU's process id.",
  ),
  vmUp: gauge("toro_vm_up", "1 when the VM's telemetry block could be read at this scrape, 0 when not."),
  vmCores: gauge("toro_vm_cores_online", "Cores that reached the scheduler."),
  vmStartTime: gauge(
    "toro_vm_start_time_seconds",
    "When QEMU was started, seconds since the Unix epoch.",
    "seconds",
  ),
  vmBoot: gauge(
    "toro_vm_boot_seconds",
    "Kernel entry to every core ready, guest seconds (ready_tsc - boot_tsc).",
    "seconds",
  ),
  vmPanicked: gauge("toro_vm_panicked", "1 once a core of the VM panicked, else 0."),
  qemuCpu: counter(
    "toro_qemu_cpu_seconds_total",
    "Host CPU time used by the VM's QEMU process (user + system, all threads).",
    "seconds",
  ),
  coreState: gauge(
    "toro_core_state",
    "1 for the state the core is in now (offline, running, idle-spin, halted, lock-spin, interrupt, polling), 0 for the others.",
  ),
  coreHalts: counter("toro_core_halts_total", "hlt instructions the core executed."),
  coreHalted: counter("toro_core_halted_seconds_total", "Guest time the core spent halted (hlt).", "seconds"),
  coreBusy: counter(
    "toro_core_busy_seconds_total",
    "Guest time the core spent running threads that do work.",
    "seconds",
  ),
  coreIdleSpin: counter(
    "toro_core_idle_spin_seconds_total",
    "Guest time the core's idle loop spent spinning (idle policy busy or pause).",
    "seconds",
  ),
  coreLockSpin: counter(
    "toro_core_lock_spin_seconds_total",
    "Guest time the core spent spinning on spinlocks.",
    "seconds",
  ),
  corePolling: counter(
    "toro_core_polling_seconds_total",
    "Guest time the core ran threads that all only poll.",
    "seconds",
  ),
  coreInterrupt: counter(
    "toro_core_interrupt_seconds_total",
    "Guest time the core spent in interrupt handlers.",
    "seconds",
  ),
  coreWakeups: counter(
    "toro_core_wakeups_total",
    "Halts that ended, by what ended them (reason: timer, ipi, device, poll_recheck).",
  ),
  coreInterrupts: counter("toro_core_interrupts_total", "Interrupts the core took."),
  coreContextSwitches: counter("toro_core_context_switches_total", "Threads switched in on the core."),
  lockAcquisitions: counter("toro_spinlock_acquisitions_total", "Times the spinlock was acquired."),
  lockContentions: counter(
    "toro_spinlock_contentions_total",
    "Acquisitions of the spinlock that had to spin.",
  ),
  lockSpin: counter(
    "toro_spinlock_spin_seconds_total",
    "Guest time cores spent spinning on the spinlock.",
    "seconds",
  ),
} as const satisfies Record<string, MetricDefinition>;

export type MetricKey = keyof typeof METRIC_CATALOG;

/** Every metric name the exporter can emit (samples carry these names exactly). */
export const EXPORTED_METRIC_NAMES: readonly string[] = Object.values(METRIC_CATALOG).map(
  (definition: MetricDefinition) => definition.name,
);
