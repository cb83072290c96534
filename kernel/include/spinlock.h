/*
 * spinlock.h - named, registered spinlocks with statistics (xv6 style
 * acquire/release/holding). Implemented in kernel/core/spinlock.c; every lock
 * gets a record in the telemetry lock table (telemetry_abi.h) on first use.
 *
 * Contract: acquire disables interrupts on this core until the matching
 * release (push_off/pop_off nest); a thread must not yield, sleep or block
 * while holding a spinlock; acquiring a lock this core already holds, or
 * releasing one it does not hold, panics.
 */
#ifndef TORO_SPINLOCK_H
#define TORO_SPINLOCK_H

#include <stdint.h>

struct spinlock {
    uint32_t locked;         /* 0 free, 1 held; changed with atomic exchange */
    int32_t owner_core;      /* core holding it, -1 when free (checks only) */
    int32_t telemetry_index; /* slot in telemetry locks[], SPINLOCK_UNREGISTERED until first acquire */
    const char *name;        /* shown in the Spinlocks view; must outlive the lock */
    uint64_t acquired_tsc;   /* when the current holder got it (longest hold) */
};

#define SPINLOCK_UNREGISTERED (-1) /* not yet in the table: registered at first acquire */
#define SPINLOCK_TABLE_FULL   (-2) /* table full: the lock works, no statistics */

/* Static initialiser: `struct spinlock counter_lock = SPINLOCK_INITIALIZER("counter");` */
#define SPINLOCK_INITIALIZER(lock_name)                                                               \
    {                                                                                                 \
        .locked = 0, .owner_core = -1, .telemetry_index = SPINLOCK_UNREGISTERED, .name = (lock_name), \
        .acquired_tsc = 0                                                                             \
    }

/* Initialise a lock at run time (same as the static initialiser). */
void spinlock_init(struct spinlock *lock, const char *name);

/* Spin (with `pause`) until the lock is ours; interrupts stay disabled until release. */
void acquire(struct spinlock *lock);

/* Take the lock only if it is free right now: 1 if taken, 0 if not (no spinning). */
int try_acquire(struct spinlock *lock);

/* Release a lock this core holds. */
void release(struct spinlock *lock);

/* 1 if this core holds the lock. Call with interrupts disabled (or holding it). */
int holding(struct spinlock *lock);

#endif
