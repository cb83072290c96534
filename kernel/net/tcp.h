/*
 * tcp.h - TCP internals: the connection (transmission control block), the
 * listener, sequence-number arithmetic and the entry points shared by
 * tcp_connection.c (table, lifetime), tcp_input.c (segment arrival),
 * tcp_output.c (sending), tcp_timer.c (retransmission, TIME_WAIT and other
 * deadlines) and tcp_socket.c (the application API of net.h).
 * Names follow RFC 9293 (SND.UNA, RCV.NXT, ...) in comments.
 *
 * Passive open only: connections are born from a SYN to a listener, so
 * SYN_SENT does not exist.
 *
 * Locking: a connection belongs to one core for its whole life (`owner`, the
 * core its table bucket is steered to: owner.c), and everything about it is
 * guarded by that core's lock, net_cores[owner].lock - except the fields that
 * tie it to its listener before accept (`listener`, `accept_next`,
 * `ready_for_accept`), which net.lock guards with the listener's accept queue.
 * Frames and timers for it are handled on the owner core; the application
 * takes the owner's lock from whatever core its thread runs on.
 *
 * Lifetime: a connection is in the table (found by its four-tuple) from the
 * SYN until it becomes CLOSED; it is freed once it is CLOSED and the
 * application does not hold it (never accepted, or tcp_close/tcp_abort called).
 */
#ifndef TORO_NET_TCP_H
#define TORO_NET_TCP_H

#include <stdint.h>
#include "byte_ring.h"
#include "handoff.h"
#include "ipv4.h"
#include "poller.h"
#include "wait.h"

/* ---- limits and timing (see kernel/README.md "Network") ------------------------- */
#define TCP_MSS                   1460 /* our MSS: 1500-byte MTU - IPv4 - TCP headers */
#define TCP_DEFAULT_PEER_MSS      536  /* RFC 9293 default when the SYN has no MSS option */
#define TCP_SEND_BUFFER_SIZE      16384
#define TCP_RECEIVE_BUFFER_SIZE   8192 /* also the largest window we advertise */
#define TCP_MAX_CONNECTIONS       1024 /* open connections, TIME_WAIT excluded: SYNs beyond it are dropped */
#define TCP_MAX_TIME_WAIT         4096 /* beyond it a connection skips TIME_WAIT (as Linux's tcp_max_tw_buckets) */
#define TCP_TABLE_BUCKETS         1024
#define TCP_SPARE_BUFFERS         64   /* send and receive buffers of ended connections kept for new ones */
#define TCP_INITIAL_RTO_MS        1000 /* RFC 6298 */
#define TCP_MIN_RTO_MS            200  /* as Linux; RFC 6298 says 1 s, too slow for a local link */
#define TCP_MAX_RTO_MS            8000
#define TCP_MAX_RETRANSMISSIONS   6   /* then the connection is reset (about 30 s at most) */
#define TCP_SYN_RETRANSMISSIONS   3   /* SYN-ACKs before a half-open connection is dropped */
#define TCP_LINGER_GRANULARITY_MS 100 /* TIME_WAIT and other long deadlines are rounded up to this */
#define TCP_TIMER_SLACK_MS        2   /* timers due this soon fire in the same pass */
#define TCP_DELAYED_ACK_MS        20  /* an ACK for in-order data waits this long for an answer to ride on */
#define TCP_OUT_OF_ORDER_RANGES   4   /* separate runs of out-of-order data kept per connection */
#define TCP_DUPLICATE_ACKS        3   /* duplicate ACKs that trigger a fast retransmit (RFC 5681 3.2) */

#define TCP_HEADER_SIZE         20
#define TCP_OPTION_MSS          2
#define TCP_OPTION_WINDOW_SCALE 3 /* RFC 7323 2: kind 3, length 3, shift count */
#define TCP_MAX_WINDOW_SCALE    14
#define TCP_OPTION_END          0
#define TCP_OPTION_NOP          1

/* Header flags. */
#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PSH 0x08
#define TCP_ACK 0x10
#define TCP_URG 0x20

struct tcp_header {
    uint16_t source_port;
    uint16_t destination_port;
    uint32_t sequence;
    uint32_t acknowledgment;
    uint8_t data_offset; /* header length in 32-bit words << 4 */
    uint8_t flags;
    uint16_t window;
    uint16_t checksum;
    uint16_t urgent_pointer;
} __attribute__((packed));

