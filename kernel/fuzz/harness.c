/*
 * harness.c - the fake device and the shared steps of the fuzz targets (see
 * harness.h). The device keeps no queue: received frames go straight to the
 * stack's receive handler (net_dispatch_frame, the net_frame_handler that the
 * network thread passes to a driver's `receive`), and sent frames are parsed
 * with the stack's own parsers to learn its sequence numbers, then dropped.
 */
#include "harness.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arch.h"
#include "net.h"
#include "net_interface.h"
#include "../net/checksum.h"
#include "../net/ethernet.h"
#include "../net/ipv4.h"
#include "../net/stack.h"
#include "../net/tcp.h"

#define TRACKED_PORTS 8 /* peer ports whose last segment from the stack is remembered */

const uint8_t fuzz_peer_mac[6] = { 0x52, 0x55, 0x0A, 0x00, 0x02, 0x02 };
const uint8_t fuzz_local_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
struct net_poller *fuzz_poller;

static struct net_interface fake;
static struct tcp_listener *listeners[2];
static int arp_request_seen; /* the stack asked who has the peer's address */

static struct {
    uint16_t peer_port;
    uint32_t next_sequence;
} sent_segments[TRACKED_PORTS];
static int sent_count;

static void remember_segment(const uint8_t *frame, uint32_t length)
{
    struct ipv4_datagram datagram;
    struct tcp_segment segment;
    if (length < ETHERNET_HEADER_SIZE || get_be16(frame + 12) != ETHERNET_TYPE_IPV4)
        return;
    if (ipv4_parse(frame + ETHERNET_HEADER_SIZE, length - ETHERNET_HEADER_SIZE, &datagram) != IPV4_OK ||
        datagram.protocol != IPV4_PROTOCOL_TCP || tcp_parse_segment(&datagram, &segment) != TCP_PARSE_OK)
        return;
    int slot = 0;
    while (slot < sent_count && sent_segments[slot].peer_port != segment.destination_port)
        slot++;
    if (slot == TRACKED_PORTS)
        return;
    if (slot == sent_count)
        sent_count++;
    if (getenv("FUZZ_VERBOSE"))
        fprintf(stderr, "fuzz: stack sent to port %u: seq %u ack %u flags 0x%02x data %u\n",
                segment.destination_port, segment.sequence, segment.acknowledgment, segment.flags,
                segment.data_length);
    sent_segments[slot].peer_port = segment.destination_port;
    sent_segments[slot].next_sequence = segment.sequence + segment.length;
}

static int transmit(struct net_interface *interface, const void *frame, uint32_t length)
{
    const uint8_t *bytes = frame;
    if (length < ETHERNET_HEADER_SIZE || length > ETHERNET_MAX_FRAME)
        panic("fake device: the stack sent a frame of %u bytes", length);
    interface->frames_sent++;
    if (get_be16(bytes + 12) == ETHERNET_TYPE_ARP)
        arp_request_seen = 1;
    else
        remember_segment(bytes, length);
    return 0;
}

static int receive(struct net_interface *interface, net_frame_handler handler, int budget)
{
    (void)interface, (void)handler, (void)budget;
    return 0; /* frames are handed over by fuzz_inject */
}

static int receive_pending(struct net_interface *interface)
{
    (void)interface;
    return 0;
}

int fuzz_stack_next_sequence(uint16_t peer_port, uint32_t *next_sequence)
{
    for (int slot = 0; slot < sent_count; slot++) {
        if (sent_segments[slot].peer_port == peer_port) {
            *next_sequence = sent_segments[slot].next_sequence;
            return 1;
        }
    }
    return 0;
}

void fuzz_forget_sent(void) { sent_count = 0; }

struct tcp_listener *fuzz_listener(int which) { return listeners[which ? 1 : 0]; }

/* What the other owner threads do: drain each core's inbox and output requests (and run its due
 * timers). The harness runs on core 0, the network core; the frames of the buckets steered to core 1
 * wait on core 1's inbox until this pass, as they would until its owner thread is scheduled. */
static void run_owner_passes(void)
{
    for (int core = 0; core < net.cores; core++) {
        acquire(&net_cores[core].lock);
        net_core_pass(core);
        release(&net_cores[core].lock);
    }
}

void fuzz_inject(const uint8_t *frame, uint32_t length)
{
    fake.frames_received++;
    net_dispatch_frame(&fake, frame, length); /* the owner's lock (core 0), core 1's inbox, or net.lock */
    run_owner_passes();
}

