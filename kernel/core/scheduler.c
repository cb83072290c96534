/*
 * scheduler.c - the per-core scheduler loop: drain the mailbox, wake due
 * sleepers, then run the oldest ready thread, halt for polling threads, or
 * idle per the policy. Threads switch to this loop and back (xv6 style) with
 * context_switch (switch.S). Pairs with thread.c (lifecycle), timer.c (sleep
 * queue), polling.c (polling halts) and idle.c (idle policies).
 *
 * Everything here runs on its own core: the ready queue, the thread states
 * and the counters are never touched by another core or by an interrupt
 * handler, so the loop needs no lock and runs with interrupts enabled.
 */
#include "scheduler.h"
#include "arch.h"
#include "core_state.h"
#include "idle.h"
#include "mailbox.h"
#include "memory.h"
#include "thread.h"
#include "trace.h"
#include "x86.h"

static void queue_push(struct thread_queue *queue, struct thread *thread)
{
    thread->next = 0;
    if (queue->tail)
        queue->tail->next = thread;
    else
        queue->head = thread;
    queue->tail = thread;
    queue->count++;
}

static struct thread *queue_pop(struct thread_queue *queue)
{
    struct thread *thread = queue->head;
    if (!thread)
        return 0;
    queue->head = thread->next;
    if (!queue->head)
        queue->tail = 0;
    queue->count--;
    thread->next = 0;
    return thread;
}

void scheduler_make_ready(struct thread *thread)
{
    struct sched_cpu *sched = mysched();
    if (thread->core != cpu_index())
        panic("scheduler: thread %d (%s) of cpu %d made ready on cpu %d", thread->id, thread->name,
              thread->core, cpu_index());
    if (thread->in_sleep_list) /* a timed block ended by thread_wake before its deadline */
        timer_remove_sleeper(thread);
    thread->state = TORO_THREAD_READY;
    queue_push(&sched->ready, thread);
    if (thread->polling)
        sched->ready_polling++;
    thread_record_update(thread);
    core_state_thread_counts();
}

void scheduler_admit(struct thread *thread)
{
    mysched()->total_threads++;
    stack_guard_flush(thread->stack); /* its creator's core split the mapping; this one may cache the old */
    scheduler_make_ready(thread);
}

void scheduler_switch_out(uint32_t new_state)
{
    struct sched_cpu *sched = mysched();
    struct thread *thread = sched->current;
    if (sched->locks_held)
        panic("thread %d (%s) yields, sleeps or blocks on cpu %d while holding %u spinlock(s)", thread->id,
              thread->name, cpu_index(), sched->locks_held);
    thread->state = new_state;
    context_switch(&thread->context, sched->scheduler_context);
}

/* The thread has switched out for good: tell its joiner (see thread_join). */
static void finish(struct sched_cpu *sched, struct thread *thread)
{
    sched->total_threads--;
    if (thread->polling) {
        thread->polling = 0;
        sched->polling_threads--;
    }
    thread_record_update(thread);
    core_state_thread_counts();
    trace_event(TORO_TRACE_THREAD_EXITED, 0, 0, (uint32_t)thread->id);
    __atomic_store_n(&thread->finished, 1, __ATOMIC_SEQ_CST);
    struct thread *joiner = __atomic_load_n(&thread->joiner, __ATOMIC_SEQ_CST);
    if (joiner)
        thread_wake(joiner);
}

static void run(struct sched_cpu *sched, struct thread *thread)
{
    uint64_t now = rdtsc();
    uint64_t raised = thread->wake_raised_tsc;
    uint64_t latency = raised && now > raised ? now - raised : 0;
    thread->wake_raised_tsc = 0;
    thread->state = TORO_THREAD_RUNNING;
    thread->switches++;
    sched->current = thread;
    thread_record_update(thread);
    core_state_thread_counts();
    /* POLLING only when no ready thread has real work waiting. */
    int polling = thread->polling && sched->ready_polling == sched->ready.count;
    core_state_switch_in(thread->id, polling, latency); /* and the trace's SWITCH_IN */

    context_switch(&sched->scheduler_context, thread->context);

    sched->current = 0;
    core_state_switch_out(thread->id, thread->state); /* and the trace's SWITCH_OUT */
    switch (thread->state) {
    case TORO_THREAD_READY: /* yielded */
        scheduler_make_ready(thread);
        break;
    case TORO_THREAD_EXITED:
        finish(sched, thread);
        break;
    case TORO_THREAD_SLEEPING: /* already on the sleep list */
    case TORO_THREAD_BLOCKED:  /* a thread_wake will make it ready */
        thread_record_update(thread);
        break;
    default:
        panic("scheduler: thread %d (%s) switched out in state %u", thread->id, thread->name, thread->state);
    }
}

void scheduler_loop(void)
{
    struct sched_cpu *sched = mysched();
    for (;;) {
        sti();
        mailbox_drain(sched);
        timer_wake_expired(rdtsc());
        if (sched->ready.count == 0) {
            idle_wait(sched);
            continue;
        }
        if (polling_should_halt(sched)) {
            polling_halt(sched);
            continue;
        }
        struct thread *thread = queue_pop(&sched->ready);
        if (thread->polling)
            sched->ready_polling--;
        run(sched, thread);
    }
}
