/*
 * mailbox.h - each core's lock-free inbox (multi-producer, single-consumer):
 * other cores post thread creations, wake-ups and reaps to it; the owner core
 * drains it in its scheduler loop. Implemented in mailbox.c.
 */
#ifndef TORO_MAILBOX_H
#define TORO_MAILBOX_H

#include "sched_cpu.h"

enum mailbox_kind {
    MAILBOX_CREATE = 1, /* struct thread.create_node: admit a new thread */
    MAILBOX_WAKE = 2,   /* struct thread.wake_node: make a BLOCKED thread ready */
    MAILBOX_REAP = 3,   /* struct thread.reap_node: free an exited, joined thread */
};

/*
 * Post `node` to core `core` from any core or context. If that core is halting
 * (or about to), send it VECTOR_WAKE_IPI so its hlt ends. The node must not
 * already be in a mailbox.
 */
void mailbox_post(int core, struct mailbox_node *node);

/*
 * Send VECTOR_WAKE_IPI to core `core` if it is halting, so its threads look
 * again (a channel doorbell for a core whose threads poll instead of block).
 */
void mailbox_kick(int core);

/* 1 if this core's mailbox holds messages (cheap; any context). */
int mailbox_pending(struct sched_cpu *sched);

/* Owner core, scheduler context: handle every message, oldest first. */
void mailbox_drain(struct sched_cpu *sched);

#endif
