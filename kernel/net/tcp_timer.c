/*
 * tcp_timer.c - TCP's deadlines: retransmission (with RFC 6298's RTO and
 * exponential backoff; the same timer probes a zero window), and the
 * "linger" deadline, whose meaning depends on the state: the wait for the
 * peer's FIN in FIN_WAIT_2, or the limit for a deferred connection's first
 * data. TIME_WAIT has no timer at all: it ends lazily (tcp_reap_time_wait in
 * tcp_connection.c), so a burst of closed connections never wakes an idle
 * core. Pairs with tcp.h.
 *
 * A third, short one delays the ACK of in-order data, so that it usually
 * rides on the application's answer instead of costing a segment of its own.
 *
 * Tickless and per core: there is no periodic TCP timer. Arming a deadline
 * tells the connection's owner thread (net_timer_deadline, owner.c) to wake by
 * then; that thread runs tcp_timers_run for its core only when the core's
 * earliest deadline is due, and once none of its connections has a deadline
 * it blocks with none, so an idle stack never wakes a core. Every deadline is
 * set through tcp_set_deadline, which counts the core's armed ones
 * (timers_armed): cancelling the last one clears the owner thread's deadline,
 * so a stopped retransmission or a delayed ACK that rode on data never wakes
 * an idle core later. It also keeps the core's connections that have a
 * deadline on a list, and a timer pass walks only that list, not the table
 * (thousands in TIME_WAIT after new-connection load). Long deadlines are
 * rounded up to TCP_LINGER_GRANULARITY_MS so that many connections ending
 * together share a wake-up. Everything here runs under the owner core's lock.
 */
#include "tcp.h"
#include "stack.h"
#include "x86.h"

static int has_deadline(const struct tcp_connection *connection)
{
    return connection->ack_deadline || connection->retransmit_deadline || connection->linger_deadline;
}

/* A core's connections with a deadline (net_core's armed_first/last), in the order they got their
 * first one (tcp_timers_run's walk). */
static void armed_link(struct net_core *core, struct tcp_connection *connection)
{
    connection->armed_next = 0;
    connection->armed_previous = core->armed_last;
    if (core->armed_last)
        core->armed_last->armed_next = connection;
    else
        core->armed_first = connection;
    core->armed_last = connection;
    NET_ADD(tcp_timers_armed, 1);
}

static void armed_unlink(struct net_core *core, struct tcp_connection *connection)
{
    if (connection->armed_previous)
        connection->armed_previous->armed_next = connection->armed_next;
    else
        core->armed_first = connection->armed_next;
    if (connection->armed_next)
        connection->armed_next->armed_previous = connection->armed_previous;
    else
        core->armed_last = connection->armed_previous;
    connection->armed_next = connection->armed_previous = 0;
    NET_ADD(tcp_timers_armed, -1);
}

uint32_t tcp_armed_connections(int index)
{
    uint32_t count = 0;
    for (struct tcp_connection *connection = net_cores[index].armed_first; connection;
         connection = connection->armed_next)
        count++;
    return count;
}

void tcp_set_deadline(struct tcp_connection *connection, uint64_t *deadline, uint64_t value_tsc)
{
    struct net_core *core = &net_cores[connection->owner];
    int had_any = has_deadline(connection);
    if (*deadline == 0 && value_tsc != 0)
        core->timers_armed++;
    else if (*deadline != 0 && value_tsc == 0)
        core->timers_armed--;
    *deadline = value_tsc;
    int has_any = has_deadline(connection);
    if (has_any && !had_any)
        armed_link(core, connection);
    else if (had_any && !has_any)
        armed_unlink(core, connection);
    if (value_tsc)
        net_timer_deadline(connection->owner, value_tsc);
    else if (core->timers_armed == 0)
        core->timer_deadline = 0; /* the core's last one went: nothing may wake its owner thread */
}

void tcp_clear_deadlines(struct tcp_connection *connection)
{
    tcp_set_deadline(connection, &connection->ack_deadline, 0);
    tcp_set_deadline(connection, &connection->retransmit_deadline, 0);
    tcp_set_deadline(connection, &connection->linger_deadline, 0);
}

void tcp_arm_retransmit(struct tcp_connection *connection)
{
    if (connection->retransmit_deadline)
        return;
    tcp_set_deadline(connection, &connection->retransmit_deadline,
                     rdtsc() + connection->retransmit_timeout_tsc);
}

void tcp_restart_retransmit(struct tcp_connection *connection)
{
    tcp_set_deadline(connection, &connection->retransmit_deadline,
                     rdtsc() + connection->retransmit_timeout_tsc);
}

void tcp_stop_retransmit(struct tcp_connection *connection)
{
    tcp_set_deadline(connection, &connection->retransmit_deadline, 0);
    connection->retransmissions = 0;
}

void tcp_arm_linger(struct tcp_connection *connection, uint64_t milliseconds)
{
    uint64_t granularity = net_ms_to_tsc(TCP_LINGER_GRANULARITY_MS);
    uint64_t deadline = rdtsc() + net_ms_to_tsc(milliseconds);
    tcp_set_deadline(connection, &connection->linger_deadline,
                     (deadline + granularity - 1) / granularity * granularity);
}

void tcp_delay_ack(struct tcp_connection *connection)
{
    if (connection->ack_deadline) { /* a second segment unacknowledged: ACK now (RFC 1122 4.2.3.2) */
        connection->ack_pending = 1;
        return;
    }
    tcp_set_deadline(connection, &connection->ack_deadline, rdtsc() + net_ms_to_tsc(TCP_DELAYED_ACK_MS));
}

