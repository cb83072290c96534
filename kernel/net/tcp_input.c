/*
 * tcp_input.c - segment arrival, following RFC 9293 3.10.7 ("SEGMENT
 * ARRIVES") for a server: a SYN to a listener opens a connection in
 * SYN_RECEIVED; then, in order, the sequence-number check, RST, SYN, ACK
 * (handshake completion, acknowledged data and FIN, window updates), data and
 * FIN. A segment beyond RCV.NXT is kept at its place in the receive buffer
 * (up to TCP_OUT_OF_ORDER_RANGES separate runs) and answered at once with a
 * duplicate ACK; when the gap fills, the queued data joins the readable bytes
 * and the ACK covers it all. Three duplicate ACKs for data in flight trigger a
 * fast retransmit (RFC 5681 3.2). Pairs with
 * tcp.h; tcp_output.c sends the answers. Runs on the core that owns the
 * segment's four-tuple (owner.c) with that core's lock held.
 */
#include "tcp.h"
#include "checksum.h"
#include "stack.h"
#include "x86.h"

int tcp_parse_segment(const struct ipv4_datagram *datagram, struct tcp_segment *segment)
{
    if (datagram->length < TCP_HEADER_SIZE)
        return TCP_PARSE_TRUNCATED;
    const struct tcp_header *header = (const struct tcp_header *)datagram->payload;
    uint32_t header_length = (header->data_offset >> 4) * 4u;
    if (header_length < TCP_HEADER_SIZE)
        return TCP_PARSE_BAD_OFFSET;
    if (header_length > datagram->length)
        return TCP_PARSE_TRUNCATED;
    if ((header->flags & TCP_SYN) && (header->flags & (TCP_FIN | TCP_RST)))
        return TCP_PARSE_BAD_FLAGS;
    segment->header = header;
    segment->source_port = ntohs(header->source_port);
    segment->destination_port = ntohs(header->destination_port);
    segment->sequence = ntohl(header->sequence);
    segment->acknowledgment = ntohl(header->acknowledgment);
    segment->flags = header->flags;
    segment->window = ntohs(header->window);
    segment->mss = 0;
    segment->window_scale = -1;
    segment->data = datagram->payload + header_length;
    segment->data_length = datagram->length - header_length;
    segment->length =
        segment->data_length + ((header->flags & TCP_SYN) ? 1 : 0) + ((header->flags & TCP_FIN) ? 1 : 0);

    /* Options: MSS and window scale matter to us; the rest are skipped by their length. */
    const uint8_t *option = (const uint8_t *)(header + 1);
    const uint8_t *end = datagram->payload + header_length;
    while (option < end && *option != TCP_OPTION_END) {
        if (*option == TCP_OPTION_NOP) {
            option++;
            continue;
        }
        if (option + 2 > end || option[1] < 2 || option + option[1] > end)
            return TCP_PARSE_BAD_OPTION;
        if (option[0] == TCP_OPTION_MSS && option[1] == 4)
            segment->mss = (uint16_t)(option[2] << 8 | option[3]);
        if (option[0] == TCP_OPTION_WINDOW_SCALE && option[1] == 3) /* above 14 counts as 14 (RFC 7323) */
            segment->window_scale = option[2] > TCP_MAX_WINDOW_SCALE ? TCP_MAX_WINDOW_SCALE : option[2];
        option += option[1];
    }
    return TCP_PARSE_OK;
}

int tcp_checksum_ok(const struct ipv4_datagram *datagram)
{
    uint32_t sum = checksum_add_pseudo_header(0, datagram->source, datagram->destination, IPV4_PROTOCOL_TCP,
                                              datagram->length);
    return checksum_finish(checksum_add(sum, datagram->payload, datagram->length)) == 0;
}

/* RFC 6528's shape: a clock (the TSC / 64) plus a hash of the four-tuple with a boot-time secret. */
static uint32_t initial_sequence(uint32_t remote_address, uint16_t remote_port, uint16_t local_port)
{
    static uint64_t secret;
    if (!secret)
        secret = rdtsc() * 0x9E3779B97F4A7C15ull | 1;
    uint64_t hash = (remote_address ^ ((uint64_t)remote_port << 32 | local_port)) * secret;
    return (uint32_t)(rdtsc() >> 6) + (uint32_t)(hash >> 32);
}

