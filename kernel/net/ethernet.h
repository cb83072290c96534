/*
 * ethernet.h - Ethernet II framing (ethernet.c) and ARP for IPv4 (arp.c):
 * the bottom of the stack, just above the driver. Input under the lock the
 * dispatch took (stack.h); sending under net.transmit_lock (taken by
 * ethernet_send_ipv4 and arp_input; ethernet_send requires it held).
 */
#ifndef TORO_NET_ETHERNET_H
#define TORO_NET_ETHERNET_H

#include <stdint.h>
#include "net_interface.h"
#include "packet.h"

#define ETHERNET_TYPE_IPV4   0x0800
#define ETHERNET_TYPE_ARP    0x0806
#define ETHERNET_HEADER_SIZE 14

struct ethernet_header {
    uint8_t destination[ETHERNET_ADDRESS_LENGTH];
    uint8_t source[ETHERNET_ADDRESS_LENGTH];
    uint16_t type; /* network order */
} __attribute__((packed));

extern const uint8_t ethernet_broadcast[ETHERNET_ADDRESS_LENGTH];

/* A received frame (the stack's net_frame_handler): dispatch by type. */
void ethernet_input(struct net_interface *interface, const uint8_t *frame, uint32_t length);

/* Push the Ethernet header onto `packet` and transmit it. 0, or -1 if the device dropped it. */
int ethernet_send(struct packet *packet, const uint8_t destination[ETHERNET_ADDRESS_LENGTH], uint16_t type);

/*
 * Send an IPv4 packet (`packet` starts at its IPv4 header) to `next_hop`,
 * resolving its MAC address through ARP. While unresolved the packet waits
 * (one per neighbour, the newest wins) and goes out with the ARP reply.
 */
int ethernet_send_ipv4(struct packet *packet, uint32_t next_hop);

/* After releasing net.transmit_lock: notify the device of what was queued under it (the driver's
 * transmit_kick; its MMIO write stays out of the lock). */
void ethernet_kick(void);

/* ---- ARP (arp.c) ---------------------------------------------------------- */

/* A received ARP packet (after the Ethernet header). */
void arp_input(const uint8_t *data, uint32_t length);

/*
 * The MAC address of `address`: 1 with `mac` filled if known. If not, keep a
 * copy of `waiting` (may be 0) to send once the reply comes, send a request
 * (at most one per ARP_RETRY_MS per neighbour) and return 0.
 */
int arp_resolve(uint32_t address, uint8_t mac[ETHERNET_ADDRESS_LENGTH], const struct packet *waiting);

#endif
