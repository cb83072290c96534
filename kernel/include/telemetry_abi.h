/*
 * telemetry_abi.h - the layout of the `toro_telemetry` block, the one contract
 * between the kernel (which writes it) and the host engine (which decodes it
 * from guest RAM while the guest runs). Pairs with kernel/core/telemetry.c and
 * debug-adapter/src/engine/telemetry/layout.ts.
 *
 * Layout decision (see kernel/README.md "Telemetry"):
 *  - fixed-capacity arrays, little-endian, natural alignment, no pointers;
 *  - a header that describes itself (magic, ABI version, every section's
 *    offset, record size and capacity) so a reader can validate before trusting;
 *  - every record starts with a 32-bit sequence counter: the writer increments
 *    it (odd = being written), writes, then increments it again (even). A reader
 *    copies the record and retries while the counter was odd or changed;
 *  - core and thread records are written only by their own core; a spinlock
 *    record only by the core that holds that lock; the global record by the
 *    boot core (and by a panicking core, which sets panic_flag last).
 *  - core, lock and global records are whole cache lines (multiples of 64 bytes) so two
 *    cores never write the same line; thread records (96 bytes) are written rarely, on a
 *    context switch, so two of them may share a line at a small cost and no risk.
 * Bump TORO_TELEMETRY_ABI_VERSION on any change to this file, except counters
 * added into a record's padding where zero reads as "nothing counted" (the core
 * record's net_* and wakes_* fields; kernel/README.md "Telemetry") and the
 * optional trace section: it is found through header.trace_offset (the v2
 * header's former `reserved`, always 0 before) and carries its own magic and
 * version, so a v2 reader that ignores it keeps working (kernel/README.md "Event trace").
 */
#ifndef TORO_TELEMETRY_ABI_H
#define TORO_TELEMETRY_ABI_H

#include <stdint.h>

#define TORO_TELEMETRY_MAGIC       0x4d4c45544f524f54ull /* "TOROTELM" read as little-endian bytes */
#define TORO_TELEMETRY_ABI_VERSION 2u                    /* 1: 16 cores, 128 threads, no hypervisor fields */

#define TORO_MAX_CPUS             256 /* every xAPIC id (0-254) and then some: 64 KiB of core records */
#define TORO_MAX_LOCKS            64
#define TORO_MAX_THREADS          512
#define TORO_NAME_LENGTH          32
#define TORO_PANIC_MESSAGE_LENGTH 256
#define TORO_CMDLINE_LENGTH       128

/* What a core is doing right now. */
enum toro_core_state {
    TORO_CORE_OFFLINE = 0,   /* not started (or stopped after a panic) */
    TORO_CORE_RUNNING = 1,   /* running a thread that does work */
    TORO_CORE_IDLE_SPIN = 2, /* idle loop spinning (policy busy or pause) */
    TORO_CORE_HALTED = 3,    /* idle loop in hlt */
    TORO_CORE_LOCK_SPIN = 4, /* spinning on a spinlock (see spinning_lock) */
    TORO_CORE_INTERRUPT = 5, /* inside an interrupt handler */
    TORO_CORE_POLLING = 6,   /* running threads that all only poll */
};

enum toro_idle_policy {
    TORO_IDLE_BUSY = 0,     /* spin without pause: the "before" baseline */
    TORO_IDLE_PAUSE = 1,    /* spin with pause */
    TORO_IDLE_HALT = 2,     /* hlt with a periodic tick */
    TORO_IDLE_TICKLESS = 3, /* hlt, no tick while no timer is due (default) */
};

/* The hypervisor found through CPUID (leaf 1 ECX bit 31, then the signature of leaf 0x40000000). */
enum toro_hypervisor {
    TORO_HYPERVISOR_NONE = 0,       /* CPUID says bare metal */
    TORO_HYPERVISOR_UNKNOWN = 1,    /* a hypervisor with a signature not listed here */
    TORO_HYPERVISOR_KVM = 2,        /* "KVMKVMKVM\0\0\0" */
    TORO_HYPERVISOR_HYPERV = 3,     /* "Microsoft Hv" */
    TORO_HYPERVISOR_VMWARE = 4,     /* "VMwareVMware" */
    TORO_HYPERVISOR_VIRTUALBOX = 5, /* "VBoxVBoxVBox" */
    TORO_HYPERVISOR_XEN = 6,        /* "XenVMMXenVMM" */
    TORO_HYPERVISOR_TCG = 7,        /* "TCGTCGTCGTCG": QEMU without acceleration */
    TORO_HYPERVISOR_BHYVE = 8,      /* "bhyve bhyve " */
    TORO_HYPERVISOR_PARALLELS = 9,  /* " lrpepyh  vr" */
    TORO_HYPERVISOR_ACRN = 10,      /* "ACRNACRNACRN" */
    TORO_HYPERVISOR_QNX = 11,       /* "QNXQVMBSQG\0\0" */
    TORO_HYPERVISOR_APPLE = 12,     /* "VirtualApple" */
};