/* A segment with no connection: a SYN opens one if a listener has room; anything else is refused. */
static void listen_input(const struct ipv4_datagram *datagram, const struct tcp_segment *segment)
{
    struct tcp_listener *listener = tcp_find_listener(segment->destination_port); /* lock-free */
    if (!listener || (segment->flags & TCP_ACK)) {
        tcp_send_reset_reply(datagram,
                             segment); /* no one listens, or an ACK for a connection we do not have */
        return;
    }
    if (!(segment->flags & TCP_SYN) || (segment->flags & TCP_RST))
        return;
    struct tcp_connection *connection = tcp_create(listener, datagram->source, segment->source_port);
    if (!connection) { /* backlog or table full, or no memory: the peer will retry its SYN */
        NET_COUNT(tcp_connections_dropped);
        return;
    }
    uint32_t iss = initial_sequence(datagram->source, segment->source_port, segment->destination_port);
    connection->initial_send_sequence = iss;
    connection->send_unacknowledged = connection->send_next = connection->send_max = iss;
    connection->receive_next = segment->sequence + 1; /* data on a SYN is not kept: the peer resends it */
    connection->send_window = segment->window;
    connection->window_update_sequence = segment->sequence;
    connection->window_update_acknowledgment = iss;
    if (segment->mss)
        connection->peer_mss = segment->mss < 64 ? 64 : segment->mss;
    if (segment->window_scale >= 0) { /* we answer with a shift of 0: our window fits 16 bits */
        connection->window_scaling = 1;
        connection->send_scale = (uint8_t)segment->window_scale;
    }
    tcp_output(connection); /* SYN-ACK */
}

/* The peer's window in bytes: scaled unless the segment is a SYN (RFC 7323 2.2). */
static uint32_t peer_window(const struct tcp_connection *connection, const struct tcp_segment *segment)
{
    if (!connection->window_scaling || (segment->flags & TCP_SYN))
        return segment->window;
    return (uint32_t)segment->window << connection->send_scale;
}

/* RFC 9293 3.10.7.4, first check: does the segment overlap the receive window? */
static int acceptable(const struct tcp_connection *connection, const struct tcp_segment *segment)
{
    uint32_t window = tcp_receive_window(connection);
    uint32_t next = connection->receive_next;
    if (segment->length == 0)
        return window == 0 ? segment->sequence == next
                           : sequence_in_window(segment->sequence, next, next + window);
    if (window == 0)
        return 0;
    return sequence_in_window(segment->sequence, next, next + window) ||
           sequence_in_window(segment->sequence + segment->length - 1, next, next + window);
}

static int fin_queued(const struct tcp_connection *connection)
{
    return connection->state == TCP_FIN_WAIT_1 || connection->state == TCP_CLOSING ||
           connection->state == TCP_LAST_ACK;
}

/* The ACK of our SYN: the connection is established. 0, or -1 if the ACK is wrong (answered with RST). */
static int complete_handshake(struct tcp_connection *connection, const struct ipv4_datagram *datagram,
                              const struct tcp_segment *segment)
{
    if (segment->acknowledgment != connection->initial_send_sequence + 1) {
        tcp_send_reset_reply(datagram, segment);
        return -1;
    }
    connection->state = TCP_ESTABLISHED;
    connection->send_unacknowledged = segment->acknowledgment;
    connection->send_window = peer_window(connection, segment);
    connection->window_update_sequence = segment->sequence;
    connection->window_update_acknowledgment = segment->acknowledgment;
    tcp_stop_retransmit(connection);
    struct tcp_listener *listener = connection->listener;
    if (listener && listener->defer_accept_ms == 0)
        tcp_make_ready(connection);
    else if (listener)
        tcp_arm_linger(connection, listener->defer_accept_ms); /* ready once data or FIN arrives */
    return 0;
}

