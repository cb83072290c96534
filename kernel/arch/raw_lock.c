/*
 * raw_lock.c - a minimal test-and-test-and-set lock for the layers that sit
 * below kernel-core's registered spinlocks (console, page allocator, panic).
 * Holding it disables interrupts on this core (push_off). Not re-entrant: a
 * core that takes a raw lock it already holds panics. Pairs with arch.h.
 */
#include "arch.h"
#include "cpu.h"
#include "x86.h"

static int try_take(struct raw_lock *lock)
{
    return __atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE) == 0;
}

void raw_acquire(struct raw_lock *lock)
{
    push_off();
    if (lock->owner_core == cpu_index())
        panic("raw_acquire: this core already holds the lock");
    while (!try_take(lock)) {
        while (__atomic_load_n(&lock->locked, __ATOMIC_RELAXED))
            pause(); /* read-only spin: the cache line stays shared */
    }
    lock->owner_core = cpu_index();
}

int raw_acquire_timeout(struct raw_lock *lock, uint64_t cycles)
{
    push_off();
    uint64_t start = rdtsc();
    while (!try_take(lock)) {
        if (rdtsc() - start > cycles) {
            pop_off();
            return 0;
        }
        pause();
    }
    lock->owner_core = cpu_index();
    return 1;
}

void raw_release(struct raw_lock *lock)
{
    if (lock->owner_core != cpu_index())
        panic("raw_release: this core does not hold the lock");
    lock->owner_core = -1;
    __atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
    pop_off();
}
