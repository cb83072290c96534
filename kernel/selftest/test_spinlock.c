/*
 * test_spinlock.c - mutual exclusion under contention: one thread per core
 * (4 threads on core 0 alone) increments a shared counter with a deliberately
 * wide read-modify-write window inside the lock; the final counter must equal
 * the sum of all increments, and the lock's telemetry record must agree.
 */
#include "selftest.h"

#define SPINLOCK_THREADS    4
#define SPINLOCK_ITERATIONS 20000

static struct spinlock counter_lock = SPINLOCK_INITIALIZER("selftest-counter");
static volatile uint64_t counter;

static void increment_many(void *unused)
{
    (void)unused;
    for (int iteration = 0; iteration < SPINLOCK_ITERATIONS; iteration++) {
        acquire(&counter_lock);
        uint64_t value = counter;
        for (int delay = 0; delay < 20; delay++)
            __asm__ volatile("pause");
        counter = value + 1;
        release(&counter_lock);
    }
}

void test_spinlock_mutual_exclusion(struct test_result *result)
{
    int ids[SPINLOCK_THREADS];
    counter = 0;
    for (int index = 0; index < SPINLOCK_THREADS; index++) {
        ids[index] = thread_create(index % core_count(), "lock-hammer", increment_many, 0);
        EXPECT(result, ids[index] > 0, "thread_create failed for thread %d", index);
    }
    for (int index = 0; index < SPINLOCK_THREADS; index++)
        thread_join(ids[index]);

    uint64_t expected = (uint64_t)SPINLOCK_THREADS * SPINLOCK_ITERATIONS;
    EXPECT(result, counter == expected, "counter is %llu, expected %llu (lost updates)",
           (unsigned long long)counter, (unsigned long long)expected);
    struct toro_lock_record record;
    EXPECT(result, telemetry_lock_snapshot(&counter_lock, &record) == 0, "lock has no telemetry record");
    EXPECT(result, record.acquisitions == expected, "telemetry acquisitions %llu, expected %llu",
           (unsigned long long)record.acquisitions, (unsigned long long)expected);
    EXPECT(result, record.owner_core == -1, "telemetry owner_core is %d after the last release",
           record.owner_core);
    EXPECT(result, record.longest_hold_cycles > 0, "longest_hold_cycles is 0");
    test_note(result, "counter=%llu contentions=%llu cycles_spun=%llu", (unsigned long long)counter,
              (unsigned long long)record.contentions, (unsigned long long)record.cycles_spun);
}
