/*
 * net_fixture.c - the fake network device of net_fixture.h. Its queues are
 * guarded by its own lock: the stack's senders (any core, holding
 * net.transmit_lock), the network thread's receive and the test all take it.
 * A received frame is copied out before the stack's handler runs, which may
 * send (and so take the lock) itself.
 * The test waits by sleeping 1 ms at a time, so the network thread may share
 * its core.
 */
#include "net_fixture.h"
#include "selftest.h"
#include "string.h"
#include "../net/checksum.h"
#include "../net/ethernet.h"
#include "../net/stack.h"

#define QUEUE_LENGTH 32

const uint8_t fixture_peer_mac[6] = { 0x52, 0x55, 0x0A, 0x00, 0x02, 0x02 };
const uint8_t fixture_local_mac[6] = { 0x52, 0x54, 0x00, 0xAB, 0xCD, 0xEF };

struct queue {
    uint32_t head; /* oldest, free running */
    uint32_t count;
    uint32_t lengths[QUEUE_LENGTH];
    uint8_t frames[QUEUE_LENGTH][FIXTURE_FRAME_MAX];
};

static struct queue received; /* injected, not yet taken by the stack */
static struct queue sent;     /* sent by the stack, not yet collected */
static struct net_interface fake;
static struct spinlock fixture_lock = SPINLOCK_INITIALIZER("net.fixture");
static uint8_t receiving[FIXTURE_FRAME_MAX]; /* the frame being handled (only the network thread) */

static int push(struct queue *queue, const void *frame, uint32_t length)
{
    if (queue->count == QUEUE_LENGTH || length > FIXTURE_FRAME_MAX)
        return -1;
    uint32_t slot = (queue->head + queue->count++) % QUEUE_LENGTH;
    memcpy(queue->frames[slot], frame, length);
    queue->lengths[slot] = length;
    return 0;
}

static int transmit(struct net_interface *interface, const void *frame, uint32_t length)
{
    acquire(&fixture_lock);
    interface->frames_sent++;
    int result = push(&sent, frame, length);
    release(&fixture_lock);
    return result;
}

static int receive(struct net_interface *interface, net_frame_handler handler, int budget)
{
    int frames = 0;
    while (frames < budget) {
        acquire(&fixture_lock);
        uint32_t length = 0;
        if (received.count) {
            uint32_t slot = received.head % QUEUE_LENGTH;
            length = received.lengths[slot];
            memcpy(receiving, received.frames[slot], length);
            received.head++;
            received.count--;
            interface->frames_received++;
        }
        release(&fixture_lock);
        if (!length)
            break;
        handler(interface, receiving, length);
        frames++;
    }
    return frames;
}

static int receive_pending(struct net_interface *interface)
{
    (void)interface;
    return __atomic_load_n(&received.count, __ATOMIC_ACQUIRE) != 0;
}

int fixture_start(int core)
{
    fake.name = "selftest-fake";
    memcpy(fake.mac, fixture_local_mac, 6);
    fake.transmit = transmit;
    fake.receive = receive;
    fake.receive_pending = receive_pending;
    fake.interrupt_core = -1;
    fake.interrupt_vector = -1;
    return net_attach(&fake, core);
}

void fixture_inject(const uint8_t *frame, uint32_t length)
{
    acquire(&fixture_lock);
    push(&received, frame, length);
    release(&fixture_lock);
    net_interface_interrupt(&fake); /* what a device's interrupt handler does */
}

int fixture_next_sent(uint8_t *frame, uint32_t *length, uint64_t timeout_ms)
{
    uint64_t deadline = time_now_us() + timeout_ms * 1000;
    for (;;) {
        acquire(&fixture_lock);
        int found = sent.count != 0;
        if (found) {
            uint32_t slot = sent.head % QUEUE_LENGTH;
            *length = sent.lengths[slot];
            memcpy(frame, sent.frames[slot], *length);
            sent.head++;
            sent.count--;
        }
        release(&fixture_lock);
        if (found)
            return 1;
        if (time_now_us() >= deadline)
            return 0;
        thread_sleep_ms(1);
    }
}

void fixture_discard_sent(void)
{
    acquire(&fixture_lock);
    sent.head += sent.count;
    sent.count = 0;
    release(&fixture_lock);
}

/* ---- building frames ---------------------------------------------------------------- */

static uint8_t *ethernet(uint8_t *frame, const uint8_t *destination, uint16_t type)
{
    memcpy(frame, destination, 6);
    memcpy(frame + 6, fixture_peer_mac, 6);
    frame[12] = (uint8_t)(type >> 8);
    frame[13] = (uint8_t)type;
    return frame + ETHERNET_HEADER_SIZE;
}

/* IPv4 header for `payload_length` bytes from the peer to us; returns where the payload goes. */
static uint8_t *ipv4(uint8_t *at, uint8_t protocol, uint32_t payload_length)
{
    memset(at, 0, IPV4_HEADER_SIZE);
    at[0] = 0x45;
    put_be16(at + 2, (uint16_t)(IPV4_HEADER_SIZE + payload_length));
    at[8] = 64;
    at[9] = protocol;
    put_be32(at + 12, FIXTURE_PEER_ADDRESS);
    put_be32(at + 16, FIXTURE_LOCAL_ADDRESS);
    put_be16(at + 10, checksum_finish(checksum_add(0, at, IPV4_HEADER_SIZE)));
    return at + IPV4_HEADER_SIZE;
}

uint16_t fixture_window = 32768;
int fixture_syn_window_scale = -1;