/* Acknowledgment of our data and FIN. Returns 1 if the connection closed (it may be freed). */
static int process_acknowledgment(struct tcp_connection *connection, const struct tcp_segment *segment)
{
    uint32_t ack = segment->acknowledgment;
    if (sequence_after(ack, connection->send_max)) { /* acknowledges what we never sent */
        connection->ack_pending = 1;
        return 0;
    }
    if (ack == connection->send_unacknowledged && connection->send_max != ack && segment->data_length == 0 &&
        !(segment->flags & (TCP_SYN | TCP_FIN)) &&
        peer_window(connection, segment) == connection->send_window) {
        /* A duplicate ACK (RFC 5681 2): the peer got a segment beyond a hole. The third in a row
         * retransmits from SND.UNA at once instead of waiting for the timeout. */
        if (++connection->duplicate_acks == TCP_DUPLICATE_ACKS) {
            connection->send_next = ack; /* go back N, as after a timeout */
            connection->timing = 0;      /* Karn */
            NET_COUNT(tcp_retransmissions);
            NET_COUNT(tcp_fast_retransmissions);
            tcp_restart_retransmit(connection);
        }
    }
    if (sequence_after(ack, connection->send_unacknowledged)) {
        connection->duplicate_acks = 0;
        uint32_t acknowledged = ack - connection->send_unacknowledged;
        uint32_t data = acknowledged < byte_ring_count(&connection->send_buffer)
                            ? acknowledged
                            : byte_ring_count(&connection->send_buffer);
        int fin_acknowledged = fin_queued(connection) && acknowledged > data;
        byte_ring_drop(&connection->send_buffer, data);
        connection->send_unacknowledged = ack;
        if (sequence_before(connection->send_next, ack))
            connection->send_next = ack; /* after a go-back, the peer had more than we resent */
        if (connection->timing && sequence_after(ack, connection->timed_sequence)) {
            tcp_rtt_sample(connection, rdtsc() - connection->timed_sent_tsc);
            connection->timing = 0;
        }
        if (connection->send_unacknowledged == connection->send_max)
            tcp_stop_retransmit(connection);
        else {
            connection->retransmissions = 0;
            tcp_restart_retransmit(connection);
        }
        net_wake_all(&connection->writers);
        net_poller_notify_connection(connection);
        if (fin_acknowledged) {
            switch (connection->state) {
            case TCP_FIN_WAIT_1:
                connection->state = TCP_FIN_WAIT_2;
                tcp_arm_linger(connection, net.config.fin_wait_ms);
                break;
            case TCP_CLOSING:
                if (tcp_enter_time_wait(connection))
                    return 1;
                break;
            case TCP_LAST_ACK:
                tcp_set_closed(connection, 0);
                return 1;
            default:
                break;
            }
        }
    }
    /* Window update, only from a segment not older than the last one that updated it (SND.WL1/WL2). */
    if (sequence_before(connection->window_update_sequence, segment->sequence) ||
        (connection->window_update_sequence == segment->sequence &&
         sequence_at_or_before(connection->window_update_acknowledgment, ack))) {
        connection->send_window = peer_window(connection, segment);
        connection->window_update_sequence = segment->sequence;
        connection->window_update_acknowledgment = ack;
    }
    return 0;
}

/* Data beyond RCV.NXT: place it in the receive buffer's free space and remember its range, merged
 * with the ranges it touches. Dropped when it does not fit or would need a fifth separate range. */
