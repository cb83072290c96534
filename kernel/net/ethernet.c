/*
 * ethernet.c - Ethernet II: check that a received frame is for us (our MAC
 * or broadcast), dispatch it to ARP or IPv4, and put the header in front of
 * outgoing packets. Pairs with ethernet.h; arp.c resolves next hops.
 * Input runs under the lock owner.c's dispatch took (a connection owner's for
 * TCP, net.lock for the rest); output takes net.transmit_lock around the
 * neighbour lookup and the driver's transmit.
 */
#include "ethernet.h"
#include "ipv4.h"
#include "stack.h"
#include "string.h"

const uint8_t ethernet_broadcast[ETHERNET_ADDRESS_LENGTH] = { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };

void ethernet_input(struct net_interface *interface, const uint8_t *frame, uint32_t length)
{
    core_state_net_count(1, 0, 0);
    if (length < ETHERNET_HEADER_SIZE) {
        net_count_drop();
        return;
    }
    const struct ethernet_header *header = (const struct ethernet_header *)frame;
    if (memcmp(header->destination, interface->mac, ETHERNET_ADDRESS_LENGTH) != 0 &&
        memcmp(header->destination, ethernet_broadcast, ETHERNET_ADDRESS_LENGTH) != 0) {
        net_count_drop();
        return;
    }
    const uint8_t *payload = frame + ETHERNET_HEADER_SIZE;
    uint32_t payload_length = length - ETHERNET_HEADER_SIZE;
    switch (ntohs(header->type)) {
    case ETHERNET_TYPE_ARP:
        arp_input(payload, payload_length);
        break;
    case ETHERNET_TYPE_IPV4:
        ipv4_input(payload, payload_length);
        break;
    default: /* IPv6 and the rest: not spoken here */
        net_count_drop();
        break;
    }
}

int ethernet_send(struct packet *packet, const uint8_t destination[ETHERNET_ADDRESS_LENGTH], uint16_t type)
{
    struct ethernet_header *header = (struct ethernet_header *)packet_push(packet, ETHERNET_HEADER_SIZE);
    memcpy(header->destination, destination, ETHERNET_ADDRESS_LENGTH);
    memcpy(header->source, net.interface->mac, ETHERNET_ADDRESS_LENGTH);
    header->type = htons(type);
    int result = net.interface->transmit(net.interface, packet->data, packet->length);
    core_state_net_count(0, result == 0, result != 0); /* a full device queue drops the frame */
    return result;
}

int ethernet_send_ipv4(struct packet *packet, uint32_t next_hop)
{
    uint8_t mac[ETHERNET_ADDRESS_LENGTH];
    int result = 0;
    acquire(&net.transmit_lock);
    if (arp_resolve(next_hop, mac, packet))
        result = ethernet_send(packet, mac, ETHERNET_TYPE_IPV4);
    /* else it waits in the ARP cache; sent with the reply */
    release(&net.transmit_lock);
    ethernet_kick();
    return result;
}

void ethernet_kick(void)
{
    if (net.interface->transmit_kick)
        net.interface->transmit_kick(net.interface);
}
