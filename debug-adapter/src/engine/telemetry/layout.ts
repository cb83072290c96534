// layout.ts - the telemetry block layout, mirroring kernel/include/telemetry_abi.h field by field
// (offsets and sizes in bytes, enums as name tables). Pairs with decoder.ts and record-decoding.ts;
// test/unit/layout.test.ts checks every offset and size here against GDB's `ptype/o` of the C structs.
// Bump TELEMETRY_ABI_VERSION together with the header; keep decoding the versions in SUPPORTED_ABI_VERSIONS.

export const TELEMETRY_MAGIC = 0x4d4c45544f524f54n; // "TOROTELM" read as little-endian bytes
export const TELEMETRY_ABI_VERSION = 2;
export const TELEMETRY_SYMBOL = "toro_telemetry";

/**
 * Versions this decoder reads. The records of version 1 have the same sizes and offsets as version 2's;
 * version 2 added the hypervisor and APIC mode fields in the global record's padding (zero in version 1,
 * reported as absent) and raised the capacities (16 -> 256 cores, 128 -> 512 threads). Capacities are
 * always taken from the header, never from the constants below.
 */
export const SUPPORTED_ABI_VERSIONS: readonly number[] = [1, 2];
/** The first version with the hypervisor fields of the global record. */
export const HYPERVISOR_FIELDS_SINCE_VERSION = 2;

export const MAX_CPUS = 256;
export const MAX_LOCKS = 64;
export const MAX_THREADS = 512;
export const NAME_LENGTH = 32;
export const PANIC_MESSAGE_LENGTH = 256;
export const CMDLINE_LENGTH = 128;

/** A field's place inside its struct; `kind` says how the decoder reads it. */
export interface FieldLayout {
  offset: number;
  size: number;
  kind: "u32" | "i32" | "u64" | "chars" | "bytes";
}

export type StructLayout<Name extends string> = {
  name: string; // the C struct tag
  size: number;
  fields: Record<Name, FieldLayout>;
};

function u32(offset: number): FieldLayout {
  return { offset, size: 4, kind: "u32" };
}
function i32(offset: number): FieldLayout {
  return { offset, size: 4, kind: "i32" };
}
function u64(offset: number): FieldLayout {
  return { offset, size: 8, kind: "u64" };
}
function chars(offset: number, size: number): FieldLayout {
  return { offset, size, kind: "chars" };
}
function bytes(offset: number, size: number): FieldLayout {
  return { offset, size, kind: "bytes" };
}

export const HEADER_LAYOUT = {
  name: "toro_telemetry_header",
  size: 72,
  fields: {
    magic: u64(0),
    abi_version: u32(8),
    total_size: u32(12),
    header_size: u32(16),
    global_offset: u32(20),
    global_size: u32(24),
    cores_offset: u32(28),
    core_record_size: u32(32),
    core_capacity: u32(36),
    locks_offset: u32(40),
    lock_record_size: u32(44),
    lock_capacity: u32(48),
    threads_offset: u32(52),
    thread_record_size: u32(56),
    thread_capacity: u32(60),
    name_length: u32(64),
    trace_offset: u32(68), // the optional event trace section (../trace/trace-layout.ts), 0 = none
  },
} as const satisfies StructLayout<string>;

export const GLOBAL_LAYOUT = {
  name: "toro_global_record",
  size: 512,
  fields: {
    seq: u32(0),
    idle_policy: u32(4),
    cores_detected: u32(8),
    cores_online: u32(12),
    locks_registered: u32(16),
    thread_slots_used: u32(20),
    tsc_hz: u64(24),
    boot_tsc: u64(32),
    ready_tsc: u64(40),
    poll_grace_us: u64(48),
    tick_hz: u64(56),
    panic_flag: u32(64),
    panic_core: i32(68),
    panic_message: chars(72, PANIC_MESSAGE_LENGTH),
    cmdline: chars(328, CMDLINE_LENGTH),
    hypervisor: u32(456),
    hypervisor_max_leaf: u32(460),
    hypervisor_signature: bytes(464, 12),
    hypervisor_tsc_khz: u32(476),
    hypervisor_lapic_khz: u32(480),
    apic_mode: u32(484),
    padding: bytes(488, 24),
  },
} as const satisfies StructLayout<string>;