enum tcp_state {
    TCP_CLOSED = 0,
    TCP_SYN_RECEIVED,
    TCP_ESTABLISHED,
    TCP_FIN_WAIT_1, /* we closed; our FIN is queued or unacknowledged */
    TCP_FIN_WAIT_2, /* our FIN is acknowledged; waiting for the peer's */
    TCP_CLOSING,    /* both closed at once; our FIN unacknowledged */
    TCP_TIME_WAIT,  /* both FINs done; lingers time_wait_ms */
    TCP_CLOSE_WAIT, /* the peer closed; we may still send */
    TCP_LAST_ACK,   /* the peer closed, then we did; our FIN unacknowledged */
};

/* ---- sequence numbers: 32-bit, compared modulo 2^32 (RFC 9293 3.4) ---------------- */
static inline int sequence_before(uint32_t left, uint32_t right) { return (int32_t)(left - right) < 0; }
static inline int sequence_at_or_before(uint32_t left, uint32_t right)
{
    return (int32_t)(left - right) <= 0;
}
static inline int sequence_after(uint32_t left, uint32_t right) { return (int32_t)(left - right) > 0; }
/* low <= value < high, modulo 2^32. */
static inline int sequence_in_window(uint32_t value, uint32_t low, uint32_t high)
{
    return value - low < high - low;
}

struct tcp_listener;

struct tcp_connection {
    /* Identity; the local address is always ours. */
    uint32_t remote_address;
    uint16_t remote_port;
    uint16_t local_port;
    struct tcp_connection *table_next; /* hash chain (tcp_connection.c) */
    int owner;                         /* the core whose lock guards it (owner.c): its bucket's */
    enum tcp_state state;

    /* Until accepted (held: net.lock to change them). */
    struct tcp_listener *listener;      /* the listener it came to; 0 once accepted or abandoned */
    struct tcp_connection *accept_next; /* in listener->ready */
    int ready_for_accept;               /* in listener->ready */

    /* Send side. The send buffer holds the bytes from SND.UNA on: in flight, then unsent.
     * A FIN (in FIN_WAIT_1, CLOSING, LAST_ACK) follows the last byte of the buffer. */
    uint32_t initial_send_sequence;        /* ISS */
    uint32_t send_unacknowledged;          /* SND.UNA */
    uint32_t send_next;                    /* SND.NXT: next sequence number to send */
    uint32_t send_max;                     /* highest SND.NXT so far (after a timeout SND.NXT goes back) */
    uint32_t send_window;                  /* SND.WND, from the peer */
    uint32_t window_update_sequence;       /* SND.WL1 */
    uint32_t window_update_acknowledgment; /* SND.WL2 */
    uint16_t peer_mss;
    int window_scaling;      /* both sides sent the option in the SYNs (RFC 7323 2.2) */
    uint8_t send_scale;      /* the peer's shift: SND.WND = window << send_scale (never on a SYN) */
    int window_probe;        /* the next output may send one byte into a zero window */
    uint32_t duplicate_acks; /* in a row, for SND.UNA with data in flight (fast retransmit) */
    struct byte_ring send_buffer;

    /* Receive side. */
    uint32_t receive_next;      /* RCV.NXT */
    uint32_t advertised_window; /* the window in our last segment */
    int fin_received;           /* the peer's FIN is in sequence: reads end after the buffer */
    int ack_pending;            /* send an ACK with the next output, at the latest at the end of this input */
    struct byte_ring receive_buffer;
    /* Out-of-order data beyond RCV.NXT, already in the receive buffer's free space at its place:
     * sequence ranges [start, end), sorted, disjoint, none touching RCV.NXT. */
    struct {
        uint32_t start, end;
    } out_of_order[TCP_OUT_OF_ORDER_RANGES];
    int out_of_order_count;

    /* Timers: TSC deadlines, 0 when not armed; written only through tcp_set_deadline (tcp_timer.c). */
    uint64_t ack_deadline; /* delayed ACK (RFC 1122 4.2.3.2); any segment we send cancels it */
    uint64_t retransmit_deadline;
    uint64_t retransmit_timeout_tsc;   /* RTO */
    uint32_t retransmissions;          /* consecutive timeouts without progress */
    uint64_t linger_deadline;          /* FIN_WAIT_2 or accept-deferral limit (not TIME_WAIT: below) */
    struct tcp_connection *armed_next; /* on tcp_timer.c's list while any deadline above is set */
    struct tcp_connection *armed_previous;
    uint64_t smoothed_rtt_tsc; /* SRTT, 0 before the first sample */
    uint64_t rtt_variance_tsc; /* RTTVAR */
    int timing;                /* a segment is being timed (Karn: never a retransmitted one) */
    uint32_t timed_sequence;
    uint64_t timed_sent_tsc;