/* RFC 6298 2.2-2.4 with alpha 1/8, beta 1/4, K 4, clamped to [TCP_MIN_RTO_MS, TCP_MAX_RTO_MS]. */
void tcp_rtt_sample(struct tcp_connection *connection, uint64_t rtt_tsc)
{
    if (connection->smoothed_rtt_tsc == 0) {
        connection->smoothed_rtt_tsc = rtt_tsc;
        connection->rtt_variance_tsc = rtt_tsc / 2;
    } else {
        uint64_t srtt = connection->smoothed_rtt_tsc;
        uint64_t difference = srtt > rtt_tsc ? srtt - rtt_tsc : rtt_tsc - srtt;
        connection->rtt_variance_tsc = (3 * connection->rtt_variance_tsc + difference) / 4;
        connection->smoothed_rtt_tsc = (7 * srtt + rtt_tsc) / 8;
    }
    uint64_t rto = connection->smoothed_rtt_tsc + 4 * connection->rtt_variance_tsc;
    uint64_t minimum = net_ms_to_tsc(TCP_MIN_RTO_MS), maximum = net_ms_to_tsc(TCP_MAX_RTO_MS);
    connection->retransmit_timeout_tsc = rto < minimum ? minimum : rto > maximum ? maximum : rto;
}

/* Returns 1 if the connection was closed (and may be freed). */
static int retransmit_timeout(struct tcp_connection *connection)
{
    tcp_set_deadline(connection, &connection->retransmit_deadline, 0);
    uint32_t limit =
        connection->state == TCP_SYN_RECEIVED ? TCP_SYN_RETRANSMISSIONS : TCP_MAX_RETRANSMISSIONS;
    if (connection->retransmissions >= limit) {
        if (connection->state != TCP_SYN_RECEIVED)
            tcp_send_reset(connection);
        tcp_set_closed(connection, NET_ERROR_RESET);
        return 1;
    }
    connection->retransmissions++;
    uint64_t doubled = connection->retransmit_timeout_tsc * 2, maximum = net_ms_to_tsc(TCP_MAX_RTO_MS);
    connection->retransmit_timeout_tsc = doubled > maximum ? maximum : doubled;
    if (connection->send_next == connection->send_unacknowledged && connection->send_window == 0) {
        connection->window_probe = 1; /* persist: nothing in flight, the peer's window is shut */
    } else {
        connection->send_next = connection->send_unacknowledged; /* go back N */
        connection->timing = 0;                                  /* Karn: no sample from a retransmission */
        NET_COUNT(tcp_retransmissions);
    }
    tcp_output(connection);
    return 0;
}

/* Returns 1 if the connection was closed (and may be freed). */
static int linger_timeout(struct tcp_connection *connection)
{
    tcp_set_deadline(connection, &connection->linger_deadline, 0);
    switch (connection->state) {
    case TCP_FIN_WAIT_2: /* the peer never sent its FIN */
        tcp_set_closed(connection, 0);
        return 1;
    case TCP_ESTABLISHED: { /* deferred accept: no data in time; close it without bothering a worker */
        acquire(&net.lock); /* the listener's fields */
        int abandon = connection->listener && !connection->ready_for_accept;
        if (abandon)
            tcp_detach_listener(connection);
        release(&net.lock);
        if (abandon)
            tcp_begin_close(connection);
        return 0;
    }
    default:
        return 0;
    }
}

struct timer_pass {
    uint64_t fire_before; /* deadlines before this fire now (now + slack) */
    uint64_t next;        /* earliest deadline left, 0 if none */
};

static void earliest(struct timer_pass *pass, uint64_t deadline)
{
    if (deadline && (pass->next == 0 || deadline < pass->next))
        pass->next = deadline;
}

static void visit(struct tcp_connection *connection, void *context)
{
    struct timer_pass *pass = context;
    if (connection->ack_deadline && connection->ack_deadline < pass->fire_before) {
        tcp_set_deadline(connection, &connection->ack_deadline, 0);
        connection->ack_pending = 1;
        tcp_output(connection);
    }
    if (connection->retransmit_deadline && connection->retransmit_deadline < pass->fire_before &&
        retransmit_timeout(connection))
        return;
    if (connection->linger_deadline && connection->linger_deadline < pass->fire_before &&
        linger_timeout(connection))
        return;
    earliest(pass, connection->ack_deadline);
    earliest(pass, connection->retransmit_deadline);
    earliest(pass, connection->linger_deadline);
}

uint64_t tcp_timers_run(int index, uint64_t now_tsc)
{
    struct net_core *core = &net_cores[index];
    tcp_reap_time_wait(index, now_tsc);
    struct timer_pass pass = { .fire_before = now_tsc + net_ms_to_tsc(TCP_TIMER_SLACK_MS), .next = 0 };
    /* Only the connections with a deadline: an idle or TIME_WAIT one costs the pass nothing. A visit
     * may close its connection (it leaves this list) or arm deadlines of its own (it stays on it, or
     * joins at the end and is visited too); no visit closes another armed connection. The end is
     * fixed first, so a connection that joins during the pass is not visited twice. */
    struct tcp_connection *last = core->armed_last;
    for (struct tcp_connection *connection = core->armed_first, *next; connection; connection = next) {
        int was_last = connection == last;
        next = connection->armed_next;
        visit(connection, &pass);
        if (was_last)
            break;
    }
    NET_COUNT(tcp_timer_runs);
    return pass.next;
}
