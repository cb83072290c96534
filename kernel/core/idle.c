/*
 * idle.c - the idle policies (idle= on the command line, see config.h and
 * kernel/README.md "Idle policies"): what a core does when no thread is ready.
 *   busy     spin re-checking for events, no pause (the "before" baseline)
 *   pause    the same loop with `pause` (kinder to a hyperthread sibling)
 *   halt     hlt; the periodic tick (IDLE_TICK_HZ) ends every halt
 *   tickless hlt; a one-shot LAPIC timer only for the earliest sleep deadline
 * Events are mailbox messages and due sleepers; interrupts (wake IPI, timer)
 * only end the hlt. Pairs with idle.h, mailbox.c (halting handshake), timer.c.
 */
#include "idle.h"
#include "arch.h"
#include "config.h"
#include "core_state.h"
#include "mailbox.h"
#include "thread.h"
#include "trace.h"
#include "x86.h"

int idle_event_pending(struct sched_cpu *sched)
{
    if (mailbox_pending(sched))
        return 1;
    struct thread *first = sched->sleepers;
    return first && first->wake_tsc <= rdtsc();
}

/*
 * Interrupts off, tickless only: have the LAPIC one-shot fire at `deadline`
 * (0 = no timer needed). A one-shot armed for a wait that ended early (a
 * sleeper woken by an event) is cancelled, so an idle core is not woken by a
 * deadline nobody waits for any more.
 */
static void arm_deadline(struct sched_cpu *sched, uint64_t deadline)
{
    if (deadline == sched->armed_deadline_tsc)
        return; /* already armed (or nothing armed and nothing due) */
    if (deadline == 0) {
        lapic_timer_stop();
        sched->armed_deadline_tsc = 0;
        trace_event(TORO_TRACE_TIMER_ARMED, 1, 0, 0);
        return;
    }
    uint64_t now = rdtsc();
    uint64_t nanoseconds = deadline > now ? tsc_to_ns(deadline - now) : 0;
    lapic_timer_oneshot_ns(nanoseconds ? nanoseconds : 1);
    sched->armed_deadline_tsc = deadline;
    uint64_t microseconds = nanoseconds / 1000;
    trace_event(TORO_TRACE_TIMER_ARMED, 0, 0,
                microseconds > UINT32_MAX ? UINT32_MAX : (uint32_t)microseconds);
}

static void spin_until_event(struct sched_cpu *sched, int with_pause)
{
    core_state_set(TORO_CORE_IDLE_SPIN);
    while (!idle_event_pending(sched)) {
        if (with_pause)
            pause();
        else
            compiler_barrier();
    }
    core_state_set(TORO_CORE_RUNNING);
}

void idle_halt(struct sched_cpu *sched, int polling_halt)
{
    cli();
    /* Publish "about to halt" before the last look (see mailbox.c's handshake). */
    __atomic_store_n(&sched->halting, 1, __ATOMIC_SEQ_CST);
    if (idle_event_pending(sched)) {
        __atomic_store_n(&sched->halting, 0, __ATOMIC_SEQ_CST);
        sti();
        return;
    }
    if (core_config.idle_policy == TORO_IDLE_TICKLESS) {
        uint64_t deadline = timer_next_deadline();
        if (polling_halt) {
            uint64_t recheck = rdtsc() + core_config.poll_recheck_tsc;
            if (deadline == 0 || recheck < deadline)
                deadline = recheck;
        }
        arm_deadline(sched, deadline);
    }
    core_state_halt(polling_halt);
    sti_hlt(); /* the interrupt that ends it is handled before we continue */
    cli();
    __atomic_store_n(&sched->halting, 0, __ATOMIC_SEQ_CST);
    core_state_halt_end(idle_event_pending(sched));
    sti();
}

void idle_wait(struct sched_cpu *sched)
{
    switch (core_config.idle_policy) {
    case TORO_IDLE_BUSY:
        spin_until_event(sched, 0);
        break;
    case TORO_IDLE_PAUSE:
        spin_until_event(sched, 1);
        break;
    default: /* halt, tickless */
        idle_halt(sched, 0);
        break;
    }
}
