/*
 * test_sleep.c - sleep accuracy: thread_sleep_ms(n) on every core at once
 * must last at least n ms and at most 2n + slack: 100 ms under idle=halt and
 * tickless (TCG timing is loose, and idle=halt rounds up to its 10 ms tick),
 * 1000 ms under idle=busy and pause, where every idle vCPU spins and, when
 * vCPUs outnumber host CPUs, the host deschedules them for tens of ms. A
 * sleep that is never ended by its timer hangs the test instead.
 */
#include "selftest.h"

static const uint64_t sleep_lengths_ms[] = { 5, 20, 60 };
#define SLEEP_CASES (sizeof sleep_lengths_ms / sizeof sleep_lengths_ms[0])

struct sleep_measure {
    volatile uint64_t elapsed_us[SLEEP_CASES];
};

static struct sleep_measure measures[TORO_MAX_CPUS];

static void measure_sleeps(void *argument)
{
    struct sleep_measure *measure = argument;
    thread_sleep_ms(0);
    for (unsigned index = 0; index < SLEEP_CASES; index++) {
        uint64_t start = time_now_us();
        thread_sleep_ms(sleep_lengths_ms[index]);
        measure->elapsed_us[index] = time_now_us() - start;
    }
}

void test_sleep_accuracy(struct test_result *result)
{
    int cores = core_count();
    int ids[TORO_MAX_CPUS];
    for (int core = 0; core < cores; core++) {
        ids[core] = thread_create(core, "sleeper", measure_sleeps, &measures[core]);
        EXPECT(result, ids[core] > 0, "thread_create on core %d failed", core);
    }
    for (int core = 0; core < cores; core++)
        thread_join(ids[core]);
    int spinning = idle_policy() == TORO_IDLE_BUSY || idle_policy() == TORO_IDLE_PAUSE;
    uint64_t slack_us = spinning ? 1000000 : 100000;
    uint64_t worst_over_us = 0;
    for (int core = 0; core < cores; core++) {
        for (unsigned index = 0; index < SLEEP_CASES; index++) {
            uint64_t requested_us = sleep_lengths_ms[index] * 1000;
            uint64_t elapsed_us = measures[core].elapsed_us[index];
            EXPECT(result, elapsed_us >= requested_us, "core %d: sleep(%llu ms) lasted only %llu us", core,
                   (unsigned long long)sleep_lengths_ms[index], (unsigned long long)elapsed_us);
            EXPECT(result, elapsed_us <= 2 * requested_us + slack_us,
                   "core %d: sleep(%llu ms) lasted %llu us", core,
                   (unsigned long long)sleep_lengths_ms[index], (unsigned long long)elapsed_us);
            if (elapsed_us - requested_us > worst_over_us)
                worst_over_us = elapsed_us - requested_us;
        }
    }
    test_note(result, "worst overshoot %llu us (allowed: 2x + %llu ms)", (unsigned long long)worst_over_us,
              (unsigned long long)(slack_us / 1000));
}
