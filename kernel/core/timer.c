/*
 * timer.c - each core's sleep queue (threads in thread_sleep_* and in a timed
 * thread_block_until, sorted by deadline) and the LAPIC timer interrupt hook.
 * Deadlines are TSC values; the scheduler loop compares them with rdtsc, so
 * the timer interrupt only has to end a hlt: under idle=tickless idle.c
 * programs a one-shot for the earliest deadline, under idle=halt the periodic
 * tick does it. Pairs with thread.h.
 */
#include "thread.h"
#include "arch.h"
#include "core_state.h"
#include "scheduler.h"

void timer_add_sleeper(struct thread *thread)
{
    struct thread **link = &mysched()->sleepers;
    while (*link && (*link)->wake_tsc <= thread->wake_tsc)
        link = &(*link)->next;
    thread->next = *link;
    *link = thread;
    thread->in_sleep_list = 1;
}

void timer_remove_sleeper(struct thread *thread)
{
    struct thread **link = &mysched()->sleepers;
    while (*link && *link != thread)
        link = &(*link)->next;
    if (!*link)
        panic("timer: thread %d (%s) marked as sleeping is not on cpu %d's sleep list", thread->id,
              thread->name, cpu_index());
    *link = thread->next;
    thread->next = 0;
    thread->in_sleep_list = 0;
}

int timer_wake_expired(uint64_t now_tsc)
{
    struct sched_cpu *sched = mysched();
    int woken = 0;
    while (sched->sleepers && sched->sleepers->wake_tsc <= now_tsc) {
        struct thread *thread = sched->sleepers;
        sched->sleepers = thread->next;
        thread->in_sleep_list = 0;
        /* Wake-up latency is measured from the deadline, not from now. */
        thread->wake_raised_tsc = thread->wake_tsc;
        scheduler_make_ready(thread);
        woken++;
    }
    return woken;
}

uint64_t timer_next_deadline(void)
{
    struct thread *first = mysched()->sleepers;
    return first ? first->wake_tsc : 0;
}

/*
 * VECTOR_TIMER, interrupts off. A one-shot fires once, so nothing is armed any
 * more (even if it fired a little before the TSC deadline: idle.c re-arms).
 */
void timer_interrupt(void) { mysched()->armed_deadline_tsc = 0; }

/* VECTOR_WAKE_IPI, interrupts off: nothing to do here; ending the hlt was the point.
 * The scheduler loop drains the mailbox when the interrupted code returns to it. */
void wake_ipi_interrupt(void) {}