static void answer_arp(void)
{
    uint8_t frame[ETHERNET_HEADER_SIZE + 28] = { 0 };
    memcpy(frame, fuzz_local_mac, 6);
    memcpy(frame + 6, fuzz_peer_mac, 6);
    put_be16(frame + 12, ETHERNET_TYPE_ARP);
    uint8_t *arp = frame + ETHERNET_HEADER_SIZE;
    put_be16(arp, 1);
    put_be16(arp + 2, ETHERNET_TYPE_IPV4);
    arp[4] = 6;
    arp[5] = 4;
    put_be16(arp + 6, 2); /* reply */
    memcpy(arp + 8, fuzz_peer_mac, 6);
    put_be32(arp + 14, FUZZ_PEER_ADDRESS);
    memcpy(arp + 18, fuzz_local_mac, 6);
    put_be32(arp + 24, FUZZ_LOCAL_ADDRESS);
    fuzz_inject(frame, sizeof frame);
}

struct deadline_count {
    uint32_t deadlines;   /* nonzero deadline fields */
    uint32_t connections; /* connections with at least one */
};

static void count_deadlines(struct tcp_connection *connection, void *context)
{
    struct deadline_count *count = context;
    uint32_t armed = (connection->ack_deadline != 0) + (connection->retransmit_deadline != 0) +
                     (connection->linger_deadline != 0);
    count->deadlines += armed;
    count->connections += armed != 0;
}

static void check_owner(struct tcp_connection *connection, void *context)
{
    int core = *(int *)context;
    if (connection->owner != core)
        panic("fuzz: a connection in core %d's buckets says its owner is %d", core, connection->owner);
}

/* Per owner core: tcp_set_deadline's invariants - its timers_armed counts the armed deadlines of
 * its connections exactly (a closed connection holds none), every one of them with a deadline is on
 * its armed list (which the core's timer pass walks) and nothing else is, and with none armed nothing
 * is left to wake its owner thread - and ownership's: every connection in the core's buckets, on its
 * armed list and on its TIME_WAIT FIFO is owned by that core. Returns the core's armed connections. */
static uint32_t check_core_invariants(int core)
{
    struct net_core *state = &net_cores[core];
    struct deadline_count counted = { 0, 0 };
    tcp_for_each(core, count_deadlines, &counted);
    tcp_for_each(core, check_owner, &core);
    for (struct tcp_connection *connection = state->armed_first; connection;
         connection = connection->armed_next)
        check_owner(connection, &core);
    for (struct tcp_connection *connection = state->time_wait_first; connection;
         connection = connection->time_wait_next)
        check_owner(connection, &core);
    if (counted.deadlines != state->timers_armed)
        panic("fuzz: %u deadlines armed, core %d's timers_armed says %u", counted.deadlines, core,
              state->timers_armed);
    if (counted.connections != tcp_armed_connections(core))
        panic("fuzz: core %d: %u connections have a deadline, %u on the armed list", core,
              counted.connections, tcp_armed_connections(core));
    if (state->timers_armed == 0 && state->timer_deadline != 0)
        panic("fuzz: no deadline armed, yet core %d's owner thread would wake", core);
    return counted.connections;
}

void fuzz_network_pass(void)
{
    run_owner_passes(); /* the due timers of every core (and anything handed over) */
    uint32_t armed = 0;
    for (int core = 0; core < net.cores; core++) {
        acquire(&net_cores[core].lock);
        armed += check_core_invariants(core);
        release(&net_cores[core].lock);
    }
    if (armed != net.statistics.tcp_timers_armed)
        panic("fuzz: %u connections have a deadline, the statistic says %u", armed,
              net.statistics.tcp_timers_armed);
    if (arp_request_seen) {
        arp_request_seen = 0;
        answer_arp();
    }
}

void fuzz_stack_init(void)
{
    if (net.interface)
        return;
    fake.name = "fuzz-fake";
    memcpy(fake.mac, fuzz_local_mac, 6);
    fake.transmit = transmit;
    fake.receive = receive;
    fake.receive_pending = receive_pending;
    fake.interrupt_core = -1;
    fake.interrupt_vector = -1;
    if (net_attach(&fake, 0) != 0)
        panic("fuzz: net_attach failed");
    int error;
    listeners[0] = tcp_listen(FUZZ_PORT_PLAIN, 4, 0, &error);
    listeners[1] = tcp_listen(FUZZ_PORT_DEFERRED, 4, 1000, &error);
    fuzz_poller = net_poller_create();
    if (!listeners[0] || !listeners[1] || !fuzz_poller ||
        net_poller_watch_listener(fuzz_poller, listeners[0], listeners[0]) != 0)
        panic("fuzz: cannot listen");
    answer_arp(); /* the peer's MAC is known before the first input, as after a real boot */
}

static void close_unheld(struct tcp_connection *connection, void *context)
{
    (void)context;
    if (!connection->application_holds)
        tcp_set_closed(connection, NET_ERROR_RESET); /* frees it */
}

