/*
 * wait.c - wait queues of the stack (see wait.h for the protocol). A waiter
 * is unlinked by whoever ends its wait: net_wake_all takes the whole list, and
 * a waiter whose deadline passed unlinks itself after re-acquiring the lock
 * that guards the queue.
 */
#include "wait.h"
#include "arch.h"
#include "cpu.h"
#include "net.h"
#include "stack.h"
#include "thread.h"
#include "x86.h"

void net_wait(struct net_wait_queue *queue, struct spinlock *lock, uint64_t deadline_tsc)
{
    struct net_waiter waiter = { .thread = mythread(), .next = 0 };
    if (!waiter.thread)
        panic("net_wait outside a thread on cpu %d", cpu_index());
    struct net_waiter **end = &queue->first;
    while (*end) /* queues are short: a connection's reader, a listener's workers */
        end = &(*end)->next;
    *end = &waiter;
    release(lock);
    thread_block_until(deadline_tsc);
    acquire(lock);
    /* Still queued: woken by the deadline (or spuriously), not by net_wake_all. */
    for (struct net_waiter **link = &queue->first; *link; link = &(*link)->next) {
        if (*link == &waiter) {
            *link = waiter.next;
            break;
        }
    }
}

void net_wake_all(struct net_wait_queue *queue)
{
    struct net_waiter *waiter = queue->first;
    queue->first = 0;
    while (waiter) {
        struct net_waiter *next = waiter->next; /* the waiter's stack frame may be gone after the wake */
        thread_wake(waiter->thread);
        waiter = next;
    }
}

void net_wake_one(struct net_wait_queue *queue)
{
    struct net_waiter *waiter = queue->first;
    if (!waiter)
        return;
    queue->first = waiter->next;
    thread_wake(waiter->thread);
}

uint64_t net_deadline_after_ms(uint64_t timeout_ms)
{
    if (timeout_ms == NET_WAIT_FOREVER)
        return 0;
    return rdtsc() + net_ms_to_tsc(timeout_ms) + 1; /* + 1: never 0 */
}

int net_deadline_passed(uint64_t deadline_tsc) { return deadline_tsc != 0 && rdtsc() >= deadline_tsc; }
