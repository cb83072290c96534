/*
 * tcp_output.c - everything TCP sends: SYN-ACKs, data within the peer's
 * window and our MSS, FINs after the last queued byte, bare ACKs, resets.
 * Segments are built in a struct packet (payload first, then the header) and
 * handed to ipv4_send. Retransmission is go-back-N: tcp_timer.c moves
 * SND.NXT back to SND.UNA and calls tcp_output again. Pairs with tcp.h.
 * Runs with the connection's owner lock held, on whatever core called it; the
 * frame itself goes out under net.transmit_lock (ethernet.c).
 */
#include "tcp.h"
#include "checksum.h"
#include "stack.h"
#include "x86.h"

#define MSS_OPTION_SIZE          4
#define WINDOW_SCALE_OPTION_SIZE 4 /* NOP, kind, length, shift */

uint32_t tcp_receive_window(const struct tcp_connection *connection)
{
    uint32_t space = byte_ring_space(&connection->receive_buffer);
    return space > 0xFFFF ? 0xFFFF : space;
}

/* One segment, `length` payload bytes taken from `payload` (may be 0). */
static void send_raw(uint32_t remote_address, uint16_t remote_port, uint16_t local_port, uint32_t sequence,
                     uint32_t acknowledgment, uint8_t flags, uint16_t window, const struct byte_ring *payload,
                     uint32_t payload_offset, uint32_t length, int window_scale_option)
{
    struct packet packet;
    packet_init(&packet);
    if (length)
        byte_ring_peek(payload, payload_offset, packet_append(&packet, length), length);
    uint32_t options = (flags & TCP_SYN) ? MSS_OPTION_SIZE : 0;
    if ((flags & TCP_SYN) && window_scale_option)
        options += WINDOW_SCALE_OPTION_SIZE;
    struct tcp_header *header = (struct tcp_header *)packet_push(&packet, TCP_HEADER_SIZE + options);
    header->source_port = htons(local_port);
    header->destination_port = htons(remote_port);
    header->sequence = htonl(sequence);
    header->acknowledgment = htonl(acknowledgment);
    header->data_offset = (uint8_t)((TCP_HEADER_SIZE + options) / 4 << 4);
    header->flags = flags;
    header->window = htons(window);
    header->checksum = 0;
    header->urgent_pointer = 0;
    if (options) {
        uint8_t *option = (uint8_t *)(header + 1);
        option[0] = TCP_OPTION_MSS;
        option[1] = MSS_OPTION_SIZE;
        option[2] = TCP_MSS >> 8;
        option[3] = TCP_MSS & 0xFF;
        if (options > MSS_OPTION_SIZE) { /* our shift is 0: we accept the peer's scaling, need none */
            option[4] = TCP_OPTION_NOP;
            option[5] = TCP_OPTION_WINDOW_SCALE;
            option[6] = 3;
            option[7] = 0;
        }
    }
    uint32_t sum =
        checksum_add_pseudo_header(0, net.config.address, remote_address, IPV4_PROTOCOL_TCP, packet.length);
    header->checksum = htons(checksum_finish(checksum_add(sum, packet.data, packet.length)));
    NET_COUNT(tcp_segments_sent);
    if (flags & TCP_RST)
        NET_COUNT(tcp_resets_sent);
    ipv4_send(&packet, remote_address, IPV4_PROTOCOL_TCP);
}

/* A segment of `connection` at `sequence`; every one of them acknowledges RCV.NXT. */
static void send_segment(struct tcp_connection *connection, uint32_t sequence, uint8_t flags, uint32_t offset,
                         uint32_t length)
{
    uint32_t window = tcp_receive_window(connection);
    connection->advertised_window = window;
    connection->ack_pending = 0;
    tcp_set_deadline(connection, &connection->ack_deadline, 0); /* this segment carries the ACK */
    send_raw(connection->remote_address, connection->remote_port, connection->local_port, sequence,
             connection->receive_next, flags | TCP_ACK, (uint16_t)window, &connection->send_buffer, offset,
             length, connection->window_scaling);
}