/* How the kernel drives the local APICs. */
enum toro_apic_mode {
    TORO_APIC_XAPIC = 0,  /* MMIO, 8-bit ids */
    TORO_APIC_X2APIC = 1, /* MSRs, 32-bit ids */
};

enum toro_thread_state {
    TORO_THREAD_FREE = 0, /* slot unused */
    TORO_THREAD_READY = 1,
    TORO_THREAD_RUNNING = 2,
    TORO_THREAD_SLEEPING = 3, /* sleep(ms) */
    TORO_THREAD_BLOCKED = 4,  /* waiting on join, a channel, ... */
    TORO_THREAD_EXITED = 5,   /* exited, not yet joined */
};

struct toro_telemetry_header {
    uint64_t magic;         /* TORO_TELEMETRY_MAGIC */
    uint32_t abi_version;   /* TORO_TELEMETRY_ABI_VERSION */
    uint32_t total_size;    /* sizeof(struct toro_telemetry) */
    uint32_t header_size;   /* sizeof(struct toro_telemetry_header) */
    uint32_t global_offset; /* from the start of the block */
    uint32_t global_size;
    uint32_t cores_offset;
    uint32_t core_record_size;
    uint32_t core_capacity; /* TORO_MAX_CPUS */
    uint32_t locks_offset;
    uint32_t lock_record_size;
    uint32_t lock_capacity; /* TORO_MAX_LOCKS */
    uint32_t threads_offset;
    uint32_t thread_record_size;
    uint32_t thread_capacity; /* TORO_MAX_THREADS */
    uint32_t name_length;     /* TORO_NAME_LENGTH */
    uint32_t trace_offset; /* the optional event trace section (below); 0 = none (and in older v2 builds) */
};

struct toro_global_record {
    uint32_t seq;               /* odd while being written */
    uint32_t idle_policy;       /* enum toro_idle_policy */
    uint32_t cores_detected;    /* from the ACPI MADT */
    uint32_t cores_online;      /* cores that reached the scheduler */
    uint32_t locks_registered;  /* valid entries in locks[] */
    uint32_t thread_slots_used; /* high-water mark of threads[] */
    uint64_t tsc_hz;            /* calibrated at boot */
    uint64_t boot_tsc;          /* TSC when the boot core entered C */
    uint64_t ready_tsc;         /* TSC when all cores were up (0 before) */
    uint64_t poll_grace_us;     /* pollgrace= on the command line */
    uint64_t tick_hz;           /* periodic tick rate of the halt policy */
    uint32_t panic_flag;        /* 0, then 1 once panic_message is complete */
    int32_t panic_core;         /* core that panicked, -1 if none */
    char panic_message[TORO_PANIC_MESSAGE_LENGTH];
    char cmdline[TORO_CMDLINE_LENGTH];
    /* Since ABI version 2: */
    uint32_t hypervisor;           /* enum toro_hypervisor */
    uint32_t hypervisor_max_leaf;  /* EAX of CPUID 0x40000000, 0 if none */
    char hypervisor_signature[12]; /* EBX, ECX, EDX of CPUID 0x40000000, not terminated */
    uint32_t hypervisor_tsc_khz;   /* CPUID 0x40000010 EAX (VMware, KVM with a TSC frequency), 0 if none */
    uint32_t hypervisor_lapic_khz; /* CPUID 0x40000010 EBX: LAPIC timer input, 0 if none */
    uint32_t apic_mode;            /* enum toro_apic_mode */
    uint8_t padding[24];
};

