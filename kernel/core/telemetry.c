/*
 * telemetry.c - the `toro_telemetry` block (layout: telemetry_abi.h), its
 * self-describing header, the global record, slot allocation for the lock and
 * thread tables, the panic record and the in-guest seqlock reader. Core
 * records are written by core_state.c, thread records by thread.c, lock
 * records by spinlock.c. See kernel/README.md "Telemetry" for the layout decision.
 */
#include "telemetry.h"
#include "arch.h"
#include "cpu.h"
#include "hypervisor.h"
#include "string.h"
#include "trace.h"
#include "x86.h"

/* The block: its own page-aligned section, found by the host through the ELF symbol. */
__attribute__((section(".telemetry"), aligned(4096))) struct toro_telemetry toro_telemetry;

int telemetry_ready;

/* Serialises writers of the global record (any core may bring news). Lock order: innermost. */
static struct raw_lock global_lock = RAW_LOCK_INITIALIZER;
/* threads[] slot in use (1) or free (0); claimed with an atomic exchange. */
static uint8_t thread_slot_used[TORO_MAX_THREADS];

#define PANIC_LOCK_TIMEOUT_CYCLES 100000000ull /* a panicking core does not wait forever */

static void global_open(void)
{
    raw_acquire(&global_lock);
    telemetry_write_begin(&toro_telemetry.global.seq);
}

static void global_close(void)
{
    telemetry_write_end(&toro_telemetry.global.seq);
    raw_release(&global_lock);
}

void telemetry_init(uint32_t idle_policy, uint64_t poll_grace_us, uint64_t tick_hz)
{
    struct toro_telemetry *block = &toro_telemetry;
    struct toro_telemetry_header *header = &block->header;

    global_open();
    struct toro_global_record *global = &block->global;
    global->idle_policy = idle_policy;
    global->cores_detected = (uint32_t)cpu_count();
    global->cores_online = 0;
    global->locks_registered = 0;
    global->thread_slots_used = 0;
    global->tsc_hz = tsc_hz;
    global->boot_tsc = boot_tsc;
    global->ready_tsc = 0;
    global->poll_grace_us = poll_grace_us;
    global->tick_hz = tick_hz;
    global->panic_flag = 0;
    global->panic_core = -1;
    strlcpy(global->cmdline, cmdline_raw(), sizeof global->cmdline);
    global->hypervisor = hypervisor_kind();
    global->hypervisor_max_leaf = hypervisor_max_leaf();
    memcpy(global->hypervisor_signature, hypervisor_signature(), sizeof global->hypervisor_signature);
    global->hypervisor_tsc_khz = hypervisor_tsc_khz();
    global->hypervisor_lapic_khz = hypervisor_lapic_khz();
    global->apic_mode = lapic_x2apic_mode() ? TORO_APIC_X2APIC : TORO_APIC_XAPIC;
    global_close();

    for (int core = 0; core < TORO_MAX_CPUS; core++) {
        struct toro_core_record *record = &block->cores[core];
        telemetry_write_begin(&record->seq);
        record->state = TORO_CORE_OFFLINE;
        record->current_thread = -1;
        record->spinning_lock = -1;
        telemetry_write_end(&record->seq);
    }
    for (int lock = 0; lock < TORO_MAX_LOCKS; lock++)
        block->locks[lock].owner_core = -1;
    for (int slot = 0; slot < TORO_MAX_THREADS; slot++)
        block->threads[slot].id = -1;

    header->abi_version = TORO_TELEMETRY_ABI_VERSION;
    header->total_size = sizeof(struct toro_telemetry);
    header->header_size = sizeof(struct toro_telemetry_header);
    header->global_offset = __builtin_offsetof(struct toro_telemetry, global);
    header->global_size = sizeof(struct toro_global_record);
    header->cores_offset = __builtin_offsetof(struct toro_telemetry, cores);
    header->core_record_size = sizeof(struct toro_core_record);
    header->core_capacity = TORO_MAX_CPUS;
    header->locks_offset = __builtin_offsetof(struct toro_telemetry, locks);
    header->lock_record_size = sizeof(struct toro_lock_record);
    header->lock_capacity = TORO_MAX_LOCKS;
    header->threads_offset = __builtin_offsetof(struct toro_telemetry, threads);
    header->thread_record_size = sizeof(struct toro_thread_record);
    header->thread_capacity = TORO_MAX_THREADS;
    header->name_length = TORO_NAME_LENGTH;
    /* The magic goes last: a reader that sees it sees a complete header. */
    __atomic_store_n(&header->magic, TORO_TELEMETRY_MAGIC, __ATOMIC_RELEASE);
    __atomic_store_n(&telemetry_ready, 1, __ATOMIC_RELEASE);
}

void telemetry_global_core_online(void)
{
    global_open();
    toro_telemetry.global.cores_online++;
    global_close();
}

void telemetry_global_ready(void)
{
    global_open();
    toro_telemetry.global.ready_tsc = rdtsc();
    global_close();
}

int telemetry_lock_slot_claim(void)
{
    int index = -1;
    global_open();
    if (toro_telemetry.global.locks_registered < TORO_MAX_LOCKS)
        index = (int)toro_telemetry.global.locks_registered++;
    global_close();
    return index;
}

int telemetry_thread_slot_claim(void)
{
    for (int slot = 0; slot < TORO_MAX_THREADS; slot++) {
        if (__atomic_exchange_n(&thread_slot_used[slot], 1, __ATOMIC_ACQ_REL) == 0) {
            global_open();
            if ((uint32_t)slot + 1 > toro_telemetry.global.thread_slots_used)
                toro_telemetry.global.thread_slots_used = (uint32_t)slot + 1;
            global_close();
            return slot;
        }
    }
    return -1;
}

void telemetry_thread_slot_release(int slot)
{
    __atomic_store_n(&thread_slot_used[slot], 0, __ATOMIC_RELEASE);
}

/*
 * Called by panic(): message first, then panic_flag in a second write, so a
 * reader that sees the flag finds the whole message. The global lock is only
 * tried for a while: the panic may have interrupted its holder.
 */
void telemetry_panic(const char *message)
{
    int locked = raw_acquire_timeout(&global_lock, PANIC_LOCK_TIMEOUT_CYCLES);
    struct toro_global_record *global = &toro_telemetry.global;
    telemetry_write_begin(&global->seq);
    global->panic_core = cpu_index();
    strlcpy(global->panic_message, message ? message : "", sizeof global->panic_message);
    telemetry_write_end(&global->seq);
    telemetry_write_begin(&global->seq);
    global->panic_flag = 1;
    telemetry_write_end(&global->seq);
    if (locked)
        raw_release(&global_lock);
    trace_event(TORO_TRACE_PANIC, 0, (uint32_t)cpu_index(), 0);
}

void telemetry_read_record(const void *record, void *out, uint32_t size)
{
    const volatile uint32_t *sequence = (const volatile uint32_t *)record;
    for (;;) {
        uint32_t before = *sequence;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        memcpy(out, record, size);
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if ((before & 1) == 0 && *sequence == before)
            return;
        pause();
    }
}
