// toro-protocol.ts - Toro Studio's custom Debug Adapter Protocol messages, declared once: the DAP session
// (debug-adapter/src/session/) sends them and the extension (extension/src/) imports this file to read them.
// Self-contained on purpose (no runtime imports), so the extension can bundle it without the engine.
// Every field is plain JSON. Bump TORO_PROTOCOL_VERSION on any incompatible change. The event trace's
// messages are in trace-protocol.ts.

export const TORO_PROTOCOL_VERSION = 1;

/** The debugger type contributed by the extension and served by dist/adapter.js. */
export const TORO_DEBUG_TYPE = "toro";

/** Event sent at `telemetryHz` while the session lives, running or stopped. Body: ToroTelemetryBody. */
export const TORO_TELEMETRY_EVENT = "toroTelemetry";

/** Request answered with one snapshot on demand. Arguments: none. Response body: ToroTelemetryBody. */
export const TORO_SNAPSHOT_REQUEST = "toroSnapshot";

/**
 * Request: select a vCPU in the client's Call Stack. Arguments: ToroSelectCoreArguments. While the VM is
 * stopped, the adapter answers and re-sends a `stopped` event for thread `core + 1` (allThreadsStopped, the
 * current stop's reason, preserveFocusHint false), so the client focuses that vCPU and shows its top frame;
 * nothing in the VM changes. While it runs, the response is an error saying "the VM is running".
 */
export const TORO_SELECT_CORE_REQUEST = "toroSelectCore";

export interface ToroSelectCoreArguments {
  /** Core index = QEMU CPU index, 0 .. cpus - 1. */
  core: number;
}

/**
 * Request: select a kernel thread in the client's Call Stack (a click in the Threads view). Arguments:
 * ToroSelectThreadArguments. While the VM is stopped, the adapter re-sends the current stop as a `stopped`
 * event (as for toroSelectCore) for that thread's DAP thread: the kernel thread itself when it is switched out
 * (DAP id 100000 + id, listed after the vCPUs while stopped), or the vCPU running it. An unknown thread and a
 * running VM are refused with a message.
 */
export const TORO_SELECT_THREAD_REQUEST = "toroSelectThread";

export interface ToroSelectThreadArguments {
  /** The kernel's thread id (ToroThread.id). */
  thread: number;
}

/** Event sent once the target is up (GDB connected; with noDebug, QEMU started). Body: ToroSessionBody. */
export const TORO_SESSION_EVENT = "toroSession";

/** Event sent when `launch` built the app, failed or not. Body: ToroBuildBody. */
export const TORO_BUILD_EVENT = "toroBuild";

/** Exception breakpoint filter: stop at kernel panics and CPU exceptions (on by default). */
export const TORO_PANIC_FILTER = "panic";

/** The Debug Console command prefix that sends the rest of the line to GDB's own command line. */
export const TORO_RAW_GDB_PREFIX = "-exec ";

/** Same names as the kernel's enum toro_core_state (kernel/include/telemetry_abi.h). */
export type ToroCoreState =
  "offline" | "running" | "idle-spin" | "halted" | "lock-spin" | "interrupt" | "polling" | "unknown";

export type ToroIdlePolicy = "busy" | "pause" | "halt" | "tickless";

export type ToroThreadState = "ready" | "running" | "sleeping" | "blocked" | "exited" | "unknown";

/** Share of a core's time, each 0..1, over the interval since the previous event (or since boot). */
export interface ToroCoreShares {
  /** halted + idleSpin + polling: Toro's idle cases 2-4. */
  idle: number;
  busy: number;
  halted: number;
  idleSpin: number;
  lockSpin: number;
  polling: number;
  interrupt: number;
}

export interface ToroCore {
  /** Core index = QEMU CPU index; the DAP thread id of this vCPU is index + 1. */
  index: number;
  state: ToroCoreState;
  online: boolean;
  /** Kernel thread running on this core, null when none. */
  threadId: number | null;
  threadName: string | null;
  readyThreads: number;
  totalThreads: number;
  pollingThreads: number;
  halts: number;
  pollHalts: number;
  /** Halts per host second over the last interval; null for the first event. */
  haltsPerSecond: number | null;
  /** null when no time passed (or the core is offline). */
  shares: ToroCoreShares | null;
  /** Name of the spinlock this core spins on, null when not spinning. */
  spinningLock: string | null;
  contextSwitches: number;
  interrupts: number;
  ipisReceived: number;
  wakeups: number;
  lastWakeupLatencyMicroseconds: number | null;
  worstWakeupLatencyMicroseconds: number | null;
  /** Frames in, out and dropped by this core's code; connections and TIME_WAIT on the network thread's core. */
  network: {
    framesIn: number;
    framesOut: number;
    framesDropped: number;
    connectionsOpen: number;
    timeWait: number;
  };
}