struct toro_core_record {
    uint32_t seq;    /* odd while being written */
    uint32_t state;  /* enum toro_core_state */
    uint32_t online; /* 1 once the core runs its scheduler */
    uint32_t apic_id;
    int32_t current_thread;   /* thread id running here, -1 if none */
    int32_t spinning_lock;    /* index in locks[] while LOCK_SPIN, else -1 */
    uint32_t ready_threads;   /* threads ready to run on this core */
    uint32_t total_threads;   /* live threads pinned to this core */
    uint32_t polling_threads; /* of those, how many only poll */
    uint32_t reserved;
    uint64_t state_since_tsc; /* TSC when `state` was entered */
    uint64_t updated_tsc;     /* TSC of this record's last write */
    uint64_t halts;           /* hlt instructions executed */
    uint64_t poll_halts;      /* of those, halts because every thread only polled */
    uint64_t cycles_halted;   /* closed intervals only; add now-state_since */
    uint64_t cycles_busy;     /*   for the open interval of `state` */
    uint64_t cycles_idle_spin;
    uint64_t cycles_lock_spin;
    uint64_t cycles_polling;
    uint64_t cycles_interrupt;
    uint64_t context_switches;
    uint64_t interrupts; /* all interrupts taken on this core */
    uint64_t timer_interrupts;
    uint64_t ipis_received;
    uint64_t ipis_sent;
    uint64_t wakeups;                    /* times an event ended a halt */
    uint64_t last_wakeup_latency_cycles; /* event raised -> thread running */
    uint64_t worst_wakeup_latency_cycles;
    /* Since ABI version 2, in what was padding (zero in older kernels and without a network): frames this
     * core's code took from / gave to the network device, frames the stack dropped on this core, and on
     * the network thread's core the connections in the table and those in TIME_WAIT at its last pass. */
    uint64_t net_frames_in;
    uint64_t net_frames_out;
    uint64_t net_frames_dropped;
    uint32_t net_connections_open;
    uint32_t net_time_wait;
    /* In what was padding (zero in older kernels): halts ended, by what ended them (enum toro_wake_reason;
     * TORO_WAKE_UNKNOWN is not counted). Counted on every exit from hlt, with work or not, unlike `wakeups`. */
    uint64_t wakes_timer;
    uint64_t wakes_ipi;
    uint64_t wakes_device;
    uint64_t wakes_poll_recheck;
    uint8_t padding[8];
};

struct toro_lock_record {
    uint32_t seq;       /* written only by the holder of the lock */
    int32_t owner_core; /* -1 when free */
    char name[TORO_NAME_LENGTH];
    uint64_t acquisitions;
    uint64_t contentions; /* acquisitions that had to spin */
    uint64_t cycles_spun;
    uint64_t longest_hold_cycles;
    uint8_t padding[56];
};

struct toro_thread_record {
    uint32_t seq; /* written only by the thread's core */
    int32_t id;   /* unique, never reused; -1 for a free slot */
    int32_t core;
    uint32_t state;   /* enum toro_thread_state */
    uint32_t polling; /* 1 while the thread only polls */
    uint32_t reserved;
    char name[TORO_NAME_LENGTH];
    uint64_t switches; /* times switched in */
    uint8_t padding[32];
};

/*
 * The event trace (optional section, since v2 with trace_offset != 0; kernel/core/trace.c).
 * Per core, one ring of fixed-size events written only by that core with
 * interrupts disabled: the core writes the event into slot head % ring_capacity,
 * then stores head + 1 (x86 TSO: a reader that sees the new head sees the event).
 * A reader outside the guest copies slots, then reads head again: an event of
 * index i was overwritten during the copy when i <= head - ring_capacity, and is
 * dropped and counted as an overrun. Rings are carved from the page allocator at
 * boot for the cores that exist; ring_address is a guest physical address
 * (identity map), 0 when the core has no ring.
 */
#define TORO_TRACE_MAGIC        0x4543415254524f54ull /* "TORTRACE" read as little-endian bytes */
#define TORO_TRACE_VERSION      1u
#define TORO_TRACE_RING_RECORDS 2048 /* per core, a power of two: 32 KiB of 16-byte events */

/* Event kinds; bit (1 << kind) of trace.enabled_kinds turns one on. */
enum toro_trace_kind {
    TORO_TRACE_NONE = 0,
    TORO_TRACE_SWITCH_IN = 1,  /* value: thread id; detail: 1 if the thread only polls */
    TORO_TRACE_SWITCH_OUT = 2, /* value: thread id; detail: its new enum toro_thread_state */
    TORO_TRACE_HALT_ENTER = 3, /* detail: 1 for a polling halt; value: one-shot armed, us (0 none) */
    TORO_TRACE_HALT_EXIT =
        4, /* detail: enum toro_wake_reason; arg: source core or vector; value: 1 with work */
    TORO_TRACE_IPI_SENT = 5,        /* arg: target core */
    TORO_TRACE_IPI_RECEIVED = 6,    /* arg: sending core (0xffff unknown) */
    TORO_TRACE_INTERRUPT = 7,       /* arg: vector (device interrupts) */
    TORO_TRACE_LOCK_CONTENDED = 8,  /* arg: lock index (0xffff unregistered); starts spinning */
    TORO_TRACE_LOCK_ACQUIRED = 9,   /* arg: lock index; value: cycles spun (saturated) */
    TORO_TRACE_TIMER_ARMED = 10,    /* value: microseconds until the one-shot fires; detail 1: stopped */
    TORO_TRACE_TIMER_FIRED = 11,    /* the LAPIC timer interrupt */
    TORO_TRACE_THREAD_CREATED = 12, /* value: thread id; arg: the core it is pinned to */
    TORO_TRACE_THREAD_EXITED = 13,  /* value: thread id */
    TORO_TRACE_PANIC = 14,          /* this core panicked */
    TORO_TRACE_MARK = 15,           /* value: chosen by the caller (self-tests, apps) */
    TORO_TRACE_KIND_COUNT = 16,
};

