// snapshot.ts - the typed result of decoding the telemetry block once: global state, per-core, per-lock and
// per-thread records, or the reason the block was unreadable. Produced by decoder.ts; consumed by derived.ts,
// the CLI monitor and (later) the DAP `toroTelemetry` event. Counters are JavaScript numbers: exact up to
// 2^53, i.e. about 35 days of TSC cycles at 3 GHz.

import { ApicMode, CoreState, Hypervisor, IdlePolicy, ThreadState } from "./layout";

/** What CPUID told the kernel about the machine under it (ABI version 2 and later). */
export interface HypervisorRecord {
  /** "none" on bare metal; "unknown" for a signature the kernel does not list. */
  kind: Hypervisor | "unknown";
  /** CPUID 0x40000000 EBX, ECX, EDX as text (NULs dropped), "" without a hypervisor. */
  signature: string;
  /** The hypervisor's highest CPUID leaf (e.g. 0x40000001), 0 without a hypervisor. */
  maxLeaf: number;
  /** CPUID 0x40000010 (VMware's timing leaf, KVM with a set TSC frequency), null where absent. */
  tscKhz: number | null;
  lapicKhz: number | null;
}

export interface GlobalRecord {
  /** The record never showed the same even sequence number twice in a row: fields may be mixed. */
  torn: boolean;
  idlePolicy: IdlePolicy | "unknown";
  coresDetected: number;
  coresOnline: number;
  locksRegistered: number;
  threadSlotsUsed: number;
  tscHz: number;
  bootTsc: number;
  /** TSC when all cores were up, null before. */
  readyTsc: number | null;
  pollGraceMicroseconds: number;
  tickHz: number;
  /** Set once a core panicked and its message is complete. */
  panic: { core: number; message: string } | null;
  cmdline: string;
  /** Null when the block predates the fields (ABI version 1). */
  hypervisor: HypervisorRecord | null;
  /** How the kernel drives the local APICs; null in ABI version 1. */
  apicMode: ApicMode | "unknown" | null;
}

export interface CoreRecord {
  index: number;
  torn: boolean;
  state: CoreState | "unknown";
  online: boolean;
  apicId: number;
  /** Thread id running here, null if none. */
  currentThread: number | null;
  /** Index into locks while state is lock-spin, else null. */
  spinningLock: number | null;
  readyThreads: number;
  totalThreads: number;
  pollingThreads: number;
  stateSinceTsc: number;
  updatedTsc: number;
  halts: number;
  pollHalts: number;
  /** Cycle counters cover closed intervals only; derived.ts adds the open interval of `state`. */
  cyclesHalted: number;
  cyclesBusy: number;
  cyclesIdleSpin: number;
  cyclesLockSpin: number;
  cyclesPolling: number;
  cyclesInterrupt: number;
  contextSwitches: number;
  interrupts: number;
  timerInterrupts: number;
  ipisReceived: number;
  ipisSent: number;
  wakeups: number;
  lastWakeupLatencyCycles: number;
  worstWakeupLatencyCycles: number;
  /** Network counters of this core (zero before ABI 2's network fields, and without a network). */
  network: CoreNetworkCounters;
  /** Halts ended, by what ended them (every exit from hlt; zero from kernels before these counters). */
  wakesByReason: WakesByReason;
}

/** The kernel's toro_wake_reason counters of one core (telemetry_abi.h). */
export interface WakesByReason {
  timer: number;
  ipi: number;
  device: number;
  pollRecheck: number;
}

/**
 * Frames the network code running on this core took in, sent and dropped; on the network thread's core, the
 * connection table's size and its TIME_WAIT entries at the thread's last pass (0 on the other cores).
 */
export interface CoreNetworkCounters {
  framesIn: number;
  framesOut: number;
  framesDropped: number;
  connectionsOpen: number;
  timeWait: number;
}

export interface LockRecord {
  index: number;
  torn: boolean;
  name: string;
  /** Core holding the lock, null when free. */
  ownerCore: number | null;
  acquisitions: number;
  contentions: number;
  cyclesSpun: number;
  longestHoldCycles: number;
}

export interface ThreadRecord {
  slot: number;
  torn: boolean;
  id: number;
  name: string;
  core: number;
  state: ThreadState | "unknown";
  polling: boolean;
  switches: number;
}

export interface TelemetrySnapshot {
  abiVersion: number;
  global: GlobalRecord;
  /** Cores 0 .. cores_detected-1 (plus any later one that is online). */
  cores: CoreRecord[];
  /** Registered locks, in registration order. */
  locks: LockRecord[];
  /** Live thread slots (free slots left out). */
  threads: ThreadRecord[];
  /** How many records never settled within the retry budget (each also has torn: true). */
  tornRecords: number;
  /** performance.now() when the read finished. */
  hostTimeMs: number;
}

/** Why the block could not be decoded: not there yet, corrupted, truncated, or another ABI version. */
export interface TelemetryUnreadable {
  unreadable: string;
  hostTimeMs: number;
}

export type TelemetryReadResult = TelemetrySnapshot | TelemetryUnreadable;

export function isUnreadable(result: TelemetryReadResult): result is TelemetryUnreadable {
  return "unreadable" in result;
}