static void queue_out_of_order(struct tcp_connection *connection, uint32_t sequence, const uint8_t *data,
                               uint32_t length)
{
    uint32_t offset = sequence - connection->receive_next;
    uint32_t space = byte_ring_space(&connection->receive_buffer);
    if (offset >= space)
        return;
    if (length > space - offset)
        length = space - offset;
    uint32_t start = sequence, end = sequence + length;
    int count = connection->out_of_order_count, index = 0;
    while (index < count && sequence_before(connection->out_of_order[index].end, start))
        index++; /* ranges wholly before this one (not touching) */
    int last = index;
    while (last < count && sequence_at_or_before(connection->out_of_order[last].start, end)) {
        if (sequence_before(connection->out_of_order[last].start, start))
            start = connection->out_of_order[last].start;
        if (sequence_after(connection->out_of_order[last].end, end))
            end = connection->out_of_order[last].end;
        last++; /* ranges it overlaps or touches: merged into [start, end) */
    }
    int merged = last - index;
    if (merged == 0 && count == TCP_OUT_OF_ORDER_RANGES)
        return; /* no room for another run: the peer resends it */
    byte_ring_place(&connection->receive_buffer, offset, data, length);
    if (merged > 0)
        for (int from = last, to = index + 1; from < count; from++, to++)
            connection->out_of_order[to] = connection->out_of_order[from]; /* close the merged ones' gap */
    else
        for (int from = count - 1; from >= index; from--)
            connection->out_of_order[from + 1] = connection->out_of_order[from]; /* make room */
    connection->out_of_order[index].start = start;
    connection->out_of_order[index].end = end;
    connection->out_of_order_count = count - merged + 1;
    NET_COUNT(tcp_out_of_order_queued);
}

/* RCV.NXT moved: the queued ranges it reached become readable. */
static void take_queued(struct tcp_connection *connection)
{
    int taken = 0;
    while (taken < connection->out_of_order_count &&
           sequence_at_or_before(connection->out_of_order[taken].start, connection->receive_next)) {
        uint32_t end = connection->out_of_order[taken].end;
        if (sequence_after(end, connection->receive_next)) {
            byte_ring_commit(&connection->receive_buffer, end - connection->receive_next);
            connection->receive_next = end;
        }
        taken++;
    }
    for (int index = taken; index < connection->out_of_order_count; index++)
        connection->out_of_order[index - taken] = connection->out_of_order[index];
    connection->out_of_order_count -= taken;
}

/* In-order data into the receive buffer (or discarded if no one will read it). 1 if all of it was taken. */
static int receive_data(struct tcp_connection *connection, const struct tcp_segment *segment)
{
    const uint8_t *data = segment->data;
    uint32_t length = segment->data_length;
    uint32_t sequence = segment->sequence; /* no SYN here: segment_arrives answered those */
    /* The listener first: an accept sets application_holds before it clears the listener. */
    int nobody_reads = !__atomic_load_n(&connection->listener, __ATOMIC_ACQUIRE) &&
                       !__atomic_load_n(&connection->application_holds, __ATOMIC_ACQUIRE);
    if (sequence_after(sequence, connection->receive_next)) {
        if (!nobody_reads)
            queue_out_of_order(connection, sequence, data, length);
        connection->ack_pending = 1; /* a duplicate ACK at once says where the hole is (RFC 5681 4.2) */
        return 0;
    }
    uint32_t duplicate = connection->receive_next - sequence; /* already received: trim */
    if (duplicate >= length)
        return 1;
    data += duplicate;
    length -= duplicate;
    uint32_t taken = nobody_reads ? length : byte_ring_write(&connection->receive_buffer, data, length);
    connection->receive_next += taken;
    int filled_gap = 0;
    if (connection->out_of_order_count && !nobody_reads) {
        take_queued(connection);
        filled_gap = 1; /* acknowledge at once what the hole held back (RFC 5681 4.2) */
    }
    if (taken == length && !nobody_reads && !filled_gap)
        tcp_delay_ack(connection); /* the reader's answer will likely carry it */
    else
        connection->ack_pending = 1; /* trimmed by a full buffer, discarded, or a hole filled: say so now */
    if (taken && !nobody_reads) {
        net_wake_all(&connection->readers);
        net_poller_notify_connection(connection);
        tcp_make_ready(connection); /* a deferred connection has its first data */
    }
    return taken == length;
}

/* The peer's FIN, in sequence (everything before it was received). Returns 1 if the connection closed. */
static int receive_fin(struct tcp_connection *connection)
{
    connection->receive_next++;
    connection->fin_received = 1;
    connection->ack_pending = 1;
    net_wake_all(&connection->readers);
    net_poller_notify_connection(connection);
    tcp_make_ready(connection); /* accept, then read 0: the client closed without sending */
    switch (connection->state) {
    case TCP_ESTABLISHED:
        connection->state = TCP_CLOSE_WAIT;
        break;
    case TCP_FIN_WAIT_1: /* our FIN is not acknowledged yet */
        connection->state = TCP_CLOSING;
        break;
    case TCP_FIN_WAIT_2:
        return tcp_enter_time_wait(connection);
    default:
        break;
    }
    return 0;
}