export interface ToroSpinlock {
  name: string;
  /** Core holding it, null when free. */
  ownerCore: number | null;
  acquisitions: number;
  contentions: number;
  cyclesSpun: number;
  longestHoldMicroseconds: number | null;
}

export interface ToroThread {
  id: number;
  name: string;
  core: number;
  state: ToroThreadState;
  polling: boolean;
  switches: number;
}

/** The hypervisor the kernel found through CPUID (kernel/arch/hypervisor.c). */
export interface ToroHypervisor {
  /** "none" (bare metal), "unknown", "KVM", "Hyper-V", "VMware", "VirtualBox", "Xen", "TCG", "bhyve", ... */
  kind: string;
  /** CPUID 0x40000000's 12 bytes as text, e.g. "KVMKVMKVM"; "" without a hypervisor. */
  signature: string;
  /** The hypervisor's highest CPUID leaf. */
  maxLeaf: number;
  /** CPUID 0x40000010: TSC and LAPIC timer frequencies in kHz; null where the hypervisor does not say. */
  tscKhz: number | null;
  lapicKhz: number | null;
}

export interface ToroGlobal {
  idlePolicy: ToroIdlePolicy | "unknown";
  coresOnline: number;
  coresDetected: number;
  tscHz: number;
  pollGraceMicroseconds: number;
  tickHz: number;
  /** Set once the kernel panicked. */
  panic: { core: number; message: string } | null;
  /** Null for a kernel whose telemetry predates the field (ABI version 1). */
  hypervisor: ToroHypervisor | null;
  /** How the kernel drives the local APICs; null as for `hypervisor`. */
  apicMode: "xAPIC" | "x2APIC" | "unknown" | null;
}

export interface ToroHost {
  /** The QEMU process's CPU use over the last interval, percent of one host core; null until measured. */
  qemuCpuPercent: number | null;
  qemuPid: number | null;
}

/**
 * The VM as QEMU reports it over QMP (absent when attached without a QMP socket): `stops` counts QEMU's STOP
 * events since the session started, so a reader can check that telemetry never stopped the VM.
 */
export interface ToroVm {
  /** QEMU's run state, e.g. "running", "debug" (stopped by GDB), "paused", "shutdown"; null until known. */
  status: string | null;
  stops: number;
}

/** Body of the toroTelemetry event and of the toroSnapshot response. */
export interface ToroTelemetryBody {
  protocolVersion: typeof TORO_PROTOCOL_VERSION;
  /** Increases by one per body sent in this session. */
  sequence: number;
  /** Host wall-clock time of the read, milliseconds since the epoch. */
  timeMs: number;
  /** Whether the VM was running or stopped (at a breakpoint, paused) when read. */
  target: "running" | "stopped";
  /** Null when the block was readable; otherwise why not (e.g. not booted yet), and the lists are empty. */
  unreadable: string | null;
  global: ToroGlobal | null;
  cores: ToroCore[];
  spinlocks: ToroSpinlock[];
  threads: ToroThread[];
  host: ToroHost;
  /** Null when attached without QMP. */
  vm: ToroVm | null;
}

/** Body of the toroSession event. */
export interface ToroSessionBody {
  protocolVersion: typeof TORO_PROTOCOL_VERSION;
  request: "launch" | "attach";
  /** Number of vCPUs (= DAP threads 1..cpus). */
  cpus: number;
  idlePolicy: ToroIdlePolicy | null;
  /** Run Without Debugging (`noDebug`): QEMU runs without a gdbstub and no GDB is started. */
  noDebug: boolean;
  /** The kernel.elf GDB debugs (with noDebug: the one the telemetry block is located in). */
  program: string;
  /** 127.0.0.1:<port> of QEMU's gdbstub; null with noDebug. */
  gdbstub: string | null;
  /** Process ids, for tools that watch them (null when not started by this session). */
  qemuPid: number | null;
  gdbPid: number | null;
  /** The launch's private 0700 directory (guest RAM file, QMP socket), removed at the end; null on attach. */
  privateDirectory: string | null;
  telemetryHz: number;
  /** The guest port forwarded from 127.0.0.1 (launch `network`); null without a network or on attach. */
  network: ToroPortForwarding | null;
}

/** http://127.0.0.1:<hostPort>/ on the host reaches guestAddress:guestPort (QEMU user networking). */
export interface ToroPortForwarding {
  url: string;
  hostAddress: string;
  hostPort: number;
  guestAddress: string;
  guestPort: number;
}

/** One compiler, assembler or linker message (what VS Code's $gcc problem matcher would read). */
export interface ToroDiagnostic {
  /** Absolute path. */
  file: string;
  line: number;
  /** 1-based; null when the tool gave none (assembler, linker). */
  column: number | null;
  severity: "error" | "warning" | "note";
  message: string;
}

/** Body of the toroBuild event. */
export interface ToroBuildBody {
  success: boolean;
  exitCode: number | null;
  durationMs: number;
  diagnostics: ToroDiagnostic[];
}
