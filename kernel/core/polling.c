/*
 * polling.c - the polling API (DESIGN.md case 4). A thread that only polls
 * says so with poll_idle() ("found nothing", then yields) and poll_work()
 * ("did work"). When every ready thread of a core has only polled for longer
 * than the grace period (pollgrace=, microseconds) and has found nothing at
 * least POLL_MIN_IDLE_POLLS times in a row, the scheduler halts the
 * core until the next interrupt, then lets each thread poll once more before
 * halting again; any poll_work() restarts the grace period. Under idle=busy
 * and idle=pause there is no halting: the threads keep polling (state POLLING).
 * Pairs with scheduler.c (which asks polling_should_halt) and idle.c.
 */
#include "arch.h"
#include "config.h"
#include "core_state.h"
#include "idle.h"
#include "scheduler.h"
#include "thread.h"
#include "x86.h"

void poll_idle(void)
{
    struct thread *thread = mythread();
    if (!thread)
        panic("poll_idle called outside a thread on cpu %d", cpu_index());
    struct sched_cpu *sched = mysched();
    uint64_t now = rdtsc();
    if (!thread->polling) {
        thread->polling = 1;
        thread->polling_since_tsc = now;
        sched->polling_threads++;
        thread_record_update(thread);
        core_state_thread_counts();
        if (sched->ready_polling == sched->ready.count)
            core_state_set(TORO_CORE_POLLING);
    }
    thread->last_poll_tsc = now;
    thread->idle_polls++;
    thread_yield();
}

void poll_work(void)
{
    struct thread *thread = mythread();
    if (!thread)
        return;
    thread->idle_polls = 0;
    if (!thread->polling)
        return;
    struct sched_cpu *sched = mysched();
    thread->polling = 0;
    sched->polling_threads--;
    thread_record_update(thread);
    core_state_thread_counts();
    core_state_set(TORO_CORE_RUNNING);
}

int polling_should_halt(struct sched_cpu *sched)
{
    if (!idle_policy_halts() || sched->ready.count == 0 || sched->ready_polling != sched->ready.count)
        return 0;
    uint64_t now = rdtsc();
    for (struct thread *thread = sched->ready.head; thread; thread = thread->next) {
        if (now - thread->polling_since_tsc < core_config.poll_grace_tsc)
            return 0; /* still within its grace period */
        if (thread->idle_polls < POLL_MIN_IDLE_POLLS)
            return 0; /* one empty poll is not "only polling" (e.g. the vCPU was descheduled meanwhile) */
        if (thread->last_poll_tsc < sched->poll_halt_end_tsc)
            return 0; /* has not polled since the last polling halt ended */
    }
    return 1;
}

void polling_halt(struct sched_cpu *sched)
{
    idle_halt(sched, 1);
    sched->poll_halt_end_tsc = rdtsc();
}
