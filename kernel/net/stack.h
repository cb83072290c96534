/*
 * stack.h - the TCP/IP stack's shared state: the locks, the interface, the
 * IPv4 configuration, the counters, and each core's share of the connections
 * (struct net_core). Implemented in stack.c (start, the network thread,
 * configuration) and owner.c (per-core ownership: steering, the frame inbox,
 * the owner threads, the output hand-off).
 *
 * Locking (outer to inner; a thread never blocks holding any of them, net_wait
 * releases the one it waits under):
 *   net_cores[c].lock  everything about the connections core c owns: their protocol state, the table
 *                      buckets steered to c, c's timers, TIME_WAIT FIFO and spare buffers. Any core may
 *                      take it (a worker reading or writing), but frames and timers are handled on c.
 *   net.lock           the rare, global things: listeners and their accept queues, ICMP, the
 *                      steering table's writers. Taken inside a core lock (a connection becomes
 *                      ready for accept), never the other way round.
 *   poller->lock       a poller's ready list and waiter (poller.h).
 *   net.transmit_lock  the driver's one transmit queue and the ARP cache, for the few instructions
 *                      of a send.
 * The counters in net.statistics are updated with atomic adds (NET_COUNT), from any core.
 * The device interrupt takes no lock: it only wakes the network thread, which alone takes
 * received frames from the driver.
 */
#ifndef TORO_NET_STACK_H
#define TORO_NET_STACK_H

#include <stdint.h>
#include "handoff.h"
#include "net.h"
#include "net_interface.h"
#include "param.h"
#include "spinlock.h"
#include "telemetry.h"

struct thread;

struct net_config {
    uint32_t address;      /* ip=        (host order) */
    uint32_t netmask;      /* netmask= */
    uint32_t gateway;      /* gateway= */
    uint64_t time_wait_ms; /* timewait_ms=: how long a closed connection stays in TIME_WAIT */
    uint64_t fin_wait_ms;  /* finwait_ms=: how long we wait for the peer's FIN after ours was acknowledged */
    int steer_spread;      /* steer=: 0 "network" (every connection owned by the network core), 1 "spread" */
};

/* The stack's spare buffers (tcp_connection.c): those of ended connections, kept for new ones. */
#define NET_SPARE_BUFFERS 64
struct net_spare_buffers {
    uint8_t *buffers[NET_SPARE_BUFFERS];
    int count;
};

/*
 * One core's share of the stack: the connections it owns (the table buckets steered to it,
 * owner.c) and the work they need, all under `lock`. The core's owner thread (the network
 * thread on net.core) handles the frames in `inbox`, sends for `output_requests` and runs the
 * timers when `timer_deadline` comes.
 */
struct net_core {
    struct spinlock lock;
    struct thread *thread;    /* its owner thread; set once it runs */
    struct net_handoff inbox; /* frames for its connections, pushed by the network thread (owner.c) */
    /* Connections whose writer queued bytes while `lock` was busy (tcp_write's fast path); the
     * owner thread sends for them. A connection is on its owner's list at most once. */
    struct net_handoff output_requests;
    /* held: lock. The owner thread's wake-up (a TSC value, 0: none). Never later than the
     * earliest armed deadline of its connections; 0 whenever timers_armed is 0. */
    uint64_t timer_deadline;
    uint32_t timers_armed; /* nonzero deadlines of its connections (tcp_set_deadline keeps it exact) */
    struct tcp_connection *armed_first, *armed_last;         /* connections with a deadline (tcp_timer.c) */
    struct tcp_connection *time_wait_first, *time_wait_last; /* its TIME_WAIT FIFO (tcp_connection.c) */
    struct net_spare_buffers spare_send, spare_receive;
    uint64_t frames_handed_off; /* frames the network thread pushed to this inbox (atomic) */
    char lock_name[12];         /* "net.cpuN" */
};

struct net_stack {
    struct spinlock lock;          /* the global one: listeners, accept queues, ICMP (above) */
    struct spinlock transmit_lock; /* the driver's transmit queue and the ARP cache */