void fuzz_teardown(struct tcp_connection **held, int count)
{
    for (int index = 0; index < count; index++)
        if (held[index])
            tcp_abort(held[index]);
    for (int core = 0; core < net.cores; core++) {
        acquire(&net_cores[core].lock);
        tcp_for_each(core, close_unheld, 0);
        release(&net_cores[core].lock);
    }
    acquire(&net.lock);
    struct net_statistics statistics = net.statistics;
    int pending = listeners[0]->pending + listeners[1]->pending;
    release(&net.lock);
    if (statistics.tcp_connections_open != 0 || statistics.tcp_connections_time_wait != 0 || pending != 0) {
        fprintf(stderr, "fuzz: left after teardown: %u connections, %u in TIME_WAIT, %d pending accepts\n",
                statistics.tcp_connections_open, statistics.tcp_connections_time_wait, pending);
        abort();
    }
    fuzz_clock_advance_to(rdtsc() + net_ms_to_tsc(60000)); /* every old deadline passes */
    fuzz_network_pass();
    fuzz_forget_sent();
}

void fuzz_fix_checksums(uint8_t *frame, uint32_t length)
{
    if (length < ETHERNET_HEADER_SIZE + IPV4_HEADER_SIZE || get_be16(frame + 12) != ETHERNET_TYPE_IPV4)
        return;
    uint8_t *ip = frame + ETHERNET_HEADER_SIZE;
    uint32_t available = length - ETHERNET_HEADER_SIZE;
    uint32_t header_length = (ip[0] & 0x0F) * 4u, total_length = get_be16(ip + 2);
    if (header_length < IPV4_HEADER_SIZE || header_length > available)
        return;
    put_be16(ip + 10, 0);
    put_be16(ip + 10, checksum_finish(checksum_add(0, ip, header_length)));
    if (total_length < header_length || total_length > available)
        return;
    uint8_t *payload = ip + header_length;
    uint32_t payload_length = total_length - header_length;
    uint32_t source = (uint32_t)get_be16(ip + 12) << 16 | get_be16(ip + 14);
    uint32_t destination = (uint32_t)get_be16(ip + 16) << 16 | get_be16(ip + 18);
    if (ip[9] == IPV4_PROTOCOL_TCP && payload_length >= TCP_HEADER_SIZE) {
        put_be16(payload + 16, 0);
        uint32_t sum = checksum_add_pseudo_header(0, source, destination, IPV4_PROTOCOL_TCP, payload_length);
        put_be16(payload + 16, checksum_finish(checksum_add(sum, payload, payload_length)));
    } else if (ip[9] == IPV4_PROTOCOL_ICMP && payload_length >= 4) {
        put_be16(payload + 2, 0);
        put_be16(payload + 2, checksum_finish(checksum_add(0, payload, payload_length)));
    }
}

uint32_t fuzz_build_tcp(uint8_t *frame, uint16_t peer_port, uint16_t local_port, uint32_t sequence,
                        uint32_t acknowledgment, uint8_t flags, uint16_t window, const uint8_t *options,
                        uint32_t options_length, const uint8_t *data, uint32_t data_length)
{
    uint32_t room = FUZZ_FRAME_MAX - ETHERNET_HEADER_SIZE - IPV4_HEADER_SIZE - TCP_HEADER_SIZE;
    options_length &= ~3u;
    if (options_length > 40)
        options_length = 40;
    if (data_length > room - options_length)
        data_length = room - options_length;
    uint32_t segment_length = TCP_HEADER_SIZE + options_length + data_length;
    memcpy(frame, fuzz_local_mac, 6);
    memcpy(frame + 6, fuzz_peer_mac, 6);
    put_be16(frame + 12, ETHERNET_TYPE_IPV4);
    uint8_t *ip = frame + ETHERNET_HEADER_SIZE;
    memset(ip, 0, IPV4_HEADER_SIZE);
    ip[0] = 0x45;
    put_be16(ip + 2, (uint16_t)(IPV4_HEADER_SIZE + segment_length));
    ip[8] = 64;
    ip[9] = IPV4_PROTOCOL_TCP;
    put_be32(ip + 12, FUZZ_PEER_ADDRESS);
    put_be32(ip + 16, FUZZ_LOCAL_ADDRESS);
    uint8_t *tcp = ip + IPV4_HEADER_SIZE;
    memset(tcp, 0, TCP_HEADER_SIZE);
    put_be16(tcp, peer_port);
    put_be16(tcp + 2, local_port);
    put_be32(tcp + 4, sequence);
    put_be32(tcp + 8, acknowledgment);
    tcp[12] = (uint8_t)((TCP_HEADER_SIZE + options_length) / 4 << 4);
    tcp[13] = flags;
    put_be16(tcp + 14, window);
    if (options_length)
        memcpy(tcp + TCP_HEADER_SIZE, options, options_length);
    if (data_length)
        memcpy(tcp + TCP_HEADER_SIZE + options_length, data, data_length);
    uint32_t length = ETHERNET_HEADER_SIZE + IPV4_HEADER_SIZE + segment_length;
    fuzz_fix_checksums(frame, length);
    return length;
}