uint32_t fixture_tcp(uint8_t *frame, uint16_t peer_port, uint16_t local_port, uint32_t sequence,
                     uint32_t acknowledgment, uint8_t flags, const void *data, uint32_t length)
{
    uint32_t options = (flags & TCP_SYN) ? (fixture_syn_window_scale >= 0 ? 8 : 4) : 0;
    uint32_t segment_length = TCP_HEADER_SIZE + options + length;
    uint8_t *tcp =
        ipv4(ethernet(frame, fixture_local_mac, ETHERNET_TYPE_IPV4), IPV4_PROTOCOL_TCP, segment_length);
    memset(tcp, 0, TCP_HEADER_SIZE + options);
    put_be16(tcp, peer_port);
    put_be16(tcp + 2, local_port);
    put_be32(tcp + 4, sequence);
    put_be32(tcp + 8, acknowledgment);
    tcp[12] = (uint8_t)((TCP_HEADER_SIZE + options) / 4 << 4);
    tcp[13] = flags;
    put_be16(tcp + 14, fixture_window);
    if (options) {
        tcp[20] = TCP_OPTION_MSS;
        tcp[21] = 4;
        put_be16(tcp + 22, 1000);
    }
    if (options == 8) {
        tcp[24] = TCP_OPTION_NOP;
        tcp[25] = TCP_OPTION_WINDOW_SCALE;
        tcp[26] = 3;
        tcp[27] = (uint8_t)fixture_syn_window_scale;
    }
    memcpy(tcp + TCP_HEADER_SIZE + options, data, length);
    uint32_t sum = checksum_add_pseudo_header(0, FIXTURE_PEER_ADDRESS, FIXTURE_LOCAL_ADDRESS,
                                              IPV4_PROTOCOL_TCP, segment_length);
    put_be16(tcp + 16, checksum_finish(checksum_add(sum, tcp, segment_length)));
    return ETHERNET_HEADER_SIZE + IPV4_HEADER_SIZE + segment_length;
}

uint32_t fixture_arp(uint8_t *frame, uint16_t operation, uint32_t target_address)
{
    const uint8_t *destination = operation == 1 ? ethernet_broadcast : fixture_local_mac;
    uint8_t *arp = ethernet(frame, destination, ETHERNET_TYPE_ARP);
    put_be16(arp, 1);
    put_be16(arp + 2, ETHERNET_TYPE_IPV4);
    arp[4] = 6;
    arp[5] = 4;
    put_be16(arp + 6, operation);
    memcpy(arp + 8, fixture_peer_mac, 6);
    put_be32(arp + 14, FIXTURE_PEER_ADDRESS);
    memcpy(arp + 18, operation == 1 ? (const uint8_t[6]){ 0 } : fixture_local_mac, 6);
    put_be32(arp + 24, target_address);
    return ETHERNET_HEADER_SIZE + 28;
}

uint32_t fixture_echo_request(uint8_t *frame, uint16_t identifier, uint16_t sequence, const void *data,
                              uint32_t length)
{
    uint8_t *icmp =
        ipv4(ethernet(frame, fixture_local_mac, ETHERNET_TYPE_IPV4), IPV4_PROTOCOL_ICMP, 8 + length);
    icmp[0] = 8;
    icmp[1] = 0;
    put_be16(icmp + 2, 0);
    put_be16(icmp + 4, identifier);
    put_be16(icmp + 6, sequence);
    memcpy(icmp + 8, data, length);
    put_be16(icmp + 2, checksum_finish(checksum_add(0, icmp, 8 + length)));
    return ETHERNET_HEADER_SIZE + IPV4_HEADER_SIZE + 8 + length;
}

/* ---- reading frames --------------------------------------------------------------------- */

void fixture_parse(const uint8_t *frame, uint32_t length, struct fixture_sent *out)
{
    memset(out, 0, sizeof *out);
    if (length < ETHERNET_HEADER_SIZE)
        return;
    memcpy(out->destination_mac, frame, 6);
    uint16_t type = (uint16_t)(frame[12] << 8 | frame[13]);
    const uint8_t *payload = frame + ETHERNET_HEADER_SIZE;
    uint32_t payload_length = length - ETHERNET_HEADER_SIZE;
    if (type == ETHERNET_TYPE_ARP && payload_length >= 28) {
        out->kind = FIXTURE_ARP;
        out->arp_operation = (uint16_t)(payload[6] << 8 | payload[7]);
        out->arp_target = (uint32_t)payload[24] << 24 | (uint32_t)payload[25] << 16 |
                          (uint32_t)payload[26] << 8 | payload[27];
        out->checksums_ok = 1;
        return;
    }
    if (type != ETHERNET_TYPE_IPV4 || ipv4_parse(payload, payload_length, &out->datagram) != IPV4_OK)
        return;
    if (out->datagram.protocol == IPV4_PROTOCOL_ICMP) {
        out->kind = FIXTURE_ICMP;
        out->checksums_ok =
            checksum_finish(checksum_add(0, out->datagram.payload, out->datagram.length)) == 0;
    } else if (out->datagram.protocol == IPV4_PROTOCOL_TCP &&
               tcp_parse_segment(&out->datagram, &out->segment) == TCP_PARSE_OK) {
        out->kind = FIXTURE_TCP;
        out->checksums_ok = tcp_checksum_ok(&out->datagram);
    }
}

int fixture_next_segment(uint8_t *frame, struct fixture_sent *out, uint16_t local_port, uint16_t peer_port,
                         uint64_t timeout_ms)
{
    uint64_t deadline = time_now_us() + timeout_ms * 1000;
    uint32_t length;
    for (;;) {
        uint64_t now = time_now_us();
        if (now >= deadline || !fixture_next_sent(frame, &length, (deadline - now + 999) / 1000))
            return 0;
        fixture_parse(frame, length, out);
        if (out->kind == FIXTURE_TCP && out->segment.source_port == local_port &&
            out->segment.destination_port == peer_port)
            return 1;
    }
}
