/*
 * net.h - the network API for applications: start the stack, then TCP
 * through a small socket-like interface (listen, accept, read, write, close)
 * whose calls block by sleeping the calling thread, never by spinning.
 * Implemented in kernel/net/ (stack.c starts it, tcp_socket.c is this API,
 * icmp.c pings); see kernel/README.md "Network".
 *
 * Any thread on any core may use any connection, but one connection should be
 * read by one thread at a time (and written by one thread at a time).
 */
#ifndef TORO_NET_H
#define TORO_NET_H

#include <stddef.h>
#include <stdint.h>

/* Error results of the calls below (negative, so they never look like a byte count). */
enum net_error {
    NET_ERROR_TIMEOUT = -1, /* the wait's time limit passed */
    NET_ERROR_RESET = -2,   /* the peer reset the connection, or it timed out retransmitting */
    NET_ERROR_CLOSED = -3,  /* this side already closed it for writing */
    NET_ERROR_NO_MEMORY = -4,
    NET_ERROR_IN_USE = -5,    /* the port already has a listener */
    NET_ERROR_NO_DEVICE = -6, /* no usable network device */
};

#define NET_WAIT_FOREVER UINT64_MAX /* timeout_ms meaning "no time limit" */

/*
 * Find the network device (virtio-net over PCI), configure IPv4 from the
 * command line (ip=, netmask=, gateway=; QEMU user networking's 10.0.2.15/24
 * via 10.0.2.2 by default) and start the network thread ("net") on `core`,
 * where the device's interrupt is delivered. Once per boot; later calls
 * return the first result. 0 on success, or NET_ERROR_NO_DEVICE.
 */
int net_start(int core);

/* IPv4 addresses are host-order numbers: 10.0.2.15 is 0x0A00020F. */
uint32_t net_address(void);
/* "10.0.2.15" into `text` (at least 16 bytes). */
void net_format_address(uint32_t address, char *text);
/* "10.0.2.15" -> 0x0A00020F: 0, or -1 if `text` is not a dotted quad. */
int net_parse_address(const char *text, uint32_t *address);

/*
 * ICMP echo to `address`; blocks until the reply or `timeout_ms`. Returns the
 * round trip in microseconds, or NET_ERROR_TIMEOUT. One ping at a time.
 */
int64_t net_ping(uint32_t address, uint64_t timeout_ms);

/* ---- TCP ----------------------------------------------------------------- */

struct tcp_listener;   /* a listening port */
struct tcp_connection; /* one connection, from tcp_accept */

/*
 * Listen on `port` with at most `backlog` connections waiting to be accepted
 * (handshakes in progress included; SYNs beyond it are dropped, and the
 * client retries). With `defer_accept_ms` > 0 a connection is handed to
 * tcp_accept only once its first data (or FIN) arrived, and is closed if
 * nothing arrives within that time: a client that connects and stays silent
 * never occupies a worker. Returns 0 and sets *error on failure. A listener
 * lasts until the machine stops (a dedicated kernel serves one port for good).
 */
struct tcp_listener *tcp_listen(uint16_t port, int backlog, uint64_t defer_accept_ms, int *error);

/* Wait for the next connection. 0 on timeout (NET_WAIT_FOREVER waits forever). */
struct tcp_connection *tcp_accept(struct tcp_listener *listener, uint64_t timeout_ms);

/*
 * Read up to `length` bytes: blocks until some arrive. Returns the count,
 * 0 once the peer has closed its side and everything was read, or
 * NET_ERROR_TIMEOUT / NET_ERROR_RESET (a reset discards what was not read).
 * One thread reads a connection at a time (and one writes): bytes that are
 * there are taken without the stack's lock.
 */
long tcp_read(struct tcp_connection *connection, void *buffer, size_t length, uint64_t timeout_ms);

/*
 * Queue all `length` bytes for sending; blocks while the send buffer is full.
 * Returns `length`, or NET_ERROR_RESET / NET_ERROR_CLOSED / NET_ERROR_TIMEOUT
 * (some bytes may have been queued before an error). One writer at a time:
 * bytes that fit are queued without waiting for the stack's lock, and sent by
 * this thread if the lock is free, else by the network thread.
 */
long tcp_write(struct tcp_connection *connection, const void *buffer, size_t length, uint64_t timeout_ms);

/*
 * Cork (1) or uncork (0) the connection, as Linux's TCP_CORK: while corked,
 * tcp_write only queues (it still sends when the send buffer is full, so it
 * never blocks on itself); uncorking or tcp_close sends what is queued, so an
 * answer followed by tcp_close leaves as one segment that carries the FIN.
 */
