/*
 * spinlock-contention - threads on every core take spinlocks in three
 * phases: one shared lock with short critical sections, the same lock with
 * long ones, then a lock per core (no contention). Prints the lock's
 * statistics from telemetry after each phase. See README.md.
 * Arguments: phase_ms= (2000), rounds= (0 = forever), exit.
 */
#include "toro.h"

enum phase { PHASE_SHORT, PHASE_LONG, PHASE_PRIVATE, PHASE_COUNT };
static const char *const phase_names[PHASE_COUNT] = { "shared-short", "shared-long", "per-core" };

static struct spinlock shared_lock = SPINLOCK_INITIALIZER("shared");
static struct spinlock core_locks[TORO_MAX_CPUS];
static char core_lock_names[TORO_MAX_CPUS][8]; /* "core0".."core255" */
/* main's per-phase state: static, not on main's stack (TORO_MAX_CPUS + 1 lock records are 32 KiB). */
static int hammer_ids[TORO_MAX_CPUS];
static struct toro_lock_record before[TORO_MAX_CPUS + 1];
static volatile uint64_t shared_counter;

struct plan {
    enum phase phase;
    uint64_t length_ms;
};

static void hold_for_cycles(uint64_t cycles)
{
    uint64_t end = time_tsc() + cycles;
    while (time_tsc() < end)
        ;
}

static void hammer(void *argument)
{
    const struct plan *plan = argument;
    struct spinlock *lock = plan->phase == PHASE_PRIVATE ? &core_locks[current_core()] : &shared_lock;
    uint64_t hold =
        plan->phase == PHASE_LONG ? time_tsc_hz() / 20000 : time_tsc_hz() / 1000000; /* 50 us / 1 us */
    uint64_t end = time_now_us() + plan->length_ms * 1000;
    while (time_now_us() < end) {
        acquire(lock);
        shared_counter++;
        hold_for_cycles(hold);
        release(lock);
        hold_for_cycles(hold); /* a little work outside the lock */
    }
}

static void print_lock(const char *phase, struct spinlock *lock, const struct toro_lock_record *before)
{
    struct toro_lock_record after;
    if (telemetry_lock_snapshot(lock, &after) != 0)
        return;
    uint64_t acquisitions = after.acquisitions - before->acquisitions;
    uint64_t contentions = after.contentions - before->contentions;
    kprintf("spinlock-contention phase=%s lock=%s acquisitions=%llu contentions=%llu (%llu%%) spun_us=%llu "
            "longest_hold_us=%llu\n",
            phase, after.name, (unsigned long long)acquisitions, (unsigned long long)contentions,
            (unsigned long long)(acquisitions ? contentions * 100 / acquisitions : 0),
            (unsigned long long)(time_tsc_to_ns(after.cycles_spun - before->cycles_spun) / 1000),
            (unsigned long long)(time_tsc_to_ns(after.longest_hold_cycles) / 1000));
}

static void run_phase(const struct plan *plan)
{
    telemetry_lock_snapshot(&shared_lock, &before[TORO_MAX_CPUS]);
    for (int core = 0; core < core_count(); core++)
        telemetry_lock_snapshot(&core_locks[core], &before[core]);
    for (int core = 0; core < core_count(); core++)
        hammer_ids[core] = thread_create(core, "hammer", hammer, (void *)plan);
    for (int core = 0; core < core_count(); core++)
        thread_join(hammer_ids[core]);
    if (plan->phase == PHASE_PRIVATE) {
        for (int core = 0; core < core_count(); core++)
            print_lock(phase_names[plan->phase], &core_locks[core], &before[core]);
    } else {
        print_lock(phase_names[plan->phase], &shared_lock, &before[TORO_MAX_CPUS]);
    }
}

void main(void)
{
    uint64_t phase_ms = app_argument_number("phase_ms", 2000);
    uint64_t rounds = app_argument_number("rounds", 0);
    for (int core = 0; core < core_count(); core++) {
        ksnprintf(core_lock_names[core], sizeof(core_lock_names[core]), "core%d", core);
        spinlock_init(&core_locks[core], core_lock_names[core]);
    }
    kprintf("spinlock-contention: %d cores, %llu ms per phase\n", core_count(), (unsigned long long)phase_ms);
    for (uint64_t round = 1; rounds == 0 || round <= rounds; round++) {
        for (int phase = 0; phase < PHASE_COUNT; phase++) {
            struct plan plan = { (enum phase)phase, phase_ms };
            run_phase(&plan);
        }
        thread_sleep_ms(phase_ms / 2); /* a quiet gap: every lock free, every core halted */
    }
    kprintf("spinlock-contention: done, counter=%llu\n", (unsigned long long)shared_counter);
    if (app_argument("exit"))
        toro_exit(0);
}