export const CORE_LAYOUT = {
  name: "toro_core_record",
  size: 256,
  fields: {
    seq: u32(0),
    state: u32(4),
    online: u32(8),
    apic_id: u32(12),
    current_thread: i32(16),
    spinning_lock: i32(20),
    ready_threads: u32(24),
    total_threads: u32(28),
    polling_threads: u32(32),
    reserved: u32(36),
    state_since_tsc: u64(40),
    updated_tsc: u64(48),
    halts: u64(56),
    poll_halts: u64(64),
    cycles_halted: u64(72),
    cycles_busy: u64(80),
    cycles_idle_spin: u64(88),
    cycles_lock_spin: u64(96),
    cycles_polling: u64(104),
    cycles_interrupt: u64(112),
    context_switches: u64(120),
    interrupts: u64(128),
    timer_interrupts: u64(136),
    ipis_received: u64(144),
    ipis_sent: u64(152),
    wakeups: u64(160),
    last_wakeup_latency_cycles: u64(168),
    worst_wakeup_latency_cycles: u64(176),
    // In version 2's padding (zero from kernels before them, and without a network): network counters.
    net_frames_in: u64(184),
    net_frames_out: u64(192),
    net_frames_dropped: u64(200),
    net_connections_open: u32(208),
    net_time_wait: u32(212),
    // In the padding after them (zero from older kernels): halts ended per toro_wake_reason.
    wakes_timer: u64(216),
    wakes_ipi: u64(224),
    wakes_device: u64(232),
    wakes_poll_recheck: u64(240),
    padding: bytes(248, 8),
  },
} as const satisfies StructLayout<string>;

export const LOCK_LAYOUT = {
  name: "toro_lock_record",
  size: 128,
  fields: {
    seq: u32(0),
    owner_core: i32(4),
    name: chars(8, NAME_LENGTH),
    acquisitions: u64(40),
    contentions: u64(48),
    cycles_spun: u64(56),
    longest_hold_cycles: u64(64),
    padding: bytes(72, 56),
  },
} as const satisfies StructLayout<string>;

export const THREAD_LAYOUT = {
  name: "toro_thread_record",
  size: 96,
  fields: {
    seq: u32(0),
    id: i32(4),
    core: i32(8),
    state: u32(12),
    polling: u32(16),
    reserved: u32(20),
    name: chars(24, NAME_LENGTH),
    switches: u64(56),
    padding: bytes(64, 32),
  },
} as const satisfies StructLayout<string>;

/**
 * The optional event trace section (since v2 builds that set header.trace_offset; 0 or absent = none).
 * It has its own magic and version, so readers that ignore it keep working; ../trace/ decodes it.
 */
export const TRACE_MAGIC = 0x4543415254524f54n; // "TORTRACE" read as little-endian bytes
export const TRACE_VERSION = 1;
export const TRACE_RING_RECORDS = 2048;

export const TRACE_EVENT_LAYOUT = {
  name: "toro_trace_event",
  size: 16,
  fields: {
    tsc: u64(0),
    kind: { offset: 8, size: 1, kind: "bytes" },
    detail: { offset: 9, size: 1, kind: "bytes" },
    arg: { offset: 10, size: 2, kind: "bytes" },
    value: u32(12),
  },
} as const satisfies StructLayout<string>;

export const TRACE_HEADER_LAYOUT = {
  name: "toro_trace_header",
  size: 64,
  fields: {
    magic: u64(0),
    version: u32(8),
    header_size: u32(12),
    event_size: u32(16),
    ring_capacity: u32(20),
    control_offset: u32(24),
    control_size: u32(28),
    control_capacity: u32(32),
    enabled_kinds: u32(36),
    known_kinds: u32(40),
    reserved: u32(44),
    padding: bytes(48, 16),
  },
} as const satisfies StructLayout<string>;

export const TRACE_CONTROL_LAYOUT = {
  name: "toro_trace_control",
  size: 64,
  fields: {
    head: u64(0),
    ring_address: u64(8),
    ring_capacity: u32(16),
    reserved: u32(20),
    padding: bytes(24, 40),
  },
} as const satisfies StructLayout<string>;

const THREADS_END =
  HEADER_LAYOUT.size +
  GLOBAL_LAYOUT.size +
  MAX_CPUS * CORE_LAYOUT.size +
  MAX_LOCKS * LOCK_LAYOUT.size +
  MAX_THREADS * THREAD_LAYOUT.size;

/** struct toro_telemetry: the arrays follow each other with no gaps (every record size is a multiple of 8). */
export const BLOCK_LAYOUT = {
  name: "toro_telemetry",
  size: THREADS_END + TRACE_HEADER_LAYOUT.size + MAX_CPUS * TRACE_CONTROL_LAYOUT.size,
  fields: {
    header: bytes(0, HEADER_LAYOUT.size),
    global: bytes(HEADER_LAYOUT.size, GLOBAL_LAYOUT.size),
    cores: bytes(HEADER_LAYOUT.size + GLOBAL_LAYOUT.size, MAX_CPUS * CORE_LAYOUT.size),
    locks: bytes(
      HEADER_LAYOUT.size + GLOBAL_LAYOUT.size + MAX_CPUS * CORE_LAYOUT.size,
      MAX_LOCKS * LOCK_LAYOUT.size,
    ),
    threads: bytes(
      HEADER_LAYOUT.size + GLOBAL_LAYOUT.size + MAX_CPUS * CORE_LAYOUT.size + MAX_LOCKS * LOCK_LAYOUT.size,
      MAX_THREADS * THREAD_LAYOUT.size,
    ),
    trace: bytes(THREADS_END, TRACE_HEADER_LAYOUT.size),
    trace_controls: bytes(THREADS_END + TRACE_HEADER_LAYOUT.size, MAX_CPUS * TRACE_CONTROL_LAYOUT.size),
  },
} as const satisfies StructLayout<string>;