/* What ended a halt (HALT_EXIT's detail): the first interrupt taken while halted. */
enum toro_wake_reason {
    TORO_WAKE_UNKNOWN = 0,      /* no interrupt seen (should not happen) */
    TORO_WAKE_TIMER = 1,        /* the one-shot or the periodic tick */
    TORO_WAKE_IPI = 2,          /* a wake IPI; arg: the sender */
    TORO_WAKE_DEVICE = 3,       /* a device interrupt; arg: the vector */
    TORO_WAKE_POLL_RECHECK = 4, /* the timer ended a polling halt: threads poll again */
};

struct toro_trace_event {
    uint64_t tsc;   /* when it happened (TSC of the writing core) */
    uint8_t kind;   /* enum toro_trace_kind */
    uint8_t detail; /* per kind, see above */
    uint16_t arg;   /* per kind: a core, a vector, a lock index */
    uint32_t value; /* per kind: a thread id, cycles, microseconds */
};

struct toro_trace_header {
    uint64_t magic;            /* TORO_TRACE_MAGIC, written last */
    uint32_t version;          /* TORO_TRACE_VERSION */
    uint32_t header_size;      /* sizeof(struct toro_trace_header) */
    uint32_t event_size;       /* sizeof(struct toro_trace_event) */
    uint32_t ring_capacity;    /* events per ring, a power of two */
    uint32_t control_offset;   /* of controls[], from the start of the block */
    uint32_t control_size;     /* sizeof(struct toro_trace_control) */
    uint32_t control_capacity; /* TORO_MAX_CPUS */
    uint32_t enabled_kinds;    /* bit per enum toro_trace_kind; trace= sets it, a debugger may rewrite it */
    uint32_t known_kinds;      /* the kinds this kernel can write */
    uint32_t reserved;
    uint8_t padding[16];
};

/* One per core, written only by that core: its own cache line. */
struct toro_trace_control {
    uint64_t head;          /* events ever written; the next goes to slot head % ring_capacity */
    uint64_t ring_address;  /* guest physical address of the ring, 0 = none */
    uint32_t ring_capacity; /* events in the ring (the header's), 0 = none */
    uint32_t reserved;
    uint8_t padding[40];
};

struct toro_telemetry {
    struct toro_telemetry_header header;
    struct toro_global_record global;
    struct toro_core_record cores[TORO_MAX_CPUS];
    struct toro_lock_record locks[TORO_MAX_LOCKS];
    struct toro_thread_record threads[TORO_MAX_THREADS];
    struct toro_trace_header trace; /* optional (header.trace_offset) */
    struct toro_trace_control trace_controls[TORO_MAX_CPUS];
};

/* Pinned layout: the TypeScript decoder relies on these. */
_Static_assert(sizeof(struct toro_telemetry_header) == 72, "header size");
_Static_assert(sizeof(struct toro_global_record) == 512, "global record size");
_Static_assert(sizeof(struct toro_core_record) == 256, "core record size");
_Static_assert(sizeof(struct toro_lock_record) == 128, "lock record size");
_Static_assert(sizeof(struct toro_thread_record) == 96, "thread record size");
_Static_assert(sizeof(struct toro_core_record) % 64 == 0, "core records fill whole cache lines");
_Static_assert(sizeof(struct toro_trace_event) == 16, "trace event size");
_Static_assert(sizeof(struct toro_trace_header) == 64, "trace header size");
_Static_assert(sizeof(struct toro_trace_control) == 64, "trace control size");
_Static_assert((TORO_TRACE_RING_RECORDS & (TORO_TRACE_RING_RECORDS - 1)) == 0,
               "ring capacity a power of two");

#endif