void tcp_cork(struct tcp_connection *connection, int corked);

/*
 * Close gracefully: queued bytes are still delivered, then a FIN; unread
 * received bytes are discarded. The handle is invalid afterwards (the stack
 * frees the connection once TIME_WAIT or LAST_ACK is over).
 */
void tcp_close(struct tcp_connection *connection);

/* Close at once with a reset (RST); queued bytes are dropped. The handle is invalid afterwards. */
void tcp_abort(struct tcp_connection *connection);

/* The peer's address and port. */
void tcp_peer(struct tcp_connection *connection, uint32_t *address, uint16_t *port);

/* ---- serving many connections from one thread ------------------------------------
 * A poller (a small epoll) lets one thread wait for news on many connections
 * and listeners at once, then call tcp_accept / tcp_read with timeout 0,
 * which return at once (0 / NET_ERROR_TIMEOUT when there is nothing). Reports
 * are edge-triggered: each watch is reported once per batch of news (data,
 * the peer's FIN, a reset, freed send space, a connection to accept), so after
 * a report read or accept until the call says there is nothing more. */

struct net_poller;

/* A poller for the calling thread (one thread waits on a poller); it lasts as long as the
 * machine, like the worker it serves. 0 without memory. */
struct net_poller *net_poller_create(void);

/*
 * Report `connection` as `context` (replaces an earlier watch). News that
 * arrived before the call is reported at once. The watch ends with tcp_close
 * or tcp_abort. 0, or NET_ERROR_NO_MEMORY.
 */
int net_poller_watch(struct net_poller *poller, struct tcp_connection *connection, void *context);

/*
 * Report `listener` as `context` when a connection waits to be accepted.
 * Several pollers may watch one listener: each new connection is reported to
 * one of them, in turn. 0, or NET_ERROR_NO_MEMORY.
 */
int net_poller_watch_listener(struct net_poller *poller, struct tcp_listener *listener, void *context);

/*
 * Block until something watched has news or `timeout_ms` passed; store up to
 * `capacity` contexts of watches with news. Returns how many (0 on timeout).
 */
int net_poller_wait(struct net_poller *poller, void **contexts, int capacity, uint64_t timeout_ms);

/* ---- statistics ------------------------------------------------------------ */

struct net_statistics {
    /* device */
    uint64_t interrupts;     /* device interrupts, all on interrupt_core */
    uint64_t thread_wakeups; /* times the network thread was woken to work */
    uint64_t frames_received;
    uint64_t frames_sent;
    uint64_t transmit_drops; /* device transmit queue full */
    int32_t interrupt_core;  /* -1 without a device */
    int32_t interrupt_vector;
    /* stack */
    uint64_t frames_dropped; /* malformed, not for us, fragments, unknown protocols */
    uint64_t arp_requests_sent;
    uint64_t arp_replies_sent;
    uint64_t icmp_echo_replies_sent;
    uint64_t tcp_segments_received;
    uint64_t tcp_segments_sent;
    uint64_t tcp_checksum_errors;
    uint64_t tcp_retransmissions;
    uint64_t tcp_resets_sent;
    uint64_t tcp_resets_received;
    uint64_t tcp_connections_accepted; /* handed to tcp_accept */
    uint64_t tcp_connections_dropped;  /* SYNs dropped: backlog or connection table full */
    uint64_t tcp_timer_runs;           /* timer passes by the network thread */
    uint64_t tcp_time_wait_skipped;    /* ended early: TIME_WAIT table full */
    uint64_t tcp_fast_retransmissions; /* after three duplicate ACKs (also in tcp_retransmissions) */
    uint64_t tcp_out_of_order_queued;  /* segments kept beyond a gap instead of dropped */
    uint64_t tcp_reads_without_lock;   /* tcp_read calls answered without net.lock (data there, or none) */
    uint64_t tcp_writes_without_lock;  /* tcp_write calls that never waited for net.lock */
    uint64_t tcp_output_handoffs;      /* ... of which the lock was busy: the network thread sent them */
    uint32_t tcp_connections_open;     /* in the table now, TIME_WAIT included */
    uint32_t tcp_connections_time_wait;
    uint32_t tcp_timers_armed; /* connections with a pending timer, now (0 once nothing can wake the stack) */
    uint32_t reserved;
};

/* Consistent copy of the counters. */
void net_statistics_read(struct net_statistics *out);

#endif
