/*
 * ipv4.h - IPv4 (ipv4.c) and ICMP (icmp.c). Incoming datagrams are checked
 * (version, header length, total length, checksum, destination) and
 * fragments are dropped: the stack never reassembles, and never fragments
 * either (TCP keeps segments within the MTU). Input runs under the lock the
 * dispatch took (a TCP connection owner's, or net.lock: stack.h); ipv4_send
 * from any of them; ipv4_parse is pure.
 */
#ifndef TORO_NET_IPV4_H
#define TORO_NET_IPV4_H

#include <stdint.h>
#include "packet.h"

#define IPV4_HEADER_SIZE   20 /* without options; we never send any */
#define IPV4_PROTOCOL_ICMP 1
#define IPV4_PROTOCOL_TCP  6
#define IPV4_DEFAULT_TTL   64

struct ipv4_header {
    uint8_t version_and_length; /* version 4 << 4 | header length in 32-bit words */
    uint8_t type_of_service;
    uint16_t total_length;
    uint16_t identification;
    uint16_t fragment; /* flags (reserved, don't fragment, more fragments) | offset */
    uint8_t time_to_live;
    uint8_t protocol;
    uint16_t checksum;
    uint32_t source;
    uint32_t destination;
} __attribute__((packed));

#define IPV4_MORE_FRAGMENTS  0x2000
#define IPV4_DONT_FRAGMENT   0x4000
#define IPV4_FRAGMENT_OFFSET 0x1FFF

/* A received datagram, once checked. Addresses in host order. */
struct ipv4_datagram {
    uint32_t source;
    uint32_t destination;
    uint8_t protocol;
    const uint8_t *payload;
    uint32_t length; /* of the payload (padding after total_length excluded) */
};

/* Why ipv4_parse refused a datagram. */
enum ipv4_parse_result {
    IPV4_OK = 0,
    IPV4_TRUNCATED = -1, /* shorter than its headers say */
    IPV4_BAD_VERSION = -2,
    IPV4_BAD_HEADER_LENGTH = -3,
    IPV4_BAD_CHECKSUM = -4,
    IPV4_FRAGMENT = -5, /* a fragment: not reassembled */
};

/* Check a received datagram and describe it in `out` (pure: no state, no lock). */
int ipv4_parse(const uint8_t *data, uint32_t length, struct ipv4_datagram *out);

/* A received datagram (after the Ethernet header): check it and hand it to ICMP or TCP. */
void ipv4_input(const uint8_t *data, uint32_t length);

/* Push an IPv4 header onto `packet` (whose data is the payload) and send it towards `destination`. */
int ipv4_send(struct packet *packet, uint32_t destination, uint8_t protocol);

/* ---- ICMP (icmp.c) ---------------------------------------------------------- */

void icmp_input(const struct ipv4_datagram *datagram);

#endif
