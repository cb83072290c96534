/*
 * mailbox.c - per-core lock-free inbox (multi-producer, single-consumer).
 * Pairs with mailbox.h. Producers push onto a Treiber stack with compare-and-
 * swap; the owner core takes the whole stack with one exchange and reverses
 * it, so messages are handled oldest first. No ABA problem: nodes are only
 * pushed, and removed all at once by the single consumer.
 *
 * Halting handshake (no lost wake-up): the owner sets `halting`, then reads the
 * mailbox, then executes sti;hlt. A producer pushes, then reads `halting`.
 * Both steps are full barriers (locked instructions / seq_cst), so either the
 * owner sees the message and does not halt, or the producer sees `halting`
 * and sends VECTOR_WAKE_IPI, which ends the hlt (or is taken right after sti).
 */
#include "mailbox.h"
#include "arch.h"
#include "core_state.h"
#include "thread.h"

#define container_of(pointer, type, member) ((type *)((char *)(pointer) - __builtin_offsetof(type, member)))

/* Wake a halting core; it learns the sender from ipi_from (the last sender wins when several race). */
static void send_wake_ipi(int core)
{
    __atomic_store_n(&cpu_get(core)->sched.ipi_from, cpu_index(), __ATOMIC_RELEASE);
    lapic_send_ipi(core, VECTOR_WAKE_IPI);
    core_state_ipi_sent(core);
}

void mailbox_post(int core, struct mailbox_node *node)
{
    struct sched_cpu *target = &cpu_get(core)->sched;
    struct mailbox_node *head = __atomic_load_n(&target->mailbox_head, __ATOMIC_RELAXED);
    do {
        node->next = head;
    } while (!__atomic_compare_exchange_n(&target->mailbox_head, &head, node, 1, __ATOMIC_SEQ_CST,
                                          __ATOMIC_RELAXED));
    /* Posting to this core (from an interrupt handler) needs no IPI: the interrupted
     * halt, if any, is already over and idle_halt re-checks the mailbox after it. */
    if (core != cpu_index() && __atomic_load_n(&target->halting, __ATOMIC_SEQ_CST)) {
        send_wake_ipi(core);
    }
}

void mailbox_kick(int core)
{
    if (core != cpu_index() && __atomic_load_n(&cpu_get(core)->sched.halting, __ATOMIC_SEQ_CST)) {
        send_wake_ipi(core);
    }
}

int mailbox_pending(struct sched_cpu *sched)
{
    return __atomic_load_n(&sched->mailbox_head, __ATOMIC_ACQUIRE) != 0;
}

static void handle(struct mailbox_node *node)
{
    struct thread *thread;
    switch (node->kind) {
    case MAILBOX_CREATE:
        scheduler_admit(container_of(node, struct thread, create_node));
        break;
    case MAILBOX_WAKE:
        thread = container_of(node, struct thread, wake_node);
        /* Clear first: a wake raised after this point posts the node again. */
        __atomic_store_n(&thread->wake_pending, 0, __ATOMIC_SEQ_CST);
        if (thread->state == TORO_THREAD_BLOCKED)
            scheduler_make_ready(thread);
        break;
    case MAILBOX_REAP:
        scheduler_reap(container_of(node, struct thread, reap_node));
        break;
    default:
        panic("mailbox: unknown message kind %u on cpu %d", node->kind, cpu_index());
    }
}

void mailbox_drain(struct sched_cpu *sched)
{
    struct mailbox_node *stack = __atomic_exchange_n(&sched->mailbox_head, 0, __ATOMIC_ACQUIRE);
    struct mailbox_node *oldest_first = 0;
    while (stack) {
        struct mailbox_node *next = stack->next;
        stack->next = oldest_first;
        oldest_first = stack;
        stack = next;
    }
    while (oldest_first) {
        struct mailbox_node *next = oldest_first->next; /* the handler may free the node */
        handle(oldest_first);
        oldest_first = next;
    }
}
