/*
 * packet.h - byte order helpers and the outgoing packet buffer. A packet is
 * built back to front: the payload first, then each layer pushes its header
 * in front (TCP, then IPv4, then Ethernet), like BSD mbufs or Linux skbs but
 * in one fixed buffer. Received frames are not copied into packets: each layer
 * reads the driver's buffer in place. Header-only (static inline).
 */
#ifndef TORO_NET_PACKET_H
#define TORO_NET_PACKET_H

#include <stdint.h>
#include "net_interface.h"

/* Network byte order is big-endian; the CPU is little-endian. */
static inline uint16_t htons(uint16_t value) { return __builtin_bswap16(value); }
static inline uint16_t ntohs(uint16_t value) { return __builtin_bswap16(value); }
static inline uint32_t htonl(uint32_t value) { return __builtin_bswap32(value); }
static inline uint32_t ntohl(uint32_t value) { return __builtin_bswap32(value); }

/* Big-endian fields at any (unaligned) address: frames built or checked by the self-tests and the fuzzer,
 * and the network thread's look at a frame's addresses and ports (owner.c). */
static inline uint16_t get_be16(const uint8_t *at) { return (uint16_t)(at[0] << 8 | at[1]); }
static inline uint32_t get_be32(const uint8_t *at) { return (uint32_t)get_be16(at) << 16 | get_be16(at + 2); }
static inline void put_be16(uint8_t *at, uint16_t value)
{
    at[0] = (uint8_t)(value >> 8);
    at[1] = (uint8_t)value;
}
static inline void put_be32(uint8_t *at, uint32_t value)
{
    put_be16(at, (uint16_t)(value >> 16));
    put_be16(at + 2, (uint16_t)value);
}

#define PACKET_HEADROOM    128 /* Ethernet 14 + IPv4 20 + TCP 20 with options: room to spare */
#define PACKET_PAYLOAD_MAX 1500

struct packet {
    uint8_t *data;   /* the first byte of the outermost header pushed so far */
    uint32_t length; /* bytes from `data` on */
    uint8_t buffer[PACKET_HEADROOM + PACKET_PAYLOAD_MAX];
};

/* An empty packet whose payload will start after the headroom. */
static inline void packet_init(struct packet *packet)
{
    packet->data = packet->buffer + PACKET_HEADROOM;
    packet->length = 0;
}

/* Room for `bytes` more at the end (the payload); returns where to write them. */
static inline uint8_t *packet_append(struct packet *packet, uint32_t bytes)
{
    uint8_t *end = packet->data + packet->length;
    packet->length += bytes;
    return end;
}

/* Room for a `bytes` header in front; returns where it starts. The headroom is never exhausted
 * by the stack's own headers (PACKET_HEADROOM covers Ethernet + IPv4 + TCP with options). */
static inline uint8_t *packet_push(struct packet *packet, uint32_t bytes)
{
    packet->data -= bytes;
    packet->length += bytes;
    return packet->data;
}

#endif
