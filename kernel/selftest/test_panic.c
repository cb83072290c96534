/*
 * test_panic.c - expected-panic cases, each run alone with selftest=<name> on
 * the command line (see main.c). They must end in panic(); the host-side test
 * checks the panic message and QEMU's exit status.
 */
#include "selftest.h"

static struct spinlock double_lock = SPINLOCK_INITIALIZER("selftest-double");
static struct spinlock foreign_lock = SPINLOCK_INITIALIZER("selftest-foreign");

/* Acquire a lock this core already holds: "double acquire of spinlock ...". */
void panic_case_double_acquire(void)
{
    acquire(&double_lock);
    acquire(&double_lock);
}

static void release_foreign(void *unused)
{
    (void)unused;
    release(&foreign_lock);
}

/* Release a lock held by another core (or, alone, one nobody holds): "... which does not hold it". */
void panic_case_release_not_held(void)
{
    if (core_count() == 1) {
        release(&foreign_lock);
        return;
    }
    acquire(&foreign_lock);
    int id = thread_create(other_core(), "releaser", release_foreign, 0);
    /* Hold the lock (interrupts off, no yield) until the other core has panicked. */
    busy_for_us(2000000);
    (void)id;
    release(&foreign_lock);
}

/* Recurse on a thread of its own until the stack runs into its guard page:
 * "stack overflow: thread N (deep) on cpu C ran into its guard page ...". */
static volatile int recursion_limit = 1 << 30; /* never reached: keeps the recursion finite to GCC */

static __attribute__((noinline)) int recurse(int depth)
{
    volatile char frame[256]; /* uses the stack, and keeps the call from becoming a loop */
    frame[0] = (char)depth;
    if (depth >= recursion_limit)
        return frame[0];
    return recurse(depth + 1) + frame[0];
}

static void run_deep(void *unused)
{
    (void)unused;
    kprintf("selftest: recursing until the stack overflows\n");
    recurse(0);
}

void panic_case_stack_overflow(void)
{
    thread_create(other_core(), "deep", run_deep, 0);
    busy_for_us(5000000); /* the panic stops this core well before */
}