    /* TIME_WAIT: on the stack's FIFO of such connections, oldest first; no timer (tcp_connection.c). */
    uint64_t time_wait_end; /* TSC: from then on the connection is gone for any purpose */
    struct tcp_connection *time_wait_next;
    struct tcp_connection *time_wait_previous;

    /* Application side. */
    int application_holds; /* accepted and not yet closed */
    int corked;            /* tcp_cork: tcp_write queues without sending (tcp_close sends) */
    int output_requested;  /* on its owner's output_requests (owner.c), sent by its next flush */
    struct net_handoff_node output_node; /* that list's link */
    struct net_watch *watch;             /* its poller registration, if any (poller.c) */
    int error;                           /* NET_ERROR_RESET once reset; reads and writes fail */
    struct net_wait_queue readers;
    struct net_wait_queue writers;
};

/* Guarded by net.lock (the listeners are global and rare: SYNs and accepts). */
struct tcp_listener {
    uint16_t port;
    int backlog;                        /* most connections not yet accepted */
    int pending;                        /* connections that came here and are not accepted yet (atomic) */
    uint64_t defer_accept_ms;           /* 0: hand over at once; else wait for data this long */
    struct tcp_connection *ready_first; /* established (with data if deferred), FIFO */
    struct tcp_connection *ready_last;
    struct net_wait_queue acceptors; /* threads blocked in tcp_accept */
    struct net_watch *watches;       /* pollers watching it (poller.c) */
    struct net_watch *next_watch;    /* the one to report the next connection to */
    struct tcp_listener *next;
};

/* ---- tcp_connection.c: table, listeners, lifetime ---------------------------------- */
struct tcp_connection *tcp_lookup(uint32_t remote_address, uint16_t remote_port, uint16_t local_port);
/* The table bucket of a four-tuple (pure; the self-tests check its spread). */
unsigned tcp_table_bucket(uint32_t remote_address, uint16_t remote_port, uint16_t local_port);
/* held: the bucket owner's lock. 1 if no connection hashes to `bucket` now. */
int tcp_bucket_empty(unsigned bucket);
/* Any core, no lock: listeners are only ever added (under net.lock), never freed. */
struct tcp_listener *tcp_find_listener(uint16_t port);
/* held: net.lock. */
void tcp_add_listener(struct tcp_listener *listener);
/* held: the owner's lock of the four-tuple's bucket (not net.lock: the backlog is counted with an
 * atomic add). A new connection in SYN_RECEIVED for `listener`, in the table; 0 without memory,
 * room or backlog. */
struct tcp_connection *tcp_create(struct tcp_listener *listener, uint32_t remote_address,
                                  uint16_t remote_port);
/* The connection is established (and has data, if deferred): queue it for tcp_accept. */
void tcp_make_ready(struct tcp_connection *connection);
/* held: net.lock. It leaves its listener (accepted, closed or reset before being accepted). */
void tcp_detach_listener(struct tcp_connection *connection);
/* Enter CLOSED with `error` (0 for a clean end): out of the table, waiters woken, buffers
 * freed, the connection itself freed unless the application still holds it. */
void tcp_set_closed(struct tcp_connection *connection, int error);
/* The application lets go: free it now if CLOSED. */
void tcp_release(struct tcp_connection *connection);
/* Our side closes (tcp_close, or an accept deferral that expired): queue a FIN after the
 * buffered data (ESTABLISHED -> FIN_WAIT_1, CLOSE_WAIT -> LAST_ACK), discard unread input. */
void tcp_begin_close(struct tcp_connection *connection);
/* Enter TIME_WAIT (buffers freed, queued on the TIME_WAIT FIFO with no timer), after sending a
 * pending ACK. With TCP_MAX_TIME_WAIT connections already there the oldest one ends to make room.
 * Returns 0 (the connection stays, in TIME_WAIT). */
