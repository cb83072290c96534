/*
 * idle-demo - alternate bursts of work on every core with idle periods, and
 * print one line per phase with the halts and halted time of all cores, so
 * the idle policies (idle=busy|pause|halt|tickless) can be compared. See README.md.
 * Arguments: work_ms= (2000), idle_ms= (3000), step_ms= (50), rounds= (0 = forever), exit.
 */
#include "toro.h"

enum phase { PHASE_BUSY, PHASE_IDLE };

struct phase_plan {
    enum phase phase;
    uint64_t length_ms;
    uint64_t step_ms;
};

static volatile uint64_t work_sink;

/* Busy: compute without yielding (a core doing real work never halts). */
static void burn(uint64_t length_ms)
{
    uint64_t end = time_now_us() + length_ms * 1000;
    uint64_t value = (uint64_t)current_core() + 1;
    while (time_now_us() < end) {
        for (int round = 0; round < 1000; round++)
            value = value * 6364136223846793005ull + 1442695040888963407ull;
        work_sink = value;
    }
}

/* Idle: wake every step_ms to "look for work" and find none (halts climb, one per wake-up). */
static void rest(uint64_t length_ms, uint64_t step_ms)
{
    uint64_t end = time_now_us() + length_ms * 1000;
    while (time_now_us() + step_ms * 1000 <= end)
        thread_sleep_ms(step_ms);
}

static void phase_worker(void *argument)
{
    const struct phase_plan *plan = argument;
    if (plan->phase == PHASE_BUSY)
        burn(plan->length_ms);
    else
        rest(plan->length_ms, plan->step_ms);
}

struct totals {
    uint64_t halts;
    uint64_t halted_cycles;
};

static struct totals read_totals(void)
{
    struct totals totals = { 0, 0 };
    for (int core = 0; core < core_count(); core++) {
        struct toro_core_record record;
        telemetry_core_snapshot(core, &record);
        totals.halts += record.halts;
        totals.halted_cycles += record.cycles_halted;
        if (record.state == TORO_CORE_HALTED)
            totals.halted_cycles += time_tsc() - record.state_since_tsc;
    }
    return totals;
}

static void run_phase(uint64_t round, const struct phase_plan *plan)
{
    int ids[TORO_MAX_CPUS];
    const int cores = core_count(); /* once: the loops below must agree on it */
    struct totals before = read_totals();
    uint64_t start = time_tsc();
    kprintf("idle-demo round=%llu phase=%s start ms=%llu\n", (unsigned long long)round,
            plan->phase == PHASE_BUSY ? "busy" : "idle", (unsigned long long)plan->length_ms);
    for (int core = 0; core < cores; core++)
        ids[core] =
            thread_create(core, plan->phase == PHASE_BUSY ? "burst" : "rest", phase_worker, (void *)plan);
    for (int core = 0; core < cores; core++)
        thread_join(ids[core]);
    struct totals after = read_totals();
    uint64_t elapsed = time_tsc() - start;
    uint64_t halted_percent =
        elapsed ? (after.halted_cycles - before.halted_cycles) * 100 / (elapsed * core_count()) : 0;
    kprintf("idle-demo round=%llu phase=%s cores=%d halts=+%llu halted=%llu%%\n", (unsigned long long)round,
            plan->phase == PHASE_BUSY ? "busy" : "idle", core_count(),
            (unsigned long long)(after.halts - before.halts), (unsigned long long)halted_percent);
}

void main(void)
{
    struct phase_plan busy = { PHASE_BUSY, app_argument_number("work_ms", 2000), 0 };
    struct phase_plan idle = { PHASE_IDLE, app_argument_number("idle_ms", 3000),
                               app_argument_number("step_ms", 50) };
    uint64_t rounds = app_argument_number("rounds", 0);
    kprintf("idle-demo: %d cores, idle=%s, work %llu ms, idle %llu ms (wake every %llu ms)\n", core_count(),
            idle_policy_name(idle_policy()), (unsigned long long)busy.length_ms,
            (unsigned long long)idle.length_ms, (unsigned long long)idle.step_ms);
    if (idle.step_ms == 0)
        idle.step_ms = 1;
    for (uint64_t round = 1; rounds == 0 || round <= rounds; round++) {
        run_phase(round, &busy);
        run_phase(round, &idle);
    }
    kprintf("idle-demo: done\n");
    if (app_argument("exit"))
        toro_exit(0);
}
