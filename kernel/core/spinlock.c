/*
 * spinlock.c - named spinlocks with statistics in the telemetry lock table
 * (xv6's acquire/release/holding, plus `pause` and accounting). Pairs with
 * kernel/include/spinlock.h; the core goes LOCK_SPIN via core_state.c while it
 * waits.
 *
 * Invariants: `locked` changes only by atomic exchange (take) and a release
 * store (give back); `owner_core` is meaningful only while `locked`; the lock's
 * telemetry record is written only by the core holding the lock, so the
 * record's single-writer rule follows from mutual exclusion itself.
 */
#include "spinlock.h"
#include "arch.h"
#include "core_state.h"
#include "cpu.h"
#include "string.h"
#include "telemetry.h"
#include "trace.h"
#include "x86.h"

void spinlock_init(struct spinlock *lock, const char *name)
{
    lock->locked = 0;
    lock->owner_core = -1;
    lock->telemetry_index = SPINLOCK_UNREGISTERED;
    lock->name = name;
    lock->acquired_tsc = 0;
}

int holding(struct spinlock *lock)
{
    return __atomic_load_n(&lock->locked, __ATOMIC_RELAXED) && lock->owner_core == cpu_index();
}

static int take(struct spinlock *lock)
{
    return __atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE) == 0;
}

/* Holder only: the lock's record, registering the lock on its first use after telemetry init. */
static struct toro_lock_record *record_of(struct spinlock *lock)
{
    if (!__atomic_load_n(&telemetry_ready, __ATOMIC_ACQUIRE))
        return 0;
    if (lock->telemetry_index == SPINLOCK_UNREGISTERED) {
        int index = telemetry_lock_slot_claim();
        if (index < 0) {
            lock->telemetry_index = SPINLOCK_TABLE_FULL;
            return 0;
        }
        struct toro_lock_record *record = &toro_telemetry.locks[index];
        telemetry_write_begin(&record->seq);
        strlcpy(record->name, lock->name ? lock->name : "(unnamed)", sizeof record->name);
        telemetry_write_end(&record->seq);
        lock->telemetry_index = index;
    }
    if (lock->telemetry_index < 0)
        return 0;
    return &toro_telemetry.locks[lock->telemetry_index];
}

/* Now holding `lock` (interrupts off): ownership, then statistics. */
static void taken(struct spinlock *lock, uint64_t cycles_spun, int contended)
{
    int core = cpu_index();
    lock->owner_core = core;
    mysched()->locks_held++;
    struct toro_lock_record *record = record_of(lock);
    if (record) {
        telemetry_write_begin(&record->seq);
        record->owner_core = core;
        record->acquisitions++;
        if (contended) {
            record->contentions++;
            record->cycles_spun += cycles_spun;
        }
        telemetry_write_end(&record->seq);
    }
    lock->acquired_tsc = rdtsc();
}

void acquire(struct spinlock *lock)
{
    push_off();
    if (holding(lock))
        panic("acquire: double acquire of spinlock \"%s\" by cpu %d (it already holds it)",
              lock->name ? lock->name : "(unnamed)", cpu_index());
    if (take(lock)) {
        taken(lock, 0, 0);
        return;
    }
    /* Contended: spin reading (not writing) the line, with pause (idle loop 1). */
    uint64_t start = rdtsc();
    int index = lock->telemetry_index >= 0 ? lock->telemetry_index : -1;
    core_state_lock_spin_begin(index);
    trace_event_irqs_off(TORO_TRACE_LOCK_CONTENDED, 0, index < 0 ? 0xffff : (uint32_t)index, 0);
    do {
        while (__atomic_load_n(&lock->locked, __ATOMIC_RELAXED))
            pause();
    } while (!take(lock));
    uint64_t spun = rdtsc() - start;
    core_state_lock_spin_end();
    trace_event_irqs_off(TORO_TRACE_LOCK_ACQUIRED, 0, index < 0 ? 0xffff : (uint32_t)index,
                         spun > UINT32_MAX ? UINT32_MAX : (uint32_t)spun);
    taken(lock, spun, 1);
}

int try_acquire(struct spinlock *lock)
{
    push_off();
    if (holding(lock))
        panic("try_acquire: double acquire of spinlock \"%s\" by cpu %d (it already holds it)",
              lock->name ? lock->name : "(unnamed)", cpu_index());
    if (!take(lock)) {
        pop_off();
        return 0;
    }
    taken(lock, 0, 0);
    return 1;
}

void release(struct spinlock *lock)
{
    if (!holding(lock))
        panic("release: spinlock \"%s\" released by cpu %d, which does not hold it (owner cpu %d)",
              lock->name ? lock->name : "(unnamed)", cpu_index(),
              __atomic_load_n(&lock->locked, __ATOMIC_RELAXED) ? lock->owner_core : -1);
    uint64_t held = rdtsc() - lock->acquired_tsc;
    struct toro_lock_record *record =
        lock->telemetry_index >= 0 ? &toro_telemetry.locks[lock->telemetry_index] : 0;
    if (record) {
        telemetry_write_begin(&record->seq);
        if (held > record->longest_hold_cycles)
            record->longest_hold_cycles = held;
        record->owner_core = -1;
        telemetry_write_end(&record->seq);
    }
    lock->owner_core = -1;
    mysched()->locks_held--;
    __atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
    pop_off();
}