int tcp_enter_time_wait(struct tcp_connection *connection);
/* Close every TIME_WAIT connection whose time is over by `now_tsc` (oldest first, O(expired)).
 * TIME_WAIT arms no timer: this runs whenever the network thread wakes anyway (a frame, another
 * timer), when a lookup meets an expired one, and before the statistics are read, so an idle
 * stack is never woken just to forget closed connections. */
void tcp_reap_time_wait(int core, uint64_t now_tsc);
/* Call `visit` for every connection in the buckets `core` owns (it may close the one it is given).
 * held: net_cores[core].lock. */
void tcp_for_each(int core, void (*visit)(struct tcp_connection *connection, void *context), void *context);
const char *tcp_state_name(enum tcp_state state);

/* ---- tcp_input.c -------------------------------------------------------------------- */

/* A received segment, parsed (host order). */
struct tcp_segment {
    const struct tcp_header *header;
    uint16_t source_port;
    uint16_t destination_port;
    uint32_t sequence;
    uint32_t acknowledgment;
    uint8_t flags;
    uint16_t window;
    uint16_t mss;     /* the MSS option, 0 if absent */
    int window_scale; /* the window-scale option's shift, -1 if absent */
    const uint8_t *data;
    uint32_t data_length;
    uint32_t length; /* sequence space used: data, plus one each for SYN and FIN */
};

enum tcp_parse_result {
    TCP_PARSE_OK = 0,
    TCP_PARSE_TRUNCATED = -1,  /* shorter than a header, or than its data offset */
    TCP_PARSE_BAD_OFFSET = -2, /* data offset below 5 words */
    TCP_PARSE_BAD_OPTION = -3, /* an option runs past the header */
    TCP_PARSE_BAD_FLAGS = -4,  /* SYN with FIN or RST: never valid */
};

/* Parse the segment carried by `datagram` (pure: no state, no lock; checksum not checked). */
int tcp_parse_segment(const struct ipv4_datagram *datagram, struct tcp_segment *segment);
/* Check a received segment's checksum over the pseudo header (pure). 1 if correct. */
int tcp_checksum_ok(const struct ipv4_datagram *datagram);
/* A received segment (after IPv4): find its connection or listener and run the state machine. */
void tcp_input(const struct ipv4_datagram *datagram);

/* ---- tcp_output.c -------------------------------------------------------------------- */
/* Send what the state, the buffer and the windows allow, and an ACK if one is pending. */
void tcp_output(struct tcp_connection *connection);
/* A reset for `connection` (abort, give-up). */
void tcp_send_reset(struct tcp_connection *connection);
/* A reset answering a segment that has no connection (RFC 9293 3.10.7.1). */
struct tcp_segment;
void tcp_send_reset_reply(const struct ipv4_datagram *datagram, const struct tcp_segment *segment);
/* The window we would advertise now (free receive buffer, at most 65535). */
uint32_t tcp_receive_window(const struct tcp_connection *connection);

/* ---- tcp_timer.c ---------------------------------------------------------------------- */
/* The only way to write a connection's ack/retransmit/linger deadline (0 disarms it): keeps its
 * owner core's timers_armed, the count of nonzero deadlines over the core's connections, exact,
 * keeps the connection on the core's list of armed ones (tcp_timers_run walks only those) while it
 * has any, arms the owner thread's wake-up for a new one, and when the core's last one is cancelled
 * drops that wake-up too. */
void tcp_set_deadline(struct tcp_connection *connection, uint64_t *deadline, uint64_t value_tsc);
/* Connections on `core`'s armed list (the fuzz harness checks it against the table). */
uint32_t tcp_armed_connections(int core);
void tcp_clear_deadlines(struct tcp_connection *connection);    /* all three (closing, TIME_WAIT) */
void tcp_arm_retransmit(struct tcp_connection *connection);     /* if not armed: now + RTO */
void tcp_restart_retransmit(struct tcp_connection *connection); /* now + RTO */
void tcp_stop_retransmit(struct tcp_connection *connection);
void tcp_arm_linger(struct tcp_connection *connection, uint64_t milliseconds);
/* In-order data arrived: acknowledge it within TCP_DELAYED_ACK_MS, or now if an ACK is already owed. */
void tcp_delay_ack(struct tcp_connection *connection);
void tcp_rtt_sample(struct tcp_connection *connection, uint64_t rtt_tsc);

#endif