/** Every struct of the ABI, for the layout test. */
export const ALL_LAYOUTS: readonly StructLayout<string>[] = [
  HEADER_LAYOUT,
  GLOBAL_LAYOUT,
  CORE_LAYOUT,
  LOCK_LAYOUT,
  THREAD_LAYOUT,
  TRACE_EVENT_LAYOUT,
  TRACE_HEADER_LAYOUT,
  TRACE_CONTROL_LAYOUT,
  BLOCK_LAYOUT,
];

/** enum toro_core_state, indexed by value. */
export const CORE_STATES = [
  "offline",
  "running",
  "idle-spin",
  "halted",
  "lock-spin",
  "interrupt",
  "polling",
] as const;
export type CoreState = (typeof CORE_STATES)[number];

/** enum toro_idle_policy, indexed by value; the names are also the kernel's `idle=` values. */
export const IDLE_POLICIES = ["busy", "pause", "halt", "tickless"] as const;
export type IdlePolicy = (typeof IDLE_POLICIES)[number];

/** enum toro_hypervisor, indexed by value: the names shown in the views and `toro run --json`. */
export const HYPERVISORS = [
  "none",
  "unknown",
  "KVM",
  "Hyper-V",
  "VMware",
  "VirtualBox",
  "Xen",
  "TCG",
  "bhyve",
  "Parallels",
  "ACRN",
  "QNX",
  "Apple",
] as const;
export type Hypervisor = (typeof HYPERVISORS)[number];

/** enum toro_apic_mode, indexed by value. */
export const APIC_MODES = ["xAPIC", "x2APIC"] as const;
export type ApicMode = (typeof APIC_MODES)[number];

/** enum toro_thread_state, indexed by value. */
export const THREAD_STATES = ["free", "ready", "running", "sleeping", "blocked", "exited"] as const;
export type ThreadState = (typeof THREAD_STATES)[number];

/** The C enumerator names, in value order, for the layout test to compare against the header. */
export const C_ENUMERATORS = {
  toro_core_state: [
    "TORO_CORE_OFFLINE",
    "TORO_CORE_RUNNING",
    "TORO_CORE_IDLE_SPIN",
    "TORO_CORE_HALTED",
    "TORO_CORE_LOCK_SPIN",
    "TORO_CORE_INTERRUPT",
    "TORO_CORE_POLLING",
  ],
  toro_idle_policy: ["TORO_IDLE_BUSY", "TORO_IDLE_PAUSE", "TORO_IDLE_HALT", "TORO_IDLE_TICKLESS"],
  toro_hypervisor: [
    "TORO_HYPERVISOR_NONE",
    "TORO_HYPERVISOR_UNKNOWN",
    "TORO_HYPERVISOR_KVM",
    "TORO_HYPERVISOR_HYPERV",
    "TORO_HYPERVISOR_VMWARE",
    "TORO_HYPERVISOR_VIRTUALBOX",
    "TORO_HYPERVISOR_XEN",
    "TORO_HYPERVISOR_TCG",
    "TORO_HYPERVISOR_BHYVE",
    "TORO_HYPERVISOR_PARALLELS",
    "TORO_HYPERVISOR_ACRN",
    "TORO_HYPERVISOR_QNX",
    "TORO_HYPERVISOR_APPLE",
  ],
  toro_apic_mode: ["TORO_APIC_XAPIC", "TORO_APIC_X2APIC"],
  toro_thread_state: [
    "TORO_THREAD_FREE",
    "TORO_THREAD_READY",
    "TORO_THREAD_RUNNING",
    "TORO_THREAD_SLEEPING",
    "TORO_THREAD_BLOCKED",
    "TORO_THREAD_EXITED",
  ],
  toro_trace_kind: [
    "TORO_TRACE_NONE",
    "TORO_TRACE_SWITCH_IN",
    "TORO_TRACE_SWITCH_OUT",
    "TORO_TRACE_HALT_ENTER",
    "TORO_TRACE_HALT_EXIT",
    "TORO_TRACE_IPI_SENT",
    "TORO_TRACE_IPI_RECEIVED",
    "TORO_TRACE_INTERRUPT",
    "TORO_TRACE_LOCK_CONTENDED",
    "TORO_TRACE_LOCK_ACQUIRED",
    "TORO_TRACE_TIMER_ARMED",
    "TORO_TRACE_TIMER_FIRED",
    "TORO_TRACE_THREAD_CREATED",
    "TORO_TRACE_THREAD_EXITED",
    "TORO_TRACE_PANIC",
    "TORO_TRACE_MARK",
    "TORO_TRACE_KIND_COUNT",
  ],
  toro_wake_reason: [
    "TORO_WAKE_UNKNOWN",
    "TORO_WAKE_TIMER",
    "TORO_WAKE_IPI",
    "TORO_WAKE_DEVICE",
    "TORO_WAKE_POLL_RECHECK",
  ],
} as const;
