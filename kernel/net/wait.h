/*
 * wait.h - wait queues for threads blocked in the stack (accept, read, write,
 * ping): a list of waiters, each living on its waiting thread's stack, kept
 * under the lock that guards what they wait for (a connection's owner lock,
 * net.lock for a listener or a ping, a poller's lock). Implemented in wait.c.
 *
 * Condition-variable semantics, as thread_block: a waiter checks its
 * condition under that lock, calls net_wait (which queues it, releases the
 * lock, blocks, and re-acquires the lock), then checks again. A wake-up
 * between the release and the block is not lost: thread_wake of a thread that
 * has not blocked yet is delivered when it does (kernel/core/thread.c).
 */
#ifndef TORO_NET_WAIT_H
#define TORO_NET_WAIT_H

#include <stdint.h>

struct thread;
struct spinlock;

struct net_waiter {
    struct thread *thread;
    struct net_waiter *next;
};

struct net_wait_queue {
    struct net_waiter *first; /* the longest waiting; net_wait appends at the end */
};

/*
 * held: `lock`, the queue's (released while blocked, held again on return).
 * Block until a net_wake_all on `queue` or until the TSC reaches
 * `deadline_tsc` (0 = no limit). Returns with the waiter off the queue either way.
 */
void net_wait(struct net_wait_queue *queue, struct spinlock *lock, uint64_t deadline_tsc);

/* held: the queue's lock. Wake every thread waiting on `queue` and empty it. */
void net_wake_all(struct net_wait_queue *queue);

/* held: the queue's lock. Wake the thread that has waited longest (FIFO), if any: for accept,
 * where one new connection needs one worker, and taking turns spreads them over the cores. */
void net_wake_one(struct net_wait_queue *queue);

/* A wait deadline: now + `timeout_ms`, or 0 for NET_WAIT_FOREVER. */
uint64_t net_deadline_after_ms(uint64_t timeout_ms);

/* 1 if `deadline_tsc` (from net_deadline_after_ms) has passed; never for 0. */
int net_deadline_passed(uint64_t deadline_tsc);

#endif