    /* Set once by net_attach, then read-only. */
    struct net_interface *interface;
    struct net_config config;
    struct thread *thread; /* the network thread: receives frames, runs timers */
    int core;              /* its core (where the device interrupt goes) */

    int cores; /* cpu_count() at net_attach: the cores that may own connections */

    /* Atomic adds only (NET_COUNT). */
    struct net_statistics statistics; /* the stack's counters (device counters live in `interface`) */
};

extern struct net_stack net;
extern struct net_core net_cores[MAX_CPUS];

#define NET_COUNT(field)       __atomic_fetch_add(&net.statistics.field, 1, __ATOMIC_RELAXED)
#define NET_ADD(field, amount) __atomic_fetch_add(&net.statistics.field, (amount), __ATOMIC_RELAXED)

/*
 * Start the stack on `interface` with its network thread on `core`. Used by
 * net_start (virtio-net) and by the self-tests (a fake interface). Reads the
 * configuration from the command line. 0, or a net_error.
 */
int net_attach(struct net_interface *interface, int core);

/* ---- owner.c: per-core ownership -------------------------------------------------------- */

/* The core that owns the table bucket `bucket` (tcp_table_bucket): every connection hashed there,
 * for its whole life. Lock-free read (the network thread's, per frame). */
int net_bucket_owner(unsigned bucket);

/* Set the steering table from net.config (at net_attach, before any connection exists). */
void net_steer_init(void);

/* Self-test hook: give bucket `bucket` to core `core`. Only while the bucket holds no connection
 * and no frame for it is on its way (its owner's lock is taken to check; 0, or -1 if not empty). */
int net_steer_bucket(unsigned bucket, int core);

/* The network thread's frame handler (a net_frame_handler): a TCP segment for us goes to the core
 * owning its four-tuple's bucket (handled here under that core's lock when it is this core, else
 * copied onto that core's inbox, which wakes its owner thread when the inbox was empty); anything
 * else (ARP, ICMP, what is not for us) is handled here under net.lock. */
void net_dispatch_frame(struct net_interface *interface, const uint8_t *frame, uint32_t length);

/* Start an owner thread on every core but the network thread's (net_attach). 0, or a net_error. */
int net_start_owner_threads(void);

/* held: net_cores[core].lock. The owner thread's pass: frames in its inbox, output requests, due
 * timers. Returns the owner's next wake-up (0: none). The network thread runs it for its core. */
uint64_t net_core_pass(int core);

/*
 * held: net_cores[core].lock. Some timer of core `core` is due at `deadline_tsc`: make sure its
 * owner thread wakes by then (wakes it now if it sleeps longer, or without limit).
 */
void net_timer_deadline(int core, uint64_t deadline_tsc);

/* held: net_cores[core].lock. Run every timer of `core` due by `now_tsc` (tcp_timer.c) and return
 * the next deadline, 0 if none. */
uint64_t tcp_timers_run(int core, uint64_t now_tsc);

/* held: net_cores[core].lock. If the core's deadline has come, run its timers and set the next one:
 * the owner thread's step (and the fuzz harness's). */
void net_run_due_timers(int core, uint64_t now_tsc);

/* A frame dropped by the stack: the stack's counter and this core's telemetry record. */
static inline void net_count_drop(void)
{
    NET_COUNT(frames_dropped);
    core_state_net_count(0, 0, 1);
}

/* Any core, no lock: `connection` has bytes to send; its owner thread sends them (woken to do so).
 * A connection is on its owner's list at most once. */
void net_request_output(struct tcp_connection *connection);

/* held: net_cores[core].lock. Send for every connection on the core's list (tcp_output). The owner
 * thread calls it on each pass; tcp_release calls it before a connection may be freed. */
void net_flush_output_requests(int core);

/* Milliseconds as TSC cycles. */
uint64_t net_ms_to_tsc(uint64_t milliseconds);

#endif
