/*
 * stack.h - the TCP/IP stack's shared state: its one lock, the interface,
 * the IPv4 configuration, the counters and the earliest timer deadline.
 * Implemented in stack.c (start, the network thread, configuration); every
 * other file of kernel/net/ works under `net.lock`.
 *
 * Locking: one spinlock for the whole stack (and the driver's queues, which
 * the stack calls into). A thread holds it only while it runs stack code,
 * never while it blocks (net_wait releases it). Frames are received by the
 * network thread, but any thread sends (tcp_write runs the output path on the
 * writer's own core). The device interrupt takes no lock: it only wakes the
 * network thread.
 */
#ifndef TORO_NET_STACK_H
#define TORO_NET_STACK_H

#include <stdint.h>
#include "net.h"
#include "net_interface.h"
#include "spinlock.h"
#include "telemetry.h"

struct thread;

struct net_config {
    uint32_t address;      /* ip=        (host order) */
    uint32_t netmask;      /* netmask= */
    uint32_t gateway;      /* gateway= */
    uint64_t time_wait_ms; /* timewait_ms=: how long a closed connection stays in TIME_WAIT */
    uint64_t fin_wait_ms;  /* finwait_ms=: how long we wait for the peer's FIN after ours was acknowledged */
    uint64_t steer_connections; /* steer=: connections kept on the network core's poller (poller.h) */
};

struct net_stack {
    struct spinlock lock;

    /* Set once by net_attach, then read-only. */
    struct net_interface *interface;
    struct net_config config;
    struct thread *thread; /* the network thread: receives frames, runs timers */
    int core;              /* its core (where the device interrupt goes) */

    /* held: lock */
    struct net_statistics statistics; /* the stack's counters (device counters live in `interface`) */
    /* The network thread's wake-up (a TSC value, 0: none). Never later than the earliest armed
     * deadline; may be earlier (a cancelled one, while others stay armed: that pass just finds
     * nothing due); 0 whenever timers_armed is 0. */
    uint64_t timer_deadline;
    uint32_t timers_armed; /* nonzero connection deadlines (tcp_set_deadline keeps it exact) */

    /* Lock-free: connections whose writer queued bytes while net.lock was busy (tcp_write's fast
     * path). Pushed by any core, taken whole by a lock holder (net_flush_output_requests). */
    struct tcp_connection *output_requests;
};

extern struct net_stack net;

/*
 * Start the stack on `interface` with its network thread on `core`. Used by
 * net_start (virtio-net) and by the self-tests (a fake interface). Reads the
 * configuration from the command line. 0, or a net_error.
 */
int net_attach(struct net_interface *interface, int core);

/*
 * held: net.lock. Some timer is due at `deadline_tsc`: make sure the network
 * thread wakes by then (wakes it now if it sleeps longer, or without limit).
 */
void net_timer_deadline(uint64_t deadline_tsc);

/* held: net.lock. Run every timer due by `now_tsc` (tcp_timer.c) and return the next deadline, 0 if none. */
uint64_t tcp_timers_run(uint64_t now_tsc);

/* held: net.lock. If the network thread's deadline has come, run the timers and set the next one:
 * the network thread's step (and the fuzz harness's). */
void net_run_due_timers(uint64_t now_tsc);

/* held: net.lock. A frame dropped by the stack: the stack's counter and this core's telemetry record. */
static inline void net_count_drop(void)
{
    net.statistics.frames_dropped++;
    core_state_net_count(0, 0, 1);
}

/* Any core, no lock: `connection` has bytes to send; the lock holder's next flush sends them (the
 * network thread is woken to do so). A connection is on the list at most once. */
void net_request_output(struct tcp_connection *connection);

/* held: net.lock. Send for every connection on the list (tcp_output). The network thread calls it
 * on each pass; tcp_release calls it before a connection may be freed. */
void net_flush_output_requests(void);

/* Milliseconds as TSC cycles. */
uint64_t net_ms_to_tsc(uint64_t milliseconds);

#endif
