/*
 * test_halts.c - halts are counted on idle cores and not while busy. An idle
 * core is made to go idle repeatedly by a thread that sleeps in short steps:
 * under idle=halt/tickless each step must end in at least one hlt; under
 * idle=busy/pause there must be none. A thread that spins without yielding
 * must see its core's halt counter stay still while the core reads RUNNING.
 */
#include "selftest.h"

#define IDLE_STEPS 10
#define BUSY_US    50000

static int policy_halts(void)
{
    return idle_policy() == TORO_IDLE_HALT || idle_policy() == TORO_IDLE_TICKLESS;
}

struct halt_sample {
    volatile uint64_t halts_before;
    volatile uint64_t halts_after;
    volatile uint64_t halted_cycles_before;
    volatile uint64_t halted_cycles_after;
    volatile uint64_t busy_cycles_before;
    volatile uint64_t busy_cycles_after;
    volatile uint32_t state_while_busy;
};

static struct halt_sample sample;

static void sleep_in_steps(void *unused)
{
    (void)unused;
    struct toro_core_record record;
    telemetry_core_snapshot(current_core(), &record);
    sample.halts_before = record.halts;
    sample.halted_cycles_before = record.cycles_halted;
    for (int step = 0; step < IDLE_STEPS; step++)
        thread_sleep_ms(2);
    telemetry_core_snapshot(current_core(), &record);
    sample.halts_after = record.halts;
    sample.halted_cycles_after = record.cycles_halted;
}

void test_halts_on_idle_core(struct test_result *result)
{
    int core = other_core();
    int id = thread_create(core, "idle-stepper", sleep_in_steps, 0);
    EXPECT(result, id > 0, "thread_create failed");
    thread_join(id);
    uint64_t halts = sample.halts_after - sample.halts_before;
    uint64_t halted_cycles = sample.halted_cycles_after - sample.halted_cycles_before;
    if (policy_halts()) {
        EXPECT(result, halts >= IDLE_STEPS, "core %d: %llu halts over %d idle sleeps (expected >= %d)", core,
               (unsigned long long)halts, IDLE_STEPS, IDLE_STEPS);
        EXPECT(result, halted_cycles > 0, "core %d: cycles_halted did not grow", core);
    } else {
        EXPECT(result, halts == 0, "core %d: %llu halts under idle=%s (which never halts)", core,
               (unsigned long long)halts, idle_policy_name(idle_policy()));
    }
    test_note(result, "core %d: %llu halts, %llu us halted over %d sleeps of 2 ms", core,
              (unsigned long long)halts, (unsigned long long)(time_tsc_to_ns(halted_cycles) / 1000),
              IDLE_STEPS);
}

static void spin_without_yield(void *unused)
{
    (void)unused;
    struct toro_core_record record;
    telemetry_core_snapshot(current_core(), &record);
    sample.halts_before = record.halts;
    sample.busy_cycles_before = record.cycles_busy + (time_tsc() - record.state_since_tsc);
    busy_for_us(BUSY_US);
    telemetry_core_snapshot(current_core(), &record);
    sample.halts_after = record.halts;
    sample.busy_cycles_after = record.cycles_busy + (time_tsc() - record.state_since_tsc);
    sample.state_while_busy = record.state;
}

void test_no_halts_while_busy(struct test_result *result)
{
    int core = other_core();
    int id = thread_create(core, "spinner", spin_without_yield, 0);
    EXPECT(result, id > 0, "thread_create failed");
    thread_join(id);
    uint64_t halts = sample.halts_after - sample.halts_before;
    uint64_t busy_us = time_tsc_to_ns(sample.busy_cycles_after - sample.busy_cycles_before) / 1000;
    EXPECT(result, halts == 0, "core %d halted %llu times while a thread spun", core,
           (unsigned long long)halts);
    EXPECT(result, sample.state_while_busy == TORO_CORE_RUNNING,
           "core %d state %u while busy (expected RUNNING)", core, sample.state_while_busy);
    EXPECT(result, busy_us >= BUSY_US * 9 / 10, "core %d: only %llu us counted busy over %d us", core,
           (unsigned long long)busy_us, BUSY_US);
    test_note(result, "core %d: 0 halts, %llu us busy", core, (unsigned long long)busy_us);
}
