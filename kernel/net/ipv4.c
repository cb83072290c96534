/*
 * ipv4.c - IPv4 input and output: validate, drop what is not for us (or is a
 * fragment), dispatch by protocol; on output add the header and pick the next
 * hop (the destination itself on our subnet, else the gateway). Pairs with
 * ipv4.h; ethernet.c is below, icmp.c and tcp_input.c above.
 */
#include "ipv4.h"
#include "checksum.h"
#include "ethernet.h"
#include "stack.h"
#include "tcp.h"

static uint16_t next_identification;

int ipv4_parse(const uint8_t *data, uint32_t length, struct ipv4_datagram *out)
{
    if (length < IPV4_HEADER_SIZE)
        return IPV4_TRUNCATED;
    const struct ipv4_header *header = (const struct ipv4_header *)data;
    if (header->version_and_length >> 4 != 4)
        return IPV4_BAD_VERSION;
    uint32_t header_length = (header->version_and_length & 0xF) * 4u;
    if (header_length < IPV4_HEADER_SIZE)
        return IPV4_BAD_HEADER_LENGTH;
    uint32_t total_length = ntohs(header->total_length);
    if (header_length > length || total_length > length)
        return IPV4_TRUNCATED;
    if (total_length < header_length)
        return IPV4_BAD_HEADER_LENGTH;
    if (checksum_finish(checksum_add(0, data, header_length)) != 0)
        return IPV4_BAD_CHECKSUM;
    if (ntohs(header->fragment) & (IPV4_MORE_FRAGMENTS | IPV4_FRAGMENT_OFFSET))
        return IPV4_FRAGMENT;
    out->source = ntohl(header->source);
    out->destination = ntohl(header->destination);
    out->protocol = header->protocol;
    out->payload = data + header_length;
    out->length = total_length - header_length;
    return IPV4_OK;
}

void ipv4_input(const uint8_t *data, uint32_t length)
{
    struct ipv4_datagram datagram;
    if (ipv4_parse(data, length, &datagram) != IPV4_OK || datagram.destination != net.config.address) {
        net_count_drop();
        return;
    }
    switch (datagram.protocol) {
    case IPV4_PROTOCOL_ICMP:
        icmp_input(&datagram);
        break;
    case IPV4_PROTOCOL_TCP:
        tcp_input(&datagram);
        break;
    default:
        net_count_drop();
        break;
    }
}

int ipv4_send(struct packet *packet, uint32_t destination, uint8_t protocol)
{
    struct ipv4_header *header = (struct ipv4_header *)packet_push(packet, IPV4_HEADER_SIZE);
    header->version_and_length = 4 << 4 | IPV4_HEADER_SIZE / 4;
    header->type_of_service = 0;
    header->total_length = htons((uint16_t)packet->length);
    header->identification = htons(__atomic_fetch_add(&next_identification, 1, __ATOMIC_RELAXED));
    header->fragment = htons(IPV4_DONT_FRAGMENT);
    header->time_to_live = IPV4_DEFAULT_TTL;
    header->protocol = protocol;
    header->checksum = 0;
    header->source = htonl(net.config.address);
    header->destination = htonl(destination);
    header->checksum = htons(checksum_finish(checksum_add(0, header, IPV4_HEADER_SIZE)));
    int on_link = (destination & net.config.netmask) == (net.config.address & net.config.netmask);
    return ethernet_send_ipv4(packet, on_link ? destination : net.config.gateway);
}
