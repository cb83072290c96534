/*
 * test_threads.c - cross-core thread creation and join: threads created on
 * every core (directly on our own, through mailbox + IPI on the others) must
 * run on the core asked for, see their own id, and be joinable from another
 * core; a thread on the last core creates and joins threads elsewhere.
 */
#include "selftest.h"

#define THREADS_PER_CORE 4
/* At most half the thread table, so the test fits beside the harness's threads on any core count. */
#define PLACEMENT_CAPACITY (TORO_MAX_THREADS / 2)

struct placement {
    int requested_core;
    volatile int seen_core;
    volatile int seen_id;
    volatile int ran;
};

static void report_placement(void *argument)
{
    struct placement *placement = argument;
    thread_yield(); /* survive a switch before reporting */
    placement->seen_core = current_core();
    placement->seen_id = current_thread();
    placement->ran = 1;
}

static struct placement placements[PLACEMENT_CAPACITY];
static int placement_ids[PLACEMENT_CAPACITY];

void test_thread_cross_core_create(struct test_result *result)
{
    int cores = core_count();
    int count = cores * THREADS_PER_CORE;
    if (count > PLACEMENT_CAPACITY)
        count = PLACEMENT_CAPACITY;
    for (int index = 0; index < count; index++) {
        placements[index] = (struct placement){ .requested_core = index % cores, .seen_core = -1 };
        placement_ids[index] =
            thread_create(index % cores, "placement", report_placement, &placements[index]);
        EXPECT(result, placement_ids[index] > 0, "thread_create on core %d failed", index % cores);
    }
    for (int index = 0; index < count; index++)
        EXPECT(result, thread_join(placement_ids[index]) == 0, "thread_join(%d) failed",
               placement_ids[index]);
    for (int index = 0; index < count; index++) {
        struct placement *placement = &placements[index];
        EXPECT(result, placement->ran, "thread %d never ran", placement_ids[index]);
        EXPECT(result, placement->seen_core == placement->requested_core,
               "thread asked for core %d ran on core %d", placement->requested_core, placement->seen_core);
        EXPECT(result, placement->seen_id == placement_ids[index], "thread saw id %d, create returned %d",
               placement->seen_id, placement_ids[index]);
    }
    EXPECT(result, thread_join(placement_ids[0]) == -1, "joining a reaped thread did not fail");
    EXPECT(result, thread_create(core_count(), "nowhere", report_placement, &placements[0]) == -1,
           "thread_create on an offline core did not fail");
    test_note(result, "%d threads on %d cores", count, cores);
}

/* Runs on the last core: creates one thread per core and joins them all from here. */
static volatile int remote_failures;

static void create_everywhere(void *unused)
{
    (void)unused;
    int ids[TORO_MAX_CPUS];
    int cores = core_count();
    for (int core = 0; core < cores; core++) {
        placements[core] = (struct placement){ .requested_core = core, .seen_core = -1 };
        ids[core] = thread_create(core, "remote-placement", report_placement, &placements[core]);
        if (ids[core] <= 0)
            remote_failures++;
    }
    for (int core = 0; core < cores; core++)
        if (ids[core] > 0 && thread_join(ids[core]) != 0)
            remote_failures++;
}

void test_thread_create_from_other_core(struct test_result *result)
{
    remote_failures = 0;
    int creator = thread_create(other_core(), "creator", create_everywhere, 0);
    EXPECT(result, creator > 0, "thread_create of the creator failed");
    thread_join(creator);
    EXPECT(result, remote_failures == 0, "%d create/join failures on core %d", remote_failures, other_core());
    for (int core = 0; core < core_count(); core++)
        EXPECT(result, placements[core].ran && placements[core].seen_core == core,
               "thread created from core %d for core %d ran on core %d", other_core(), core,
               placements[core].seen_core);
    test_note(result, "creator on core %d", other_core());
}
