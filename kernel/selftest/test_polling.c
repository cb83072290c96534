/*
 * test_polling.c - the polling API: a thread that only calls poll_idle() must
 * make its core halt (poll_halts grows) under idle=halt/tickless, and not
 * before the grace period has passed; a thread that reports work between
 * polls must never cause a polling halt. Under idle=busy/pause no core may
 * halt for polling.
 */
#include "selftest.h"

#define POLL_RUN_US 40000

struct poll_sample {
    volatile uint64_t poll_halts;
    volatile uint64_t first_halt_after_us; /* from the first poll_idle to the first polling halt */
    volatile uint64_t polls;
};

static struct poll_sample sample;

static uint64_t grace_us(void) { return app_argument_number("pollgrace", 1000); }

static void only_poll(void *unused)
{
    (void)unused;
    int core = current_core();
    uint64_t before = core_poll_halts(core);
    uint64_t start = time_now_us();
    sample.first_halt_after_us = 0;
    sample.polls = 0;
    while (time_now_us() - start < POLL_RUN_US) {
        poll_idle();
        sample.polls++;
        if (!sample.first_halt_after_us && core_poll_halts(core) != before)
            sample.first_halt_after_us = time_now_us() - start;
    }
    sample.poll_halts = core_poll_halts(core) - before;
}

static void poll_and_work(void *unused)
{
    (void)unused;
    int core = current_core();
    uint64_t before = core_poll_halts(core);
    uint64_t start = time_now_us();
    sample.polls = 0;
    while (time_now_us() - start < POLL_RUN_US) {
        poll_idle();
        sample.polls++;
        poll_work();
    }
    sample.poll_halts = core_poll_halts(core) - before;
}

static int policy_halts(void)
{
    return idle_policy() == TORO_IDLE_HALT || idle_policy() == TORO_IDLE_TICKLESS;
}

void test_polling_halts_after_grace(struct test_result *result)
{
    int core = other_core();
    int id = thread_create(core, "only-polls", only_poll, 0);
    EXPECT(result, id > 0, "thread_create failed");
    thread_join(id);
    if (!policy_halts()) {
        EXPECT(result, sample.poll_halts == 0, "%llu polling halts under idle=%s",
               (unsigned long long)sample.poll_halts, idle_policy_name(idle_policy()));
        test_note(result, "idle=%s never halts: %llu polls, 0 polling halts", idle_policy_name(idle_policy()),
                  (unsigned long long)sample.polls);
        return;
    }
    EXPECT(result, sample.poll_halts >= 1, "core %d never halted for polling in %d us (%llu polls)", core,
           POLL_RUN_US, (unsigned long long)sample.polls);
    EXPECT(result, sample.first_halt_after_us >= grace_us(),
           "first polling halt after %llu us, grace is %llu us",
           (unsigned long long)sample.first_halt_after_us, (unsigned long long)grace_us());
    test_note(result, "core %d: %llu polling halts, first seen after %llu us (grace %llu us), %llu polls",
              core, (unsigned long long)sample.poll_halts, (unsigned long long)sample.first_halt_after_us,
              (unsigned long long)grace_us(), (unsigned long long)sample.polls);
}

void test_polling_with_work_never_halts(struct test_result *result)
{
    int core = other_core();
    int id = thread_create(core, "polls-and-works", poll_and_work, 0);
    EXPECT(result, id > 0, "thread_create failed");
    thread_join(id);
    EXPECT(result, sample.poll_halts == 0, "core %d: %llu polling halts although the thread reported work",
           core, (unsigned long long)sample.poll_halts);
    EXPECT(result, sample.polls > 100, "only %llu polls in %d us", (unsigned long long)sample.polls,
           POLL_RUN_US);
    test_note(result, "core %d: %llu polls, 0 polling halts", core, (unsigned long long)sample.polls);
}