static void segment_arrives(struct tcp_connection *connection, const struct ipv4_datagram *datagram,
                            const struct tcp_segment *segment)
{
    /* A retransmitted SYN while our SYN-ACK is unanswered: send the SYN-ACK again. */
    if (connection->state == TCP_SYN_RECEIVED && (segment->flags & TCP_SYN) && !(segment->flags & TCP_ACK) &&
        segment->sequence + 1 == connection->receive_next) {
        connection->send_next = connection->initial_send_sequence;
        tcp_output(connection);
        return;
    }
    if (!acceptable(connection, segment)) {
        if (segment->flags & TCP_RST)
            return;
        /* An old duplicate may still carry a new acknowledgment: a peer that closed at the same time
         * retransmits its FIN and acknowledges ours only there (BSD processes it too). */
        if ((segment->flags & TCP_ACK) && connection->state != TCP_SYN_RECEIVED &&
            sequence_at_or_before(segment->sequence + segment->length, connection->receive_next) &&
            process_acknowledgment(connection, segment))
            return;
        connection->ack_pending = 1; /* old duplicate or beyond the window: tell the peer where we are */
        tcp_output(connection);
        return;
    }
    if (segment->flags & TCP_RST) {
        NET_COUNT(tcp_resets_received);
        tcp_set_closed(connection, NET_ERROR_RESET);
        return;
    }
    if (segment->flags & TCP_SYN) { /* in window on a synchronized connection: challenge ACK (RFC 5961) */
        connection->ack_pending = 1;
        tcp_output(connection);
        return;
    }
    if (!(segment->flags & TCP_ACK))
        return;
    if (connection->state == TCP_SYN_RECEIVED && complete_handshake(connection, datagram, segment) != 0)
        return;
    if (process_acknowledgment(connection, segment))
        return;
    int in_sequence = 1;
    if (segment->data_length) {
        if (connection->state == TCP_ESTABLISHED || connection->state == TCP_FIN_WAIT_1 ||
            connection->state == TCP_FIN_WAIT_2)
            in_sequence = receive_data(connection, segment);
        else
            in_sequence = 0; /* data after the peer's FIN: ignore it */
    }
    /* A FIN counts once everything before it is in (a retransmitted one failed the window check). */
    if ((segment->flags & TCP_FIN) && in_sequence &&
        segment->sequence + segment->data_length == connection->receive_next && receive_fin(connection))
        return;
    tcp_output(connection);
}

void tcp_input(const struct ipv4_datagram *datagram)
{
    NET_COUNT(tcp_segments_received);
    if (!tcp_checksum_ok(datagram)) {
        NET_COUNT(tcp_checksum_errors);
        return;
    }
    struct tcp_segment segment;
    if (tcp_parse_segment(datagram, &segment) != TCP_PARSE_OK) {
        net_count_drop();
        return;
    }
    int owner =
        net_bucket_owner(tcp_table_bucket(datagram->source, segment.source_port, segment.destination_port));
    tcp_reap_time_wait(owner, rdtsc()); /* an expired TIME_WAIT must not answer for a new incarnation */
    struct tcp_connection *connection =
        tcp_lookup(datagram->source, segment.source_port, segment.destination_port);
    /* A new SYN beyond a TIME_WAIT connection's sequence space starts a new incarnation (RFC 1122 4.2.2.13). */
    if (connection && connection->state == TCP_TIME_WAIT && (segment.flags & TCP_SYN) &&
        !(segment.flags & TCP_ACK) && sequence_after(segment.sequence, connection->receive_next)) {
        tcp_set_closed(connection, 0);
        connection = 0;
    }
    if (connection)
        segment_arrives(connection, datagram, &segment);
    else
        listen_input(datagram, &segment);
}