static int fin_queued(const struct tcp_connection *connection)
{
    return connection->state == TCP_FIN_WAIT_1 || connection->state == TCP_CLOSING ||
           connection->state == TCP_LAST_ACK;
}

static int may_send_data(const struct tcp_connection *connection)
{
    return connection->state == TCP_ESTABLISHED || connection->state == TCP_CLOSE_WAIT ||
           fin_queued(connection);
}

/* Data and FIN, as far as the buffer and the peer's window allow. */
static void send_data(struct tcp_connection *connection)
{
    uint32_t mss = connection->peer_mss < TCP_MSS ? connection->peer_mss : TCP_MSS;
    for (;;) {
        uint32_t offset = connection->send_next - connection->send_unacknowledged;
        uint32_t buffered = byte_ring_count(&connection->send_buffer);
        if (offset > buffered)
            return; /* the FIN is out already */
        uint32_t unsent = buffered - offset;
        uint32_t window = connection->send_window > offset ? connection->send_window - offset : 0;
        if (window == 0 && unsent && connection->window_probe)
            window = 1; /* zero-window probe (RFC 9293 3.8.6.1) */
        uint32_t length = unsent < window ? unsent : window;
        if (length > mss)
            length = mss;
        int fin = fin_queued(connection) && offset + length == buffered;
        if (length == 0 && !fin) {
            if (unsent && connection->send_next == connection->send_unacknowledged)
                tcp_arm_retransmit(connection); /* zero window, nothing in flight: the persist timer */
            return;
        }
        if (length && !connection->timing && connection->send_next == connection->send_max) {
            connection->timing = 1; /* Karn: time only new data */
            connection->timed_sequence = connection->send_next;
            connection->timed_sent_tsc = rdtsc();
        }
        send_segment(connection, connection->send_next,
                     (uint8_t)((length ? TCP_PSH : 0) | (fin ? TCP_FIN : 0)), offset, length);
        connection->send_next += length + (fin ? 1 : 0);
        if (sequence_after(connection->send_next, connection->send_max))
            connection->send_max = connection->send_next;
        connection->window_probe = 0;
        tcp_arm_retransmit(connection);
        if (fin)
            return;
    }
}

void tcp_output(struct tcp_connection *connection)
{
    if (connection->state == TCP_SYN_RECEIVED) {
        if (connection->send_next ==
            connection->initial_send_sequence) { /* first SYN-ACK, or a retransmission */
            send_segment(connection, connection->initial_send_sequence, TCP_SYN, 0, 0);
            connection->send_next = connection->initial_send_sequence + 1;
            connection->send_max = connection->send_next;
            tcp_arm_retransmit(connection);
        }
    } else if (may_send_data(connection)) {
        send_data(connection);
    }
    if (connection->ack_pending && connection->state != TCP_CLOSED)
        send_segment(connection, connection->send_next, 0, 0, 0);
}

void tcp_send_reset(struct tcp_connection *connection)
{
    send_raw(connection->remote_address, connection->remote_port, connection->local_port,
             connection->send_next, connection->receive_next, TCP_RST | TCP_ACK, 0, 0, 0, 0, 0);
}

void tcp_send_reset_reply(const struct ipv4_datagram *datagram, const struct tcp_segment *segment)
{
    if (segment->flags & TCP_RST)
        return; /* never answer a reset */
    if (segment->flags & TCP_ACK)
        send_raw(datagram->source, segment->source_port, segment->destination_port, segment->acknowledgment,
                 0, TCP_RST, 0, 0, 0, 0, 0);
    else
        send_raw(datagram->source, segment->source_port, segment->destination_port, 0,
                 segment->sequence + segment->length, TCP_RST | TCP_ACK, 0, 0, 0, 0, 0);
}
