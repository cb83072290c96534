/*
 * icmp.c - ICMP echo (RFC 792): answer echo requests addressed to us, and
 * net_ping, which sends one echo request and waits for its reply (QEMU's
 * user network answers pings to its gateway 10.0.2.2 itself). Other ICMP
 * messages are counted as dropped. Pairs with ipv4.h (input) and net.h (ping).
 */
#include "ipv4.h"
#include "arch.h"
#include "checksum.h"
#include "stack.h"
#include "string.h"
#include "wait.h"
#include "x86.h"

#define ICMP_ECHO_REPLY   0
#define ICMP_ECHO_REQUEST 8
#define ICMP_HEADER_SIZE  8
#define PING_IDENTIFIER   0x7070 /* "pp"; one ping at a time, told apart by sequence */
#define PING_PAYLOAD      "toro ping"

struct icmp_echo {
    uint8_t type;
    uint8_t code;
    uint16_t checksum;
    uint16_t identifier;
    uint16_t sequence;
} __attribute__((packed));

/* The ping in flight. held: net.lock */
static struct {
    int active;
    uint32_t address;
    uint16_t sequence;
    uint64_t sent_tsc;
    uint64_t reply_tsc; /* 0 until the reply came */
    struct net_wait_queue waiters;
} ping;

static uint16_t ping_sequence;

static void send_echo(uint8_t type, uint32_t destination, uint16_t identifier, uint16_t sequence,
                      const uint8_t *data, uint32_t length)
{
    struct packet packet;
    packet_init(&packet);
    if (length > PACKET_PAYLOAD_MAX - IPV4_HEADER_SIZE - ICMP_HEADER_SIZE)
        return;
    memcpy(packet_append(&packet, length), data, length);
    struct icmp_echo *echo = (struct icmp_echo *)packet_push(&packet, ICMP_HEADER_SIZE);
    echo->type = type;
    echo->code = 0;
    echo->checksum = 0;
    echo->identifier = htons(identifier);
    echo->sequence = htons(sequence);
    echo->checksum = htons(checksum_finish(checksum_add(0, packet.data, packet.length)));
    ipv4_send(&packet, destination, IPV4_PROTOCOL_ICMP);
}

void icmp_input(const struct ipv4_datagram *datagram)
{
    if (datagram->length < ICMP_HEADER_SIZE ||
        checksum_finish(checksum_add(0, datagram->payload, datagram->length))) {
        net_count_drop();
        return;
    }
    const struct icmp_echo *echo = (const struct icmp_echo *)datagram->payload;
    if (echo->type == ICMP_ECHO_REQUEST && echo->code == 0) {
        send_echo(ICMP_ECHO_REPLY, datagram->source, ntohs(echo->identifier), ntohs(echo->sequence),
                  datagram->payload + ICMP_HEADER_SIZE, datagram->length - ICMP_HEADER_SIZE);
        NET_COUNT(icmp_echo_replies_sent);
        return;
    }
    if (echo->type == ICMP_ECHO_REPLY && ping.active && datagram->source == ping.address &&
        ntohs(echo->identifier) == PING_IDENTIFIER && ntohs(echo->sequence) == ping.sequence &&
        !ping.reply_tsc) {
        ping.reply_tsc = rdtsc();
        net_wake_all(&ping.waiters);
        return;
    }
    net_count_drop();
}

int64_t net_ping(uint32_t address, uint64_t timeout_ms)
{
    if (!net.interface)
        return NET_ERROR_NO_DEVICE;
    uint64_t deadline = net_deadline_after_ms(timeout_ms);
    acquire(&net.lock);
    while (ping.active) { /* one at a time */
        if (net_deadline_passed(deadline)) {
            release(&net.lock);
            return NET_ERROR_TIMEOUT;
        }
        net_wait(&ping.waiters, &net.lock, deadline);
    }
    ping.active = 1;
    ping.address = address;
    ping.sequence = ++ping_sequence;
    ping.reply_tsc = 0;
    ping.sent_tsc = rdtsc();
    send_echo(ICMP_ECHO_REQUEST, address, PING_IDENTIFIER, ping.sequence, (const uint8_t *)PING_PAYLOAD,
              sizeof PING_PAYLOAD - 1);
    while (!ping.reply_tsc && !net_deadline_passed(deadline))
        net_wait(&ping.waiters, &net.lock, deadline);
    int64_t result =
        ping.reply_tsc ? (int64_t)(tsc_to_ns(ping.reply_tsc - ping.sent_tsc) / 1000) : NET_ERROR_TIMEOUT;
    ping.active = 0;
    net_wake_all(&ping.waiters); /* a ping waiting for its turn */
    release(&net.lock);
    return result;
}
