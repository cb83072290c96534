/*
 * poller.h - readiness notification for threads that serve many connections
 * at once (net_poller_* in include/net.h, a small epoll): a watch ties one
 * connection or listener to one poller; the stack queues the watch on its
 * poller's ready list when something happens, and wakes the poller's thread.
 * Implemented in poller.c; the TCP code calls the notify functions below.
 * A poller's ready list and waiter are under its own lock (innermost of the
 * stack's locks: stack.h); a connection's `watch` under the connection's
 * owner lock; a listener's watches under net.lock.
 */
#ifndef TORO_NET_POLLER_H
#define TORO_NET_POLLER_H

#include <stdint.h>
#include "spinlock.h"
#include "wait.h"

struct tcp_connection;
struct tcp_listener;

struct net_watch {
    struct net_poller *poller;
    void *context; /* handed back by net_poller_wait */
    int queued;    /* on poller->ready */
    struct net_watch *ready_next;
    struct net_watch *listener_next; /* a listener's watches (one per worker), in a ring order */
};

struct net_poller {
    struct spinlock lock;
    struct net_watch *ready_first; /* watches with news since their last report, FIFO */
    struct net_watch *ready_last;
    struct net_wait_queue waiters; /* the thread in net_poller_wait */
    int core;                      /* where it was created: its thread's core (threads are pinned) */
    uint32_t connections;          /* connections it watches (the report below counts them) */
};

/* Something happened on the connection (data, its end, an error, send space): report its watch. */
void net_poller_notify_connection(struct tcp_connection *connection);

/* held: net.lock. A connection owned by `owner_core` waits to be accepted: report it to the
 * listener's watch on that core while its poller watches fewer than 64 connections (the frame,
 * the protocol and the application then run on one core: no cross-core wake-up, and tcp_accept
 * picks that core's connection); beyond, report one of the other watches that is not queued yet,
 * taking turns. tcp_accept calls it again while connections remain, so a report is never lost. */
void net_poller_notify_listener(struct tcp_listener *listener, int owner_core);

/* The application let go of the connection: drop its watch. */
void net_poller_forget_connection(struct tcp_connection *connection);

#endif
